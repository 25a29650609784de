/**
 * Bundles through the team graph (real binary, Neo4j from test/support/neo4j.ts, shared-database
 * lock, wiped first): `graph sync` carries this machine's bundles as Bundle nodes, a second
 * GGEN_HOME (another machine, no bundle files of its own) sees them with `bundle list|show
 * --backend neo4j`, and `bundle apply NAME --validate-all-projects --backend neo4j` gives the same
 * answer as the embedded backend on the syncing machine. Deleting the bundle and syncing again
 * prunes it.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const X = (s: string) => `io.bn.${s}`
const specs: GpackSpec[] = [
  {id: X('util'), version: '1.0.0', productionReady: true},
  {id: X('util'), version: '2.0.0', productionReady: true},
  {id: X('extra'), version: '1.0.0'},
]
const neo = await useNeo4j()

describe.skipIf(!!neo.skip)(`bundles on --backend neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  let root = ''
  let base: Record<string, string> = {}
  const cli = (home: string, args: string[]): CliResult => runCli(['packs', ...args], {env: {...base, GGEN_HOME: join(root, home)}})
  const ok = (home: string, args: string[]) => {
    const r = cli(home, args)
    if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stderr}\n${r.stdout}`)
    return r
  }

  beforeAll(async () => {
    if (!existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'bundle', 'apply.js'))) throw new Error('build first: npm run build')
    await (await neo.fresh()).close()
    const s = neo.settings()
    root = tempDir('ggen-bundles-neo4j-')
    base = {GGEN_REGISTRY_URL: buildRegistry(root, specs), GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
    const a = writeProject(join(root, 'ws', 'a'), 'a', {}, 'team = "payments"')
    const b = writeProject(join(root, 'ws', 'b'), 'b', {}, 'team = "web"')
    ok('home', ['install', `${X('util')}@^1`, '-C', a])
    ok('home', ['install', `${X('util')}@^2`, X('extra'), '-C', b])
    ok('home', ['bundle', 'create', 'std', '--enforcement', 'hard', '--team', 'payments'])
    ok('home', ['bundle', 'add', 'std', `${X('util')}@^1`])
    ok('home', ['graph', 'sync'])
  })

  it('another machine sees the synced bundle', () => {
    const list = ok('other', ['bundle', 'list', '--backend', 'neo4j', '--json']).json as {backend: string; bundles: {id: string}[]; owners: Record<string, string>}
    expect(list.bundles.map((b) => b.id)).toEqual(['std'])
    expect(list.owners).toEqual({std: 'test-machine'})
    expect(ok('other', ['bundle', 'show', 'std', '--backend', 'neo4j', '--json']).json).toEqual(ok('home', ['bundle', 'show', 'std', '--json']).json)
    expect(cli('other', ['bundle', 'show', 'std']).code).toBe(4) // not on that machine's disk
  })

  it('validate-all-projects answers the same from the team graph as from the embedded graph', () => {
    const args = ['bundle', 'apply', 'std', '--validate-all-projects', '--json']
    const mem = ok('home', args).json as Record<string, unknown>
    const n4j = ok('other', [...args, '--backend', 'neo4j']).json as Record<string, unknown>
    expect(mem.ok).toBe(false)
    expect({...n4j, backend: 'memory'}).toEqual(mem)
    const rules = (mem.projects as {violations: {rule: string}[]}[]).flatMap((p) => p.violations.map((v) => v.rule)).sort()
    expect(rules).toEqual(['out-of-range', 'unapproved'])
    expect(cli('other', ['bundle', 'apply', 'std', '--all', '--team', 'payments', '--backend', 'neo4j', '--exit-code']).code).toBe(0)
  })

  it('a deleted bundle is pruned by the next sync of its machine', () => {
    ok('home', ['bundle', 'delete', 'std'])
    expect((ok('home', ['graph', 'sync', '--json']).json as {bundles: unknown}).bundles).toEqual({written: 0, pruned: 1})
    expect((ok('other', ['bundle', 'list', '--backend', 'neo4j', '--json']).json as {bundles: unknown[]}).bundles).toEqual([])
  })
})
