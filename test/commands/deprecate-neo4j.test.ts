/**
 * Issue 10, "Deprecate and yank", on the team graph: machine A records a deprecation and a yank
 * in its local overlay and syncs; machine B (its own GGEN_HOME, no overlay of its own) sees both
 * through `list --backend neo4j` and `info --backend neo4j`, and after its own sync in its local
 * readers too; A's --undo, synced, takes them away for everyone. The real binary; Neo4j from the
 * test finder (skipped when none is found, outside CI).
 */
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const specs: GpackSpec[] = [
  {id: 'io.dn.util', version: '1.0.0'},
  {id: 'io.dn.util', version: '1.1.0'},
  {id: 'io.dn.next', version: '2.0.0'},
]

const neo = await useNeo4j()

let root = ''
let base: Record<string, string> = {}
const on = (machine: 'a' | 'b', args: string[]): CliResult => runCli(['packs', ...args], {env: {...base, GGEN_HOME: join(root, `home-${machine}`), GGEN_MACHINE: `machine-${machine}`, GGEN_USER: `user-${machine}`}})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}
const row = (rows: {id: string; version: string}[], id: string, version: string) => rows.find((r) => r.id === id && r.version === version) as {deprecated: string | null; yanked: boolean} | undefined
const infoVersion = (r: CliResult, version: string) => r.json.versions.find((v: {version: string}) => v.version === version)

describe.skipIf(!!neo.skip)(`deprecations shared through graph sync${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  beforeAll(async () => {
    if (!existsSync(binPath)) throw new Error('build first: npm run build')
    await (await neo.fresh()).close()
    const s = neo.settings()
    root = tempDir('ggen-deprecate-neo4j-')
    base = {
      GGEN_REGISTRY_URL: buildRegistry(root, specs),
      GGEN_NEO4J_URI: s.uri,
      GGEN_NEO4J_USER: s.user,
      GGEN_NEO4J_PASSWORD: s.password,
      ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {}),
    }
    ok(on('a', ['install', 'io.dn.util@1.0.0', '--project', writeProject(join(root, 'wa'), 'wa')]))
    ok(on('a', ['deprecate', 'io.dn.util@1.0.0', '--message', 'move to next', '--replacement', 'io.dn.next']))
    ok(on('a', ['deprecate', 'io.dn.util@1.1.0', '--yank', '--message', 'broken']))
    ok(on('a', ['graph', 'sync']))
  }, 600_000)
  afterAll(() => {
    if (root) rmSync(root, {recursive: true, force: true})
  })

  it('another machine sees them through list and info --backend neo4j, before any sync of its own', () => {
    // its own embedded view knows nothing yet
    expect(infoVersion(ok(on('b', ['info', 'io.dn.util', '--json'])), '1.0.0').deprecated).toBeNull()
    const list = ok(on('b', ['list', '--backend', 'neo4j', '--json']))
    expect(row(list.json, 'io.dn.util', '1.0.0')).toMatchObject({deprecated: 'move to next (use io.dn.next instead)', yanked: false})
    const info = ok(on('b', ['info', 'io.dn.util', '--backend', 'neo4j', '--json']))
    expect(infoVersion(info, '1.0.0')).toMatchObject({deprecated: 'move to next', replacement: 'io.dn.next', deprecated_by: 'user-a'})
    expect(infoVersion(info, '1.1.0')).toMatchObject({yanked: true, yanked_by: 'user-a', yanked_reason: 'broken'})
  })

  it("after its own sync (or a neo4j read), B's local readers and installs apply the team's records", () => {
    ok(on('b', ['graph', 'sync']))
    const team = JSON.parse(readFileSync(join(root, 'home-b', 'overlay', 'team-deprecations.json'), 'utf8'))
    expect(team.records.map((r: {machine: string; kind: string}) => [r.machine, r.kind])).toEqual([
      ['machine-a', 'deprecate'],
      ['machine-a', 'yank'],
    ])
    expect(infoVersion(ok(on('b', ['info', 'io.dn.util', '--json'])), '1.1.0').yanked).toBe(true)
    const p = writeProject(join(root, 'wb'), 'wb')
    const install = ok(on('b', ['install', 'io.dn.util', '--project', p, '--json']))
    expect(install.json.changes).toEqual([expect.objectContaining({id: 'io.dn.util', to: '1.0.0'})])
    expect(install.stderr).toContain('io.dn.util@1.0.0 is deprecated: move to next (use io.dn.next instead)')
  })

  it("A's undo, synced, is pruned from the team graph", () => {
    ok(on('a', ['deprecate', 'io.dn.util@1.0.0', '--undo']))
    ok(on('a', ['graph', 'sync']))
    const info = ok(on('b', ['info', 'io.dn.util', '--backend', 'neo4j', '--json']))
    expect(infoVersion(info, '1.0.0').deprecated).toBeNull()
    expect(infoVersion(info, '1.1.0').yanked).toBe(true)
  })
})
