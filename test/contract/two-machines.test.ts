/**
 * Two machines, one team graph: two GGEN_HOMEs with real project files sync under different
 * machine names. The team view holds both; re-syncing changes nothing; a machine's re-sync prunes
 * only its own stale rows. The same through the built CLI (`packs graph sync`, `packs list
 * --backend neo4j`, `packs query`, `packs graph export`) when dist/ is built.
 */
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import {itIf} from '../support/skip.js'
import {silentProgress, type PacksContext} from '../../src/core/context.js'
import {syncGraph} from '../../src/core/graph-sync.js'
import type {Neo4jGraphStore} from '../../src/graph/neo4j/neo4j-store.js'
import {readEnvironment} from '../../src/util/environment.js'
import {defaultConfig} from '../../src/workspace/config.js'
import {homePaths} from '../../src/workspace/home.js'
import {registerProject} from '../../src/workspace/projects.js'
import {binPath, runCli} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const root = mkdtempSync(join(tmpdir(), 'ggen-packs-two-machines-'))
afterAll(() => rmSync(root, {recursive: true, force: true}))

interface Pack {
  version: string
  range?: string
  deps?: string[]
}

/** a project on disk: ggen.toml requiring the packs with a range, .ggen/packs.lock locking them all */
function writeProject(dir: string, name: string, team: string, packs: Record<string, Pack>): void {
  mkdirSync(join(dir, '.ggen'), {recursive: true})
  const direct = Object.entries(packs).filter(([, p]) => p.range)
  writeFileSync(join(dir, 'ggen.toml'), `[project]\nname = "${name}"\nteam = "${team}"\n\n[packs]\n${direct.map(([id, p]) => `"${id}" = "${p.range}"`).join('\n')}\n`)
  const lock = {
    packs: Object.fromEntries(
      Object.entries(packs).map(([id, p]) => [id, {version: p.version, source: {type: 'Registry', url: 'https://registry.example'}, integrity: 'sha256-AAAA', installed_at: '2024-05-01T00:00:00Z', dependencies: p.deps ?? []}]),
    ),
  }
  writeFileSync(join(dir, '.ggen', 'packs.lock'), JSON.stringify(lock, null, 2))
}

function home(machine: string) {
  const paths = homePaths(join(root, `home-${machine}`))
  const ctx: PacksContext = {env: readEnvironment({}), paths, config: defaultConfig(), machine, registries: [], offline: true, refresh: false, trust: {requireSignatures: false, envKeys: []}, progress: silentProgress, warn: () => {}}
  return {paths, ctx}
}

const shared = join(root, 'projects', 'shared')
const shop = join(root, 'projects', 'shop')
const tool = join(root, 'projects', 'tool')
/** the starting state on disk: A knows shared + shop, B knows shared + tool */
function resetProjects(): void {
  writeProject(shared, 'shared', 'platform', {core: {version: '1.2.0', range: '^1.0.0'}})
  writeProject(shop, 'shop', 'retail', {web: {version: '2.0.0', range: '^2.0.0', deps: ['core']}, core: {version: '1.2.0'}})
  writeProject(tool, 'tool', 'platform', {cli: {version: '0.3.0', range: '0.3.0', deps: ['core']}, core: {version: '1.1.0'}})
}
resetProjects()
const A = home('ws-a')
const B = home('ws-b')
await registerProject(A.paths, shared)
await registerProject(A.paths, shop)
await registerProject(B.paths, shared)
await registerProject(B.paths, tool)

const neo = await useNeo4j()

describe.skipIf(!!neo.skip)(`two machines sync into one team graph${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  let store: Neo4jGraphStore | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })
  const counts = async (s: Neo4jGraphStore) => (await s.query('MATCH (n) WHERE NOT n:GgenTestMarker RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels')).rows[0]
  const view = async (s: Neo4jGraphStore) => [await s.projects(), await s.listInstalled(), await s.dependents('core', {transitive: true}), await s.dependents('cli')]

  it('team view, idempotent re-sync, pruning only the syncing machine', async () => {
    resetProjects()
    const s = (store = await neo.fresh())
    const a1 = await syncGraph(A.ctx, s)
    const b1 = await syncGraph(B.ctx, s)
    expect([a1.projects, a1.pruned, b1.projects, b1.pruned]).toEqual([2, 0, 2, 0])

    expect((await s.projects()).map((p) => `${p.machine}:${p.name}`)).toEqual(['ws-a:shared', 'ws-a:shop', 'ws-b:shared', 'ws-b:tool'])
    expect((await s.projects({machine: 'ws-b'})).map((p) => p.name)).toEqual(['shared', 'tool'])
    const core = (await s.listInstalled()).filter((r) => r.id === 'core')
    expect(core.map((r) => [r.version, r.projects.map((p) => `${p.machine}:${p.name}`)])).toEqual([
      ['1.1.0', ['ws-b:tool']],
      ['1.2.0', ['ws-a:shared', 'ws-a:shop', 'ws-b:shared']],
    ])

    // re-sync: nothing changes, nothing pruned
    const before = [await counts(s), await view(s)]
    const a2 = await syncGraph(A.ctx, s)
    const b2 = await syncGraph(B.ctx, s)
    expect([a2.pruned, b2.pruned]).toEqual([0, 0])
    expect([await counts(s), await view(s)]).toEqual(before)

    // machine A loses a project and changes a lock; B has not re-synced
    rmSync(shop, {recursive: true, force: true})
    writeProject(shared, 'shared', 'platform', {core: {version: '1.3.0', range: '^1.0.0'}})
    const a3 = await syncGraph(A.ctx, s)
    expect(a3.pruned).toBe(1)
    expect((await s.projects()).map((p) => `${p.machine}:${p.name}`)).toEqual(['ws-a:shared', 'ws-b:shared', 'ws-b:tool'])
    const dependents = await s.dependents('core', {transitive: true})
    expect(dependents.projects.map((d) => `${d.project.machine}:${d.project.name}@${d.version}`)).toEqual(['ws-a:shared@1.3.0', 'ws-b:shared@1.2.0', 'ws-b:tool@1.1.0'])
    // web@2.0.0 was only A's (through shop): gone; B's rows untouched
    expect((await s.listInstalled()).map((r) => `${r.id}@${r.version}`)).toEqual(['cli@0.3.0', 'core@1.1.0', 'core@1.2.0', 'core@1.3.0'])
    expect((await s.query('MATCH (v:Version {id: "web"}) RETURN count(v) AS n')).rows[0]).toEqual({n: 0})
    expect((await s.listInstalled({machine: 'ws-b'})).flatMap((r) => r.projects.map((p) => `${p.machine}:${p.name}@${r.version}`))).toEqual(['ws-b:tool@0.3.0', 'ws-b:tool@1.1.0', 'ws-b:shared@1.2.0'])
  })

  const built = existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'graph', 'sync.js'))
  itIf(built, 'needs dist/: run npm run build')('through the CLI: sync --json, list --backend neo4j, query, export', async () => {
    resetProjects()
    store = await neo.fresh()
    const s = neo.settings()
    const env = (machine: string, h: string) => ({GGEN_HOME: h, GGEN_MACHINE: machine, GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, GGEN_NEO4J_DATABASE: s.database, GGEN_OFFLINE: '1'})
    const a = runCli(['packs', 'graph', 'sync', '--json'], {env: env('ws-a', A.paths.root)})
    expect(a.code, a.stderr).toBe(0)
    expect(a.json).toMatchObject({machine: 'ws-a', projects: 2, pruned: 0, backend: 'neo4j'})
    const b = runCli(['packs', 'graph', 'sync', '--machine', 'ws-b', '--json'], {env: env('ignored', B.paths.root)})
    expect(b.code, b.stderr).toBe(0)
    expect(b.json).toMatchObject({machine: 'ws-b', projects: 2})

    const list = runCli(['packs', 'list', '--backend', 'neo4j', '--json'], {env: env('ws-a', A.paths.root)})
    expect(list.code, list.stderr).toBe(0)
    const machines = new Set((list.json as {projects: {machine: string}[]}[]).flatMap((r) => r.projects.map((p) => p.machine)))
    expect([...machines].sort()).toEqual(['ws-a', 'ws-b'])
    const narrowed = runCli(['packs', 'list', '--backend', 'neo4j', '--machine', 'ws-b', '--json'], {env: env('ws-a', A.paths.root)})
    expect(new Set((narrowed.json as {projects: {machine: string}[]}[]).flatMap((r) => r.projects.map((p) => p.machine)))).toEqual(new Set(['ws-b']))

    const q = runCli(['packs', 'query', 'MATCH (p:Project) RETURN p.machine AS machine, count(*) AS n ORDER BY machine', '--json'], {env: env('ws-a', A.paths.root)})
    expect(q.json).toEqual({columns: ['machine', 'n'], rows: [{machine: 'ws-a', n: 2}, {machine: 'ws-b', n: 2}]})
    const w = runCli(['packs', 'query', 'CREATE (x:Evil)'], {env: env('ws-a', A.paths.root)})
    expect(w.code).toBe(2)
    expect(w.stderr).toMatch(/E_READ_ONLY/)

    const ex = runCli(['packs', 'graph', 'export', '--format', 'graphml', '--backend', 'neo4j', '--json'], {env: env('ws-a', A.paths.root)})
    expect(ex.code, ex.stderr).toBe(0)
    expect(ex.json).toMatchObject({format: 'graphml', backend: 'neo4j', machines: ['ws-a', 'ws-b']})
    expect(ex.json.content).toMatch(/^<\?xml/)
  })
})
