/**
 * Issue 2 end to end: the real binary against a temporary GGEN_HOME and a registry built with
 * `packs registry build`.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, runCliAsync, tempDir, writeGpackSources, writeProject, type GpackSpec} from '../support/cli.js'

const specs: GpackSpec[] = [
  {id: 'io.x.util', version: '1.0.0'},
  {id: 'io.x.util', version: '1.2.0'},
  {id: 'io.x.util', version: '1.3.0'},
  {id: 'io.x.util', version: '2.0.0'},
  {id: 'io.x.log', version: '1.0.0', deps: {'io.x.util': '^1.2.0'}},
  {id: 'io.x.web', version: '1.0.0', deps: {'io.x.util': '^1.0.0'}, keywords: ['web', 'http'], productionReady: true},
  {id: 'io.x.web', version: '1.5.0', deps: {'io.x.util': '^1.2.0', 'io.x.log': '^1.0.0'}, keywords: ['web', 'http'], productionReady: true},
  {id: 'io.x.cli', version: '0.9.0', deps: {'io.x.util': '~1.2.0'}},
  {id: 'io.x.new', version: '1.0.0', deps: {'io.x.util': '^2.0.0'}},
  {id: 'io.x.old', version: '1.0.0', deprecated: 'use io.x.new'},
  {id: 'io.x.bad', version: '1.0.0', yanked: true},
  {id: 'io.x.bad', version: '0.9.0'},
]

let root: string
let registry: string
let home: string
const env = () => ({GGEN_HOME: home, GGEN_REGISTRY_URL: registry})
const cli = (args: string[], extra: Record<string, string | undefined> = {}) => runCli(args, {env: {...env(), ...extra}})
const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8'))
const bytesOf = (dir: string) => ({toml: readFileSync(join(dir, 'ggen.toml'), 'utf8'), lock: existsSync(join(dir, '.ggen', 'packs.lock')) ? readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8') : null})

beforeAll(() => {
  root = tempDir()
  home = join(root, 'home')
  registry = buildRegistry(root, specs)
})

describe('install', () => {
  it('resolves, stores and locks; ggen.toml gets ^newest; the project is registered; audit + history written', () => {
    const p = writeProject(join(root, 'p1'), 'p1')
    const r = cli(['packs', 'install', 'io.x.web', '--project', p, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.changes).toEqual([
      {id: 'io.x.log', from: null, to: '1.0.0', kind: 'added'},
      {id: 'io.x.util', from: null, to: '1.3.0', kind: 'added'},
      {id: 'io.x.web', from: null, to: '1.5.0', kind: 'added'},
    ])
    expect(readFileSync(join(p, 'ggen.toml'), 'utf8')).toContain('"io.x.web" = "^1.5.0"')
    const lock = lockOf(p)
    expect(Object.keys(lock.packs)).toEqual(['io.x.log', 'io.x.util', 'io.x.web'])
    expect(lock.packs['io.x.web']).toMatchObject({version: '1.5.0', dependencies: ['io.x.log', 'io.x.util'], requires: {'io.x.util': '^1.2.0', 'io.x.log': '^1.0.0'}, source: {type: 'Registry'}})
    expect(lock.packs['io.x.web'].integrity).toMatch(/^sha512-/)
    // sorted keys on disk
    const text = readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8')
    expect(text.indexOf('"ggen_version"')).toBeLessThan(text.indexOf('"packs"'))
    expect(JSON.parse(readFileSync(join(home, 'projects.json'), 'utf8')).projects).toHaveProperty([p])
    const audit = readFileSync(join(home, 'audit', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const last = audit.at(-1)
    expect(last).toMatchObject({action: 'install', result: 'success', affected_packages: ['io.x.log', 'io.x.util', 'io.x.web']})
    expect(last.environment).toMatchObject({project: p, machine: 'test-machine'})
    expect(last.prev_hash).toMatch(/^[0-9a-f]{64}$/)
    const hist = readdirSync(join(home, 'history'))
    expect(hist.length).toBeGreaterThan(0)
  })

  it('shares one store copy per version across projects', () => {
    const p2 = writeProject(join(root, 'p2'), 'p2')
    expect(cli(['packs', 'install', 'io.x.web@1.5.0', '--project', p2]).code).toBe(0)
    const storeDirs = readdirSync(join(home, 'store', 'v1')).filter((d) => !d.startsWith('.') && d !== 'index.json')
    expect(storeDirs).toHaveLength(3)
    const r = cli(['packs', 'install', 'io.x.web@1.5.0', '--project', p2, '--json'])
    expect(r.json.changes).toEqual([])
  })

  it('install with no arguments installs what ggen.toml lists', () => {
    const p = writeProject(join(root, 'p-noargs'), 'noargs', {'io.x.cli': '^0.9.0'}, '')
    const r = cli(['packs', 'install', '--project', p, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(lockOf(p).packs['io.x.util'].version).toBe('1.2.0')
  })

  it('skips yanked versions and warns about deprecated ones', () => {
    const p = writeProject(join(root, 'p-yank'), 'yank')
    const r = cli(['packs', 'install', 'io.x.bad', 'io.x.old', '--project', p])
    expect(r.code, r.stderr).toBe(0)
    expect(lockOf(p).packs['io.x.bad'].version).toBe('0.9.0')
    expect(r.stderr).toContain('io.x.old@1.0.0 is deprecated: use io.x.new')
  })

  it('an unsatisfiable install names every requirer and the versions, and writes nothing', () => {
    const p = writeProject(join(root, 'p-conflict'), 'conflict')
    expect(cli(['packs', 'install', 'io.x.cli', '--project', p]).code).toBe(0)
    const before = bytesOf(p)
    const r = cli(['packs', 'install', 'io.x.new', '--project', p])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('io.x.new@1.0.0 requires io.x.util ^2.0.0')
    expect(r.stderr).toContain('io.x.cli@0.9.0 requires io.x.util ~1.2.0')
    expect(r.stderr).toMatch(/available: 2\.0\.0, 1\.3\.0, 1\.2\.0, 1\.0\.0/)
    expect(r.stderr).toContain('Try this:')
    expect(bytesOf(p)).toEqual(before)
    const j = cli(['packs', 'install', 'io.x.new', '--project', p, '--json'])
    expect(j.json.error.code).toBe('E_RESOLVE')
    expect(j.json.error.details.requirers).toHaveLength(2)
  })

  it('unknown package: suggestion in the hint; bad spec: usage error', () => {
    const p = writeProject(join(root, 'p-unknown'), 'unknown')
    const r = cli(['packs', 'install', 'io.x.wbe', '--project', p, '--json'])
    expect(r.code).toBe(4)
    expect(r.json.error).toMatchObject({code: 'E_NOT_FOUND'})
    expect(r.json.error.hint).toContain('io.x.web')
    const bad = cli(['packs', 'install', 'io.x.web@not-a-range', '--project', p, '--json'])
    expect(bad.code).toBe(2)
    expect(bad.json.error.code).toBe('E_USAGE')
    expect(existsSync(join(p, '.ggen', 'packs.lock'))).toBe(false)
  })

  it('an id without a range gets the newest version that resolves, recorded as ^chosen, with a warning naming the newest', () => {
    const r0 = tempDir()
    const reg = buildRegistry(r0, [
      {id: 'io.n.util', version: '1.0.0'},
      {id: 'io.n.util', version: '1.1.0', yanked: true},
      {id: 'io.n.web', version: '1.0.0', deps: {'io.n.util': '^1.0.0'}},
      {id: 'io.n.web', version: '1.1.0', deps: {'io.n.util': '^1.1.0'}},
    ])
    const p = writeProject(join(r0, 'p'), 'p')
    const r = runCli(['packs', 'install', 'io.n.web', '--project', p, '--json'], {env: {GGEN_HOME: join(r0, 'home'), GGEN_REGISTRY_URL: reg}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.changes.find((c: {id: string}) => c.id === 'io.n.web').to).toBe('1.0.0')
    expect(readFileSync(join(p, 'ggen.toml'), 'utf8')).toContain('"io.n.web" = "^1.0.0"')
    expect(r.stderr).toMatch(/io\.n\.web 1\.1\.0 \(the newest\) cannot be installed/)
  })

  it('uninstall removes the package and prunes what nothing needs any more', () => {
    const p = writeProject(join(root, 'p-un'), 'un')
    cli(['packs', 'install', 'io.x.web', 'io.x.cli', '--project', p])
    expect(Object.keys(lockOf(p).packs)).toEqual(['io.x.cli', 'io.x.log', 'io.x.util', 'io.x.web'])
    const r = cli(['packs', 'uninstall', 'io.x.web', '--project', p, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(Object.keys(lockOf(p).packs)).toEqual(['io.x.cli', 'io.x.util'])
    expect(readFileSync(join(p, 'ggen.toml'), 'utf8')).not.toContain('io.x.web')
    const notDirect = cli(['packs', 'uninstall', 'io.x.util', '--project', p, '--json'])
    expect(notDirect.code).toBe(4)
    expect(notDirect.json.error.hint).toContain('io.x.cli')
  })
})

describe('update', () => {
  it('dry-run prints before -> after and writes nothing; update moves within ranges; --latest rewrites ggen.toml', () => {
    const r0 = tempDir()
    const reg = buildRegistry(r0, [{id: 'io.y.a', version: '1.0.0'}, {id: 'io.y.b', version: '1.0.0', deps: {'io.y.a': '^1.0.0'}}])
    const e = {GGEN_HOME: join(r0, 'home'), GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(r0, 'proj'), 'proj')
    expect(runCli(['packs', 'install', 'io.y.b', '--project', p], {env: e}).code).toBe(0)
    // publish new versions
    writeGpackSources(join(r0, 'src'), [
      {id: 'io.y.a', version: '1.1.0'},
      {id: 'io.y.a', version: '2.0.0'},
      {id: 'io.y.b', version: '2.0.0', deps: {'io.y.a': '^2.0.0'}},
    ])
    expect(runCli(['packs', 'registry', 'build', join(r0, 'src'), reg], {env: e}).code).toBe(0)
    const before = bytesOf(p)
    const dry = runCli(['packs', 'update', '--dry-run', '--project', p, '--json'], {env: e})
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.json).toMatchObject({dryRun: true, changes: [{id: 'io.y.a', from: '1.0.0', to: '1.1.0', kind: 'upgraded'}]})
    expect(bytesOf(p)).toEqual(before)
    const human = runCli(['packs', 'update', '--dry-run', '--project', p], {env: e})
    expect(human.stdout).toContain('io.y.a 1.0.0 -> 1.1.0')
    expect(runCli(['packs', 'update', '--project', p], {env: e}).code).toBe(0)
    expect(lockOf(p).packs['io.y.a'].version).toBe('1.1.0')
    expect(bytesOf(p).toml).toBe(before.toml) // ranges unchanged, user's file untouched
    const latest = runCli(['packs', 'update', '--latest', '--project', p, '--json'], {env: e})
    expect(latest.code, latest.stderr).toBe(0)
    expect(lockOf(p).packs['io.y.b'].version).toBe('2.0.0')
    expect(lockOf(p).packs['io.y.a'].version).toBe('2.0.0')
    expect(readFileSync(join(p, 'ggen.toml'), 'utf8')).toContain('"io.y.b" = "^2.0.0"')
  })
})

describe('transactions', () => {
  it('four installs at once into one project all land in one valid lockfile', async () => {
    const p = writeProject(join(root, 'p-conc'), 'conc')
    const rs = await Promise.all(['io.x.web', 'io.x.cli', 'io.x.old', 'io.x.bad'].map((id) => runCliAsync(['packs', 'install', id, '--project', p], {env: env()})))
    for (const r of rs) expect(r.code, r.stderr).toBe(0)
    const lock = lockOf(p)
    for (const id of ['io.x.web', 'io.x.cli', 'io.x.old', 'io.x.bad']) expect(lock.packs).toHaveProperty([id])
    const toml = readFileSync(join(p, 'ggen.toml'), 'utf8')
    for (const id of ['io.x.web', 'io.x.cli', 'io.x.old', 'io.x.bad']) expect(toml).toContain(`"${id}"`)
    expect(existsSync(join(p, '.ggen', '.packs.lck'))).toBe(false)
    expect(existsSync(join(p, '.ggen', 'txn.json'))).toBe(false)
  })

  it('an injected failure at any write step leaves the project byte-identical', () => {
    const p = writeProject(join(root, 'p-fail'), 'fail')
    expect(cli(['packs', 'install', 'io.x.cli', '--project', p]).code).toBe(0)
    const before = bytesOf(p)
    // fail:N for N = 1, 2, ... until N is past the last write step (the install then succeeds);
    // later runs find the packages already in the store, so the step count is learned, not traced
    let n = 1
    for (; n < 40; n++) {
      const r = cli(['packs', 'install', 'io.x.web', '--project', p], {GGEN_PACKS_FAULT: `fail:${n}`})
      if (r.code === 0) break
      expect(r.code, `step ${n}`).toBe(70)
      expect(r.stderr).toContain('injected failure')
      expect(bytesOf(p), `step ${n}`).toEqual(before)
      expect(existsSync(join(p, '.ggen', 'txn.json'))).toBe(false)
    }
    expect(n).toBeGreaterThan(5)
    expect(lockOf(p).packs).toHaveProperty(['io.x.web'])
  })

  it('a truncated lockfile is refused, named, and never overwritten', () => {
    const p = writeProject(join(root, 'p-trunc'), 'trunc')
    expect(cli(['packs', 'install', 'io.x.cli', '--project', p]).code).toBe(0)
    const full = readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8')
    const cut = full.slice(0, Math.floor(full.length / 2))
    writeFileSync(join(p, '.ggen', 'packs.lock'), cut)
    const r = cli(['packs', 'install', 'io.x.web', '--project', p, '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('E_PARSE')
    expect(r.json.error.message).toContain('packs.lock')
    expect(r.json.error.file).toBe(join(p, '.ggen', 'packs.lock'))
    expect(readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8')).toBe(cut)
    const u = cli(['packs', 'uninstall', 'io.x.cli', '--project', p])
    expect(u.code).toBe(3)
    expect(readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8')).toBe(cut)
  })

  it('a wrong type in ggen.toml names the file and the field', () => {
    const p = join(root, 'p-badtoml')
    writeProject(p, 'badtoml')
    writeFileSync(join(p, 'ggen.toml'), '[project]\nname = "x"\n[packs]\n"io.x.web" = 5\n')
    const r = cli(['packs', 'install', '--project', p, '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error.field).toBe('packs.io.x.web')
    expect(r.json.error.message).toContain('ggen.toml')
  })
})
