/**
 * The team copy of the audit anchor, through the real binary (bin/run.js; `npm run build` first):
 * `packs graph sync` records this machine's anchor (entry count + head hash) in Neo4j, and
 * `packs audit --verify --backend neo4j` checks the local log against it. The strongest local
 * attacker (log truncated AND the local anchor rewritten to match; the truncated entry was the
 * last one, so no history generation recorded it) is caught only by the team copy; a sync from
 * the truncated log keeps the team copy (never lowers it) and exits 1.
 *
 * Neo4j comes from test/support/neo4j.ts (shared-database lock, wiped first; under CI=true a
 * missing Neo4j fails, elsewhere the suite is reported as skipped).
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const neo = await useNeo4j()

let env: Record<string, string> = {}
let log = ''
let anchorFile = ''
const cli = (args: string[]): CliResult => runCli(['packs', ...args], {env})

describe.skipIf(!!neo.skip)(`audit anchor in the team graph${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  beforeAll(async () => {
    await (await neo.fresh()).close() // wipe the shared database (this file holds its lock)
    const s = neo.settings()
    const root = tempDir('ggen-audit-neo4j-')
    const registry = buildRegistry(root, [
      {id: 'io.an.one', version: '1.0.0'},
      {id: 'io.an.two', version: '1.0.0'},
    ])
    env = {
      GGEN_HOME: join(root, 'home'),
      GGEN_REGISTRY_URL: registry,
      GGEN_NEO4J_URI: s.uri,
      GGEN_NEO4J_USER: s.user,
      GGEN_NEO4J_PASSWORD: s.password,
      ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {}),
    }
    log = join(root, 'home', 'audit', 'audit.log')
    anchorFile = join(root, 'home', 'audit', 'anchor.json')
    const p = writeProject(join(root, 'p'), 'p')
    for (const id of ['io.an.one', 'io.an.two']) expect(cli(['install', id, '--project', p]).code).toBe(0)
  }, 600_000)

  it('before any sync: Neo4j holds no anchor for this machine (not a break)', () => {
    const r = cli(['audit', '--verify', '--backend', 'neo4j', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.team).toMatchObject({backend: 'neo4j', status: 'none', machine: 'test-machine'})
  })

  it('graph sync records the anchor; verify against the team copy passes', () => {
    const sync = cli(['graph', 'sync', '--json'])
    expect(sync.code, sync.stderr).toBe(0)
    // registry build, then two installs (each audited)
    expect(sync.json.audit).toMatchObject({status: 'written', machine: 'test-machine', anchor: {count: 3}})
    const r = cli(['audit', '--verify', '--backend', 'neo4j', '--json'])
    expect(r.code, r.stderr).toBe(0)
    // the graph-sync entry follows the anchored point: the log extends the team copy
    expect(r.json).toMatchObject({ok: true, entries: 4, team: {status: 'ok', anchor: {count: 3}}})
  })

  it('a truncated log with a consistently rewritten local anchor is caught by the team copy only', () => {
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean)
    // keep the registry build and the first install: the second install's history generation recorded that point
    const second = JSON.parse(lines[1]!) as {seq: number; hash: string}
    writeFileSync(log, lines.slice(0, 2).join('\n') + '\n')
    const anchor = JSON.parse(readFileSync(anchorFile, 'utf8'))
    writeFileSync(anchorFile, JSON.stringify({...anchor, count: 2, head: second.hash, seq: second.seq}))
    const local = cli(['audit', '--verify', '--json'])
    expect(local.code, 'the local witnesses are all fooled').toBe(0)
    expect(local.json.team).toMatchObject({backend: 'memory', status: 'no-team-copy'})
    const team = cli(['audit', '--verify', '--backend', 'neo4j', '--json'])
    expect(team.code).toBe(1)
    expect(team.json.first_break).toEqual({line: 2, message: '1 entry missing after line 2 (the team copy in Neo4j (machine test-machine) records 3 entries)'})
    expect(team.json.team.status).toBe('mismatch')
    const text = cli(['audit', '--verify', '--backend', 'neo4j'])
    expect(text.stdout).toMatch(/audit chain BROKEN at line 2: 1 entry missing after line 2/)
  })

  it('a sync from the truncated log keeps the team copy (exit 1), so the check still fails afterwards', () => {
    const sync = cli(['graph', 'sync', '--json'])
    expect(sync.code).toBe(1)
    expect(sync.json.audit).toMatchObject({status: 'kept', anchor: {count: 3}})
    expect(sync.stderr).toMatch(/team audit anchor of test-machine kept at 3 entries: the local audit log does not verify/)
    expect(cli(['audit', '--verify', '--backend', 'neo4j']).code).toBe(1)
  })
})
