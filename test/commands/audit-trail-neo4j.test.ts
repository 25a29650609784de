/**
 * Issue 10 (audit): `graph sync` carries each machine's audit entries with their hashes, so
 * `audit --backend neo4j` shows the team's trail with the same filters and re-checks each
 * machine's chain from the entries' own text.
 */
import {cpSync} from 'node:fs'
import {join} from 'node:path'
import neo4j from 'neo4j-driver'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli, tempDir} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'
import {useNeo4j, wipeNeo4j} from '../support/neo4j.js'

const neo = await useNeo4j()

describe.skipIf(!!neo.skip)(`the team audit trail in Neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  let ex: Example
  let n4j: Record<string, string> = {}
  let otherHome = ''
  beforeAll(async () => {
    ex = exampleHome()
    const s = neo.settings()
    await wipeNeo4j(s)
    n4j = {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
    // a second machine: a copy of the same state under another name
    otherHome = join(tempDir(), 'home')
    cpSync(ex.home, otherHome, {recursive: true})
  }, 240_000)

  const run = (args: string[], env: Record<string, string> = {}) => runCli(['packs', ...args, '--json'], {env: {...ex.env, ...n4j, ...env}, cwd: ex.workspace})

  it('sync pushes the entries; the trail answers with the same entries and filters as the local log', () => {
    const local = run(['audit']).json.entries as {hash: string; team?: string}[]
    expect(run(['graph', 'sync']).code).toBe(0)
    const team = run(['audit', '--backend', 'neo4j'])
    expect(team.code, team.stderr).toBe(0)
    expect(team.json.chain.ok).toBe(true)
    expect(team.json.entries.map((e: {hash: string}) => e.hash)).toEqual(local.map((e) => e.hash))
    const payments = run(['audit', '--backend', 'neo4j', '--team', 'payments']).json.entries as {team: string}[]
    expect(payments.length).toBe(local.filter((e) => e.team === 'payments').length)
    expect(payments.length).toBeGreaterThan(0)
    // a second sync pushes only what is new (the graph-sync entry of the first)
    expect(run(['graph', 'sync']).json.audit.trail.pushed).toBe(1)
  })

  it('every machine\'s entries, told apart by --machine', () => {
    const other = {GGEN_HOME: otherHome, GGEN_MACHINE: 'build-01'}
    expect(run(['gc'], other).code).toBe(0)
    expect(run(['graph', 'sync'], other).code).toBe(0)
    const all = run(['audit', '--backend', 'neo4j']).json.entries as {environment: {machine: string}}[]
    const machines = new Set(all.map((e) => e.environment.machine))
    expect(machines).toEqual(new Set(['example-laptop', 'build-01']))
    const one = run(['audit', '--backend', 'neo4j', '--machine', 'build-01']).json.entries as {environment: {machine: string}}[]
    expect(one.length).toBeGreaterThan(0)
    expect(one.every((e) => e.environment.machine === 'build-01')).toBe(true)
  })

  it('an entry edited in the team graph breaks that machine\'s chain', async () => {
    const s = neo.settings()
    const driver = neo4j.driver(s.uri, neo4j.auth.basic(s.user, s.password))
    try {
      await driver.executeQuery("MATCH (e:AuditEntry {machine: 'build-01', action: 'gc'}) SET e.json = replace(e.json, '\"result\":\"success\"', '\"result\":\"failure\"')", {}, {database: s.database})
    } finally {
      await driver.close()
    }
    const r = run(['audit', '--backend', 'neo4j'])
    expect(r.json.chain.ok).toBe(false)
    expect(r.json.chain.broken[0].message).toMatch(/build-01 seq \d+: its hash does not match/)
    expect(r.stderr).toContain('break')
  })
})
