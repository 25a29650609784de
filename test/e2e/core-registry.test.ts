/**
 * Issue 2 end to end: registries over real HTTP on loopback, the offline cache, signatures,
 * the real 77-package marketplace index, search/info/list/gc.
 */
import {createServer, type Server} from 'node:http'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, ggenRealDir, runCli, runCliAsync, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

const specs: GpackSpec[] = [
  {id: 'io.h.util', version: '1.0.0', keywords: ['util']},
  {id: 'io.h.util', version: '1.1.0', keywords: ['util']},
  {id: 'io.h.db', version: '2.0.0', deps: {'io.h.util': '^1.0.0'}, description: 'database schema generator', keywords: ['database', 'sql'], productionReady: true, author: 'alice'},
  {id: 'io.h.api', version: '1.0.0', deps: {'io.h.db': '^2.0.0'}, description: 'REST api with a database layer', keywords: ['api'], author: 'bob'},
]

function serve(dir: string): Promise<{server: Server; url: string; hits: string[]}> {
  const hits: string[] = []
  const server = createServer((req, res) => {
    hits.push(req.url ?? '')
    const file = join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]!))
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200).end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({server, url: `http://127.0.0.1:${(server.address() as {port: number}).port}/`, hits})))
}

let root: string
let registryDir: string
let http: {server: Server; url: string; hits: string[]}

beforeAll(async () => {
  root = tempDir()
  registryDir = buildRegistry(root, specs)
  http = await serve(registryDir)
})
afterAll(() => http.server.close())

describe('http registry and offline cache', () => {
  it('installs over HTTP, then works offline from the cache, and refuses clearly when nothing is cached', async () => {
    const home = join(root, 'home-http')
    const p = writeProject(join(root, 'http-proj'), 'http-proj')
    // the test server runs in this process: use the async runner so the event loop keeps serving
    const r = await runCliAsync(['packs', 'install', 'io.h.api', '--project', p, '--json'], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: http.url}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.fetched).toBe(3)
    expect(http.hits).toContain('/index.json')
    expect(http.hits.some((h) => h.startsWith('/tarballs/io.h.db-2.0.0.tgz'))).toBe(true)
    const lock = JSON.parse(readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8'))
    expect(lock.packs['io.h.api'].source).toEqual({type: 'Registry', url: http.url})

    // offline: search, info, list and an install of cached versions work with the server unreachable
    const offEnv = {GGEN_HOME: home, GGEN_REGISTRY_URL: 'http://127.0.0.1:9/', GGEN_OFFLINE: '1'}
    const offline = {GGEN_HOME: home, GGEN_REGISTRY_URL: http.url, GGEN_OFFLINE: '1'}
    const s = await runCliAsync(['packs', 'search', 'database', '--json'], {env: offline})
    expect(s.code, s.stderr).toBe(0)
    expect(s.json.map((x: {id: string}) => x.id)).toEqual(['io.h.db', 'io.h.api'])
    const hitsBefore = http.hits.length
    const p2 = writeProject(join(root, 'http-proj2'), 'http-proj2')
    const i2 = await runCliAsync(['packs', 'install', 'io.h.db', '--project', p2, '--json'], {env: offline})
    expect(i2.code, i2.stderr).toBe(0)
    expect(i2.json.reused).toBe(2)
    expect(http.hits.length).toBe(hitsBefore)
    const l = await runCliAsync(['packs', 'list', '--json'], {env: offline})
    expect(l.json.map((x: {id: string}) => x.id)).toEqual(['io.h.api', 'io.h.db', 'io.h.util'])
    // a registry never fetched: clear error
    const never = await runCliAsync(['packs', 'search', 'x', '--json'], {env: offEnv})
    expect(never.code).toBe(6)
    expect(never.json.error.code).toBe('E_OFFLINE')
    expect(never.json.error.hint).toMatch(/online/)
  })

  it('an unreachable registry is a clear error with a hint', async () => {
    const r = await runCliAsync(['packs', 'search', 'x', '--json'], {env: {GGEN_HOME: join(root, 'h-unreach'), GGEN_REGISTRY_URL: 'http://127.0.0.1:9/'}})
    expect(r.code).toBe(6)
    expect(r.json.error.code).toBe('E_REGISTRY')
    expect(r.json.error.hint).toContain('--offline')
  })

  it('several registries: the first one that carries an id wins (flags, then GGEN_REGISTRY_URL, then config)', () => {
    const r2root = tempDir()
    const other = buildRegistry(r2root, [{id: 'io.h.util', version: '9.0.0'}, {id: 'io.h.only-here', version: '1.0.0'}])
    const home = join(root, 'home-multi')
    const both = runCli(['packs', 'search', 'io.h', '--json', '--registry', registryDir], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: other}})
    const util = both.json.find((x: {id: string}) => x.id === 'io.h.util')
    expect(util.version).toBe('1.1.0')
    expect(both.json.some((x: {id: string}) => x.id === 'io.h.only-here')).toBe(true)
    writeFileSync(join(home, 'config.json'), JSON.stringify({registries: [other]}))
    const cfg = runCli(['packs', 'info', 'io.h.util', '--json'], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: undefined}})
    expect(cfg.json.latest).toBe('9.0.0')
    const fileUrl = runCli(['packs', 'info', 'io.h.util', '--json', '--registry', `file://${registryDir}`], {env: {GGEN_HOME: home}})
    expect(fileUrl.json.latest).toBe('1.1.0')
  })
})

describe('signatures', () => {
  it('a signed registry installs; a tampered signature is refused and nothing is written', () => {
    const r0 = tempDir()
    const key = join(r0, 'key.pem')
    expect(runCli(['packs', 'registry', 'keygen', key, '--json']).code).toBe(0)
    const reg = buildRegistry(r0, [{id: 'io.s.a', version: '1.0.0'}], ['--sign-key', key])
    const idx = JSON.parse(readFileSync(join(reg, 'index.json'), 'utf8'))
    expect(idx.keys).toHaveLength(1)
    expect(idx.packages['io.s.a'].versions['1.0.0'].signature).toBeTruthy()
    const env = {GGEN_HOME: join(r0, 'home'), GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(r0, 'p'), 'p')
    expect(runCli(['packs', 'install', 'io.s.a', '--project', p], {env}).code).toBe(0)
    const info = runCli(['packs', 'info', 'io.s.a', '--json'], {env})
    expect(info.json.versions[0].signed).toBe(true)
    // tamper: flip the signature
    const sig: string = idx.packages['io.s.a'].versions['1.0.0'].signature
    idx.packages['io.s.a'].versions['1.0.0'].signature = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
    writeFileSync(join(reg, 'index.json'), JSON.stringify(idx))
    const p2 = writeProject(join(r0, 'p2'), 'p2')
    const bad = runCli(['packs', 'install', 'io.s.a', '--project', p2, '--json'], {env: {...env, GGEN_HOME: join(r0, 'home2')}})
    expect(bad.code).toBe(5)
    expect(bad.json.error.code).toBe('E_SIGNATURE')
    expect(existsSync(join(p2, '.ggen', 'packs.lock'))).toBe(false)
  })

  it('a tarball that does not match its integrity is refused', () => {
    const r0 = tempDir()
    const reg = buildRegistry(r0, [{id: 'io.t.a', version: '1.0.0'}])
    writeFileSync(join(reg, 'tarballs', 'io.t.a-1.0.0.tgz'), 'garbage')
    const p = writeProject(join(r0, 'p'), 'p')
    const r = runCli(['packs', 'install', 'io.t.a', '--project', p, '--json'], {env: {GGEN_HOME: join(r0, 'home'), GGEN_REGISTRY_URL: reg}})
    expect(r.code).toBe(5)
    expect(r.json.error.code).toBe('E_INTEGRITY')
    expect(existsSync(join(p, '.ggen', 'packs.lock'))).toBe(false)
  })
})

describe('the real 77-package marketplace index as a registry', () => {
  const market = join(ggenRealDir, 'head-7fc324df3', 'marketplace', 'registry', 'index.json')
  const env = () => ({GGEN_HOME: join(root, 'home-market'), GGEN_REGISTRY_URL: market})

  it('search ranks by name, keywords and description with filters', () => {
    const r = runCli(['packs', 'search', 'paper', '--json', '--limit', '100'], {env: env()})
    expect(r.code, r.stderr).toBe(0)
    const ids = r.json.map((x: {id: string}) => x.id)
    expect(ids).toEqual(expect.arrayContaining(['arxiv-paper-template', 'ieee-paper-template', 'neurips-paper-template']))
    expect(r.json[0].score).toBeGreaterThanOrEqual(r.json.at(-1).score)
    const all = runCli(['packs', 'search', 'a', '--json', '--limit', '500'], {env: env()})
    const prod = runCli(['packs', 'search', 'a', '--production-ready', '--json', '--limit', '500'], {env: env()})
    expect(prod.json.length).toBeGreaterThan(0)
    expect(prod.json.length).toBeLessThan(all.json.length)
    expect(prod.json.every((x: {production_ready: boolean}) => x.production_ready)).toBe(true)
    const cat = runCli(['packs', 'search', 'a', '--category', 'academic', '--json', '--limit', '500'], {env: env()})
    expect(cat.json.every((x: {category: string}) => x.category === 'academic')).toBe(true)
  })

  it('info shows metadata, versions with sha256 integrity, and dependencies (including the dangling one)', () => {
    const r = runCli(['packs', 'info', 'academic-peer-review-workflow', '--json'], {env: env()})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({id: 'academic-peer-review-workflow', version: '1.0.0', author: 'ggen-team'})
    expect(r.json.versions[0].integrity).toMatch(/^sha256-/)
    expect(r.json.dependencies.map((d: {id: string}) => d.id)).toContain('academic-paper-lifecycle')
    const human = runCli(['packs', 'info', 'hello-world'], {env: env()})
    expect(human.stdout).toContain('hello-world')
    expect(human.stdout).toContain('VERSION')
  })
})

describe('list', () => {
  it('lists every version once with its projects; sort, filters, yaml and csv; a broken project is reported and the rest listed', () => {
    const r0 = tempDir()
    const reg = buildRegistry(r0, specs)
    const env = {GGEN_HOME: join(r0, 'home'), GGEN_REGISTRY_URL: reg}
    const a = writeProject(join(r0, 'ws', 'a'), 'alpha')
    const b = writeProject(join(r0, 'ws', 'b'), 'beta')
    expect(runCli(['packs', 'install', 'io.h.api', '--project', a], {env}).code).toBe(0)
    expect(runCli(['packs', 'install', 'io.h.util@1.0.0', '--project', b], {env}).code).toBe(0)
    const l = runCli(['packs', 'list', '--json'], {env})
    expect(l.code, l.stderr).toBe(0)
    expect(l.json.map((x: {id: string; version: string}) => `${x.id}@${x.version}`)).toEqual(['io.h.api@1.0.0', 'io.h.db@2.0.0', 'io.h.util@1.0.0', 'io.h.util@1.1.0'])
    const db = l.json[1]
    expect(Object.keys(db).sort()).toEqual(['author', 'deprecated', 'description', 'id', 'last_used', 'license', 'location', 'name', 'production_ready', 'projects', 'quality_score', 'security', 'size', 'source', 'version', 'yanked'].sort())
    expect(db).toMatchObject({author: 'alice', license: 'MIT', production_ready: true, projects: [{name: 'alpha', path: a}]})
    expect(db.size).toBeGreaterThan(0)
    expect(typeof db.quality_score).toBe('number')
    expect(runCli(['packs', 'list', '--json', '--production-ready'], {env}).json.map((x: {id: string}) => x.id)).toEqual(['io.h.db'])
    expect(runCli(['packs', 'list', '--json', '--author', 'bob'], {env}).json.map((x: {id: string}) => x.id)).toEqual(['io.h.api'])
    expect(runCli(['packs', 'list', '--json', '--project', b], {env}).json.map((x: {version: string}) => x.version)).toEqual(['1.0.0'])
    const byVersion = runCli(['packs', 'list', '--json', '--sort', '-version'], {env}).json.map((x: {version: string}) => x.version)
    expect(byVersion[0]).toBe('2.0.0')
    const yaml = runCli(['packs', 'list', '--yaml'], {env})
    expect(yaml.stdout).toMatch(/^- id: io\.h\.api/m)
    const csv = runCli(['packs', 'list', '--csv'], {env})
    expect(csv.stdout.split('\n')[0]).toBe('id,name,version,size,quality_score,production_ready,author,license,last_used,projects,description,source,location')
    expect(csv.stdout.split('\n').filter(Boolean)).toHaveLength(5)
    const table = runCli(['packs', 'list'], {env})
    expect(table.stdout).toMatch(/PACKAGE\s+VERSION/)

    // break project b's lockfile: reported with its path, a still listed
    writeFileSync(join(b, '.ggen', 'packs.lock'), '{"packs": {')
    const broken = runCli(['packs', 'list', '--json'], {env})
    expect(broken.code).toBe(0)
    expect(broken.stderr).toContain(join(b, '.ggen', 'packs.lock'))
    expect(broken.json.map((x: {id: string}) => x.id)).toEqual(['io.h.api', 'io.h.db', 'io.h.util'])

    // --root finds unregistered projects too; a nothing-changed rescan gives the same answer
    const c = writeProject(join(r0, 'elsewhere', 'c'), 'gamma')
    writeFileSync(join(c, 'ggen.toml'), readFileSync(join(a, 'ggen.toml'), 'utf8').replace('alpha', 'gamma'))
    rmSync(join(c, '.ggen'), {recursive: true, force: true})
    const withRoot = runCli(['packs', 'list', '--json', '--root', join(r0, 'elsewhere')], {env})
    expect(withRoot.code).toBe(0)
    expect(runCli(['packs', 'list', '--json'], {env}).stdout).toBe(broken.stdout)
  })

  it('gc removes store entries no project uses; --dry-run removes nothing', () => {
    const r0 = tempDir()
    const reg = buildRegistry(r0, specs)
    const env = {GGEN_HOME: join(r0, 'home'), GGEN_REGISTRY_URL: reg}
    const a = writeProject(join(r0, 'a'), 'a')
    runCli(['packs', 'install', 'io.h.api', '--project', a], {env})
    runCli(['packs', 'uninstall', 'io.h.api', '--project', a], {env})
    const dry = runCli(['packs', 'gc', '--dry-run', '--json'], {env})
    expect(dry.json.removed.map((e: {id: string}) => e.id)).toEqual(['io.h.api', 'io.h.db', 'io.h.util'])
    expect(runCli(['packs', 'gc', '--dry-run', '--json'], {env}).json.removed).toHaveLength(3)
    const real = runCli(['packs', 'gc', '--json'], {env})
    expect(real.json.freed).toBeGreaterThan(0)
    expect(runCli(['packs', 'gc', '--json'], {env}).json.removed).toEqual([])
  })
})
