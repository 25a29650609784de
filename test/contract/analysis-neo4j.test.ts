/**
 * The analysis contract (analysis-cases.ts) on the Neo4j adapter, against the Neo4j the test
 * finder gives (test/support/neo4j.ts: shared-database lock, wiped before every store; under
 * CI=true a missing Neo4j fails, elsewhere the suite is reported as skipped with the reason).
 */
import {afterEach, describe, expect, it} from 'vitest'
import type {GraphStore} from '../../src/graph/graph-store.js'
import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import {useNeo4j} from '../support/neo4j.js'
import {advisoryContract} from './advisory-cases.js'
import {analysisContract} from './analysis-cases.js'
import {lock, project, req, snap, v} from './fixtures.js'

const neo = await useNeo4j()
describe.skipIf(!!neo.skip)(`neo4j analysis${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  analysisContract('neo4j', neo.fresh, {multiMachine: true})
  advisoryContract('neo4j', neo.fresh, {multiMachine: true})

  describe('Neo4j analysis specifics', () => {
    let open: GraphStore[] = []
    afterEach(async () => {
      for (const s of open) await s.close()
      open = []
    })

    it('drift: versions semver ranks equal (build metadata) come in the one version order, whatever their first project', async () => {
      // 1.0.0+b's first project (/a) sorts before 1.0.0's (/b) and 1.0.0+a's (/c); build metadata breaks the tie (compareVersions)
      const s = snap('m1', {
        versions: [v('x', '1.0.0'), v('x', '1.0.0+a'), v('x', '1.0.0+b'), v('x', '0.9.0')],
        projects: [
          project('m1', '/c', {locks: [lock('x', '1.0.0+a')]}),
          project('m1', '/b', {locks: [lock('x', '1.0.0')]}),
          project('m1', '/a', {locks: [lock('x', '1.0.0+b')]}),
          project('m1', '/d', {locks: [lock('x', '0.9.0')]}),
          project('m1', '/e', {locks: [lock('x', '1.0.0+a')]}),
        ],
      })
      const n4j = await neo.fresh()
      const mem = new MemoryGraphStore()
      open.push(n4j, mem)
      await n4j.load(structuredClone(s))
      await mem.load(structuredClone(s))
      const expected = await mem.drift()
      expect(expected[0]!.versions.map((x) => x.version)).toEqual(['0.9.0', '1.0.0', '1.0.0+a', '1.0.0+b'])
      expect(await n4j.drift()).toEqual(expected)
    })

    it('records the server time of each analysis read', async () => {
      const n4j = await neo.fresh()
      open.push(n4j)
      await n4j.load(snap('m1', {versions: [v('x', '1.0.0')], projects: [project('m1', '/a', {requires: [req('x', '^1.0.0')], locks: [lock('x', '1.0.0')]})]}))
      await n4j.tree('m1:/a')
      await n4j.why('x')
      await n4j.requirers('x')
      await n4j.unsatisfied()
      await n4j.cycles()
      await n4j.unreachable()
      await n4j.drift()
      for (const q of ['tree', 'why', 'requirers', 'unsatisfied', 'cycles', 'unreachable', 'drift']) expect(n4j.timings.get(`read/analysis-${q}`), q).toBeGreaterThanOrEqual(0)
    })
  })
})
