/**
 * `it`, or a skip whose title names why: every skipped test says in its title what it needs (a
 * store holding several machines, a built binary, ...). The Neo4j suites skip through
 * test/support/neo4j.ts, which fails instead under CI=true.
 */
import {it, type TestFunction} from 'vitest'

type Body = TestFunction

export function itIf(run: boolean, reason: string): (title: string, fn: Body, timeout?: number) => void {
  return (title, fn, timeout) => it.skipIf(!run)(run ? title : `${title} (skipped: ${reason})`, fn, timeout)
}
