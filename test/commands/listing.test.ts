/**
 * Issue 9, listing: `list --sort` with several keys, `list --name` globs, location/source/
 * description in every row, short names for `info`, multi-word `search` — through the real binary
 * (bin/run.js; run `npm run build` first), on a registry built with `packs registry build`.
 *
 *   io.l.rust.cli 1.0.0, 1.1.0 (same size)   alpha 1.0.0, beta 1.1.0 (beta installs later)
 *   io.l.ts.react 1.2.0, 1.10.0               alpha ^1.10.0, gamma 1.2.0
 *   io.l.rest-api 1.0.0 ("REST API ...")      beta
 *   io.l.rust.web 1.0.0 (keyword react)       beta, gamma
 *   not installed: io.l.py.cli, io.l.docs ("Interest rate tables, rendered with React"), web
 * A fourth project, delta, is installed with another GGEN_HOME (so another store) and found
 * with --root: its rows have a source but no location here.
 */
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const L = (s: string) => `io.l.${s}`
const bytesOf = (n: number) => ({'templates/main.tmpl': 'x'.repeat(n)})
const specs: GpackSpec[] = [
  {id: L('rust.cli'), version: '1.0.0', description: 'Rust command-line apps', keywords: ['rust', 'cli'], files: bytesOf(100)},
  {id: L('rust.cli'), version: '1.1.0', description: 'Rust command-line apps', keywords: ['rust', 'cli'], files: bytesOf(100)},
  {id: L('ts.react'), version: '1.2.0', description: 'React components', files: bytesOf(500)},
  {id: L('ts.react'), version: '1.10.0', description: 'React components', files: bytesOf(500)},
  {id: L('rest-api'), version: '1.0.0', description: 'REST API server skeleton', keywords: ['http'], files: bytesOf(2000)},
  {id: L('rust.web'), version: '1.0.0', description: 'Axum web service that serves front ends', keywords: ['web', 'react'], files: bytesOf(3000)},
  {id: L('py.cli'), version: '1.0.0', description: 'Typer apps'},
  {id: L('docs'), version: '1.0.0', description: 'Interest rate tables, rendered with React'},
  {id: 'web', version: '1.0.0', description: 'a package whose id is a bare word'},
]

let root = ''
let env: Record<string, string> = {}
const ws = (name: string) => join(root, 'ws', name)
const cli = (args: string[], extraEnv: Record<string, string> = {}): CliResult => runCli(['packs', ...args], {env: {...env, ...extraEnv}})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}
type Row = {id: string; version: string; size: number; last_used: string; description: string | null; source: string | null; location: string | null; projects: {name: string}[]}
const list = (args: string[] = []): Row[] => ok(cli(['list', '--json', ...args])).json
const keys = (rows: Row[]) => rows.map((r) => `${r.id}@${r.version}`)

beforeAll(() => {
  if (!existsSync(binPath) || !existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'list.js'))) throw new Error('build first: npm run build')
  root = tempDir('ggen-listing-')
  const registry = buildRegistry(root, specs)
  env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: registry}
  writeProject(ws('alpha'), 'alpha', {[L('rust.cli')]: '1.0.0', [L('ts.react')]: '^1.10.0'})
  writeProject(ws('beta'), 'beta', {[L('rust.cli')]: '1.1.0', [L('rest-api')]: '^1.0.0', [L('rust.web')]: '^1.0.0'})
  writeProject(ws('gamma'), 'gamma', {[L('ts.react')]: '1.2.0', [L('rust.web')]: '^1.0.0'})
  for (const p of ['alpha', 'beta', 'gamma']) ok(cli(['install', '--project', ws(p)]))
  writeProject(join(root, 'other', 'delta'), 'delta', {[L('py.cli')]: '^1.0.0'})
  ok(cli(['install', '--project', join(root, 'other', 'delta')], {GGEN_HOME: join(root, 'home-2')}))
}, 600_000)

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('list --sort: several keys, - for descending, ties to id then semver', () => {
  it('size,-last-used: by size, the two same-sized rust.cli versions newest-used first', () => {
    const rows = list(['--sort', 'size,-last-used'])
    expect(keys(rows)).toEqual([`${L('rust.cli')}@1.1.0`, `${L('rust.cli')}@1.0.0`, `${L('ts.react')}@1.2.0`, `${L('ts.react')}@1.10.0`, `${L('rest-api')}@1.0.0`, `${L('rust.web')}@1.0.0`])
    expect(rows[0]!.size).toBe(rows[1]!.size)
    expect(rows[0]!.last_used > rows[1]!.last_used).toBe(true)
    // the flag repeated means the same; -size reverses the first key only
    expect(keys(list(['--sort', 'size', '--sort=-last-used']))).toEqual(keys(rows))
    expect(keys(list(['--sort', '-size,-last-used']))).toEqual(keys(rows.slice(2).reverse()).concat(keys(rows.slice(0, 2))))
    // a value starting with - after a space is a value, not a flag (gamma installed last, then beta, then alpha)
    expect(keys(list(['--sort', '-last-used']))).toEqual([`${L('rust.web')}@1.0.0`, `${L('ts.react')}@1.2.0`, `${L('rest-api')}@1.0.0`, `${L('rust.cli')}@1.1.0`, `${L('rust.cli')}@1.0.0`, `${L('ts.react')}@1.10.0`])
  })

  it('ties fall through to id, then version in semver order (1.2.0 before 1.10.0), in either direction', () => {
    const byProjects = [`${L('rest-api')}@1.0.0`, `${L('rust.cli')}@1.0.0`, `${L('rust.cli')}@1.1.0`, `${L('ts.react')}@1.2.0`, `${L('ts.react')}@1.10.0`, `${L('rust.web')}@1.0.0`]
    expect(keys(list(['--sort', 'projects']))).toEqual(byProjects)
    expect(keys(list(['--sort', '-projects']))).toEqual([byProjects[5], ...byProjects.slice(0, 5)])
    expect(keys(list(['--sort', '-version'])).slice(0, 2)).toEqual([`${L('ts.react')}@1.10.0`, `${L('ts.react')}@1.2.0`])
  })

  it('an unknown key is a usage error naming the keys', () => {
    const r = cli(['list', '--sort', 'size,colour'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('E_USAGE')
    expect(r.stderr).toContain('`colour`')
    expect(r.stderr).toMatch(/Sort keys: name, id, version, size, last-used, quality, author, license, projects/)
  })
})

describe('list --name: id globs, repeatable (any of them)', () => {
  it('*, {a,b}, case-insensitive, repeated; a plain id matches only itself', () => {
    expect(keys(list(['--name', 'io.l.rust.*']))).toEqual([`${L('rust.cli')}@1.0.0`, `${L('rust.cli')}@1.1.0`, `${L('rust.web')}@1.0.0`])
    expect(keys(list(['--name', 'io.l.rust.*', '--name', '*.react'])).length).toBe(5)
    expect(keys(list(['--name', 'IO.L.{REST-API,rust.web}']))).toEqual([`${L('rest-api')}@1.0.0`, `${L('rust.web')}@1.0.0`])
    expect(list(['--name', 'io.l.rust'])).toEqual([])
    expect(keys(list(['--name', 'io.l.rust.*', '--sort', '-size']))).toEqual([`${L('rust.web')}@1.0.0`, `${L('rust.cli')}@1.0.0`, `${L('rust.cli')}@1.1.0`])
    const none = ok(cli(['list', '--name', 'nothing.*']))
    expect(none.stdout).toContain('No installed version matches these filters')
  })

  it('a broken glob is a usage error', () => {
    const r = cli(['list', '--name', 'io.l.[rust'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('E_USAGE')
  })
})

describe('list rows: location, source, description', () => {
  it('location is the store entry of this GGEN_HOME, source the lockfile entry source url', () => {
    const rows = list()
    expect(rows).toHaveLength(6)
    const lock = JSON.parse(readFileSync(join(ws('beta'), '.ggen', 'packs.lock'), 'utf8'))
    for (const r of rows) {
      expect(r.location, r.id).toMatch(new RegExp(`^${join(env.GGEN_HOME!, 'store', 'v1', 'sha512-')}[0-9a-f]{128}$`))
      expect(existsSync(join(r.location!, 'gpack.toml')), r.location!).toBe(true)
      expect(r.source).toBe(env.GGEN_REGISTRY_URL)
      expect(r.description, r.id).toBe(specs.find((s) => s.id === r.id)!.description)
    }
    expect(lock.packs[L('rest-api')].source.url).toBe(env.GGEN_REGISTRY_URL)
    // two versions: two entries
    expect(new Set(rows.map((r) => r.location)).size).toBe(6)
  })

  it('a version that is not in this machine\'s store has a source but no location', () => {
    const rows = list(['--root', join(root, 'other')])
    const pyCli = rows.find((r) => r.id === L('py.cli'))!
    expect(pyCli.projects.map((p) => p.name)).toEqual(['delta'])
    expect(pyCli.location).toBeNull()
    expect(pyCli.source).toBe(env.GGEN_REGISTRY_URL)
    const there = ok(cli(['list', '--json'], {GGEN_HOME: join(root, 'home-2')})).json as Row[]
    expect(there.map((r) => r.location)).toEqual([expect.stringMatching(new RegExp(`^${join(root, 'home-2', 'store', 'v1')}/`))])
  })

  it('--long shows description, source and location in the table; CSV carries them too', () => {
    const r = ok(cli(['list', '--long', '--name', L('rest-api')]))
    expect(r.stdout).toMatch(/PACKAGE\s+VERSION.*DESCRIPTION\s+SOURCE\s+LOCATION/)
    expect(r.stdout).toContain(env.GGEN_REGISTRY_URL)
    expect(r.stdout).toContain(list(['--name', L('rest-api')])[0]!.location)
    expect(ok(cli(['list'])).stdout).not.toContain('LOCATION')
    const csv = ok(cli(['list', '--csv', '--name', L('rest-api')])).stdout.trim().split('\n')
    expect(csv[0]!.endsWith(',description,source,location')).toBe(true)
    expect(csv[1]).toContain(env.GGEN_REGISTRY_URL)
  })
})

describe('info: short names', () => {
  it('a unique last segment or name resolves, with @version; an exact id wins', () => {
    expect(ok(cli(['info', 'react', '--json'])).json).toMatchObject({id: L('ts.react'), version: '1.10.0'})
    expect(ok(cli(['info', 'REACT@1.2.0', '--json'])).json).toMatchObject({id: L('ts.react'), version: '1.2.0'})
    expect(ok(cli(['info', 'rest-api', '--json'])).json.id).toBe(L('rest-api'))
    // `web` is an id of its own (io.l.rust.web's last segment is web too)
    expect(ok(cli(['info', 'web', '--json'])).json.id).toBe('web')
    const dep = ok(cli(['info', 'react', '--include-dependents', '--json'])).json
    expect(dep.dependents.map((d: {project: {name: string}; version: string}) => [d.project.name, d.version])).toEqual([
      ['alpha', '1.10.0'],
      ['gamma', '1.2.0'],
    ])
  })

  it('several matches: E_NOT_FOUND naming them; none: the nearest names', () => {
    const several = cli(['info', 'cli', '--json'])
    expect(several.code).toBe(4)
    expect(several.json.error).toMatchObject({code: 'E_NOT_FOUND'})
    expect(several.json.error.message).toContain(`${L('py.cli')}, ${L('rust.cli')}`)
    expect(several.json.error.hint).toContain('Did you mean')
    const typo = cli(['info', 'reakt'])
    expect(typo.code).toBe(4)
    expect(typo.stderr).toContain(`Did you mean \`${L('ts.react')}\``)
  })
})

describe('search: every word must match, word parts count, ranked by where they match', () => {
  const ids = (args: string[]) => (ok(cli(['search', ...args, '--json'])).json as {id: string}[]).map((r) => r.id)

  it('"rest api" finds io.l.rest-api; REST matches the word, not "interest"', () => {
    expect(ids(['rest api'])).toEqual([L('rest-api')])
    expect(ids(['REST'])).toEqual([L('rest-api')])
    expect(ids(['rest-api'])).toEqual([L('rest-api')])
    expect(ids(['rust', 'cli'])[0]).toBe(L('rust.cli'))
  })

  it('id/name above keywords above description', () => {
    expect(ids(['react'])).toEqual([L('ts.react'), L('rust.web'), L('docs')])
  })

  it('no match: the hint says which words match alone, or the nearest names', () => {
    const r = ok(cli(['search', 'rest zebra']))
    expect(r.stdout).toContain('No package matches "rest zebra"')
    expect(r.stdout).toContain(`\`rest\` alone matches 1 (${L('rest-api')})`)
    expect(r.stdout).toContain('`zebra` matches nothing')
    expect(ok(cli(['search', 'reakt'])).stdout).toContain(`Did you mean \`${L('ts.react')}\``)
    expect(ok(cli(['search', 'zebra', '--json'])).json).toEqual([])
    expect(ok(cli(['search', 'rest', '--min-quality', '100', '--production-ready'])).stdout).toContain('1 package matches "rest" but none passes --min-quality 100, --production-ready')
  })
})

const neo = await useNeo4j()

describe.skipIf(!!neo.skip)(`list on --backend neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  const neoEnv = () => {
    const s = neo.settings()
    return {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
  }

  it('rows carry the registry description, the source, and this machine\'s store path (null for another machine\'s)', async () => {
    await (await neo.fresh()).close()
    ok(cli(['graph', 'sync', '--json'], neoEnv()))
    ok(cli(['graph', 'sync', '--json', '--root', join(root, 'other')], {...neoEnv(), GGEN_HOME: join(root, 'home-2'), GGEN_MACHINE: 'other-machine'}))
    const team = ok(cli(['list', '--json', '--backend', 'neo4j'], neoEnv())).json as Row[]
    const local = list()
    const mine = team.filter((r) => r.id !== L('py.cli'))
    expect(keys(mine)).toEqual(keys(local))
    for (const r of mine) {
      const here = local.find((x) => x.id === r.id && x.version === r.version)!
      expect(r.location).toBe(here.location)
      expect(r.source).toBe(here.source)
      expect(r.description).toBe(specs.find((s) => s.id === r.id)!.description)
    }
    const pyCli = team.find((r) => r.id === L('py.cli'))!
    expect(pyCli).toMatchObject({location: null, source: env.GGEN_REGISTRY_URL, description: 'Typer apps', projects: [{name: 'delta'}]})
    // the same row seen from the other machine: its own store path
    const fromOther = ok(cli(['list', '--json', '--backend', 'neo4j', '--name', L('py.cli')], {...neoEnv(), GGEN_HOME: join(root, 'home-2'), GGEN_MACHINE: 'other-machine'})).json as Row[]
    expect(fromOther[0]!.location).toMatch(new RegExp(`^${join(root, 'home-2', 'store', 'v1')}/`))
    // sorting and globs answer the same on both backends
    const args = ['--sort', 'size,-last-used', '--name', 'io.l.{rust,ts}.*']
    expect(keys(ok(cli(['list', '--json', '--backend', 'neo4j', ...args], neoEnv())).json)).toEqual(keys(list(args)))
  }, 300_000)
})
