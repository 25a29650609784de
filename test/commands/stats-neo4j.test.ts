/**
 * Issue 12, `ggen packs stats --backend neo4j`: the team view. Two machines (their own GGEN_HOME
 * and machine name) install from one registry through the real binary and sync; stats on the
 * team graph has one totals row per machine and the overall totals, in the same shape as the
 * embedded answer of each machine (whose numbers the team rows repeat), and the timeline reads
 * every machine's synced audit trail. Neo4j from the test finder (skipped when none is found,
 * outside CI).
 */
import {existsSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {StatsResult} from '../../src/core/stats.js'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const specs: GpackSpec[] = [
  {id: 'io.st.util', version: '1.0.0'},
  {id: 'io.st.util', version: '1.1.0'},
  {id: 'io.st.web', version: '2.0.0', deps: {'io.st.util': '^1.0.0'}},
]

const neo = await useNeo4j()

let root = ''
let base: Record<string, string> = {}
const on = (machine: 'a' | 'b', args: string[]): CliResult => runCli(['packs', ...args], {env: {...base, GGEN_HOME: join(root, `home-${machine}`), GGEN_MACHINE: `machine-${machine}`, NO_COLOR: '1'}})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}
const stats = (machine: 'a' | 'b', args: string[] = []) => ok(on(machine, ['stats', ...args, '--json'])).json as StatsResult
/** the keys of every object in a value, by path: two answers of the same shape have the same */
function shape(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.length ? shape(v[0], `${path}[]`) : [`${path}[]`]
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...shape(x, `${path}.${k}`)])
  return []
}

describe.skipIf(!!neo.skip)(`stats on the team graph${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  beforeAll(async () => {
    if (!existsSync(binPath)) throw new Error('build first: npm run build')
    await (await neo.fresh()).close()
    const s = neo.settings()
    root = tempDir('ggen-stats-neo4j-')
    base = {GGEN_REGISTRY_URL: buildRegistry(root, specs), GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
    ok(on('a', ['install', 'io.st.web', '--project', writeProject(join(root, 'a1'), 'a1')]))
    ok(on('a', ['install', 'io.st.util@1.0.0', '--project', writeProject(join(root, 'a2'), 'a2')]))
    ok(on('b', ['install', 'io.st.util@1.1.0', '--project', writeProject(join(root, 'b1'), 'b1')]))
    ok(on('b', ['update', 'io.st.util', '--to', '1.0.0', '--project', join(root, 'b1')]))
    ok(on('a', ['graph', 'sync']))
    ok(on('b', ['graph', 'sync']))
  }, 600_000)
  afterAll(() => {
    if (root) rmSync(root, {recursive: true, force: true})
  })

  it('has a totals row per machine and the overall totals, in the embedded answer\'s shape', () => {
    const team = stats('a', ['--backend', 'neo4j'])
    const a = stats('a')
    const b = stats('b')
    expect(team).toMatchObject({backend: 'neo4j', scope: 'team'})
    expect(team.machines.map((m) => m.machine)).toEqual(['machine-a', 'machine-b'])
    // this machine's row is its embedded answer (its store index); the other's counts what it locks
    const {machine: _ma, store_basis: _sa, ...aTeam} = team.machines[0]!
    expect(aTeam).toEqual(a.totals)
    const bTeam = team.machines[1]!
    expect(bTeam).toMatchObject({store_basis: 'locked', projects: b.totals.projects, packages: b.totals.packages, versions: b.totals.versions, locks: b.totals.locks, copied_bytes: b.totals.copied_bytes})
    // b's store holds util 1.1.0 (unused since the update) as well: the locked versions leave it out
    expect(b.totals.store_entries).toBe(bTeam.store_entries + 1)
    expect(team.totals).toEqual({
      projects: 3,
      packages: 2,
      versions: 3,
      locks: a.totals.locks + b.totals.locks,
      store_entries: aTeam.store_entries + bTeam.store_entries,
      store_bytes: aTeam.store_bytes + bTeam.store_bytes,
      copied_bytes: a.totals.copied_bytes + b.totals.copied_bytes,
      saved_bytes: a.totals.copied_bytes + b.totals.copied_bytes - aTeam.store_bytes - bTeam.store_bytes,
    })
    expect(shape(team.totals)).toEqual(shape(a.totals))
    expect(shape(team.machines[0])).toEqual(shape(a.machines[0]))
    expect(shape(team.adoption[0])).toEqual(shape(a.adoption[0]))
    // adoption over both machines: util 1.1.0 in a1 (through web), 1.0.0 in a2 and b1
    const util = team.adoption.find((x) => x.id === 'io.st.util')!
    expect(util).toMatchObject({projects: 3, newest: '1.1.0', newest_share: 0.3333, outdated_share: 0.6667, drift: true})
    expect(util.versions).toEqual([
      {version: '1.0.0', projects: 2, share: 0.6667, deprecated: null, yanked: false},
      {version: '1.1.0', projects: 1, share: 0.3333, deprecated: null, yanked: false},
    ])
    const human = ok(on('a', ['stats', '--backend', 'neo4j'])).stdout
    expect(human).toContain('Totals (team, 2 machines)')
    expect(human).toMatch(/machine-b \(store: locked versions\)\s+1\s+1\s+1/)
  })

  it('the timeline reads every machine\'s synced audit trail; the migration tells projects apart by machine', () => {
    const tl = stats('a', ['--backend', 'neo4j', '--timeline', '7d', '--package', 'util']).timeline!
    expect(tl.events.map((e) => [e.machine, e.project.split('/').pop(), e.from, e.to, e.kind])).toEqual([
      ['machine-a', 'a1', null, '1.1.0', 'install'],
      ['machine-a', 'a2', null, '1.0.0', 'install'],
      ['machine-b', 'b1', null, '1.1.0', 'install'],
      ['machine-b', 'b1', '1.1.0', '1.0.0', 'update'],
    ])
    const byMachine = new Set(tl.events.map((e) => e.machine))
    expect(byMachine).toEqual(new Set(['machine-a', 'machine-b']))
    expect(tl.events.filter((e) => e.machine === 'machine-b').map((e) => [e.from, e.to, e.kind])).toEqual([[null, '1.1.0', 'install'], ['1.1.0', '1.0.0', 'update']])
    expect(tl.periods.at(-1)!.versions).toEqual([{version: '1.0.0', projects: 2}, {version: '1.1.0', projects: 1}])
    // the local view of machine a sees its own changes only
    const local = stats('a', ['--timeline', '7d', '--package', 'util']).timeline!
    expect(new Set(local.events.map((e) => e.machine))).toEqual(new Set(['machine-a']))
  })
})
