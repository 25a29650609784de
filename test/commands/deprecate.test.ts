/**
 * Issue 10, "Deprecate and yank": the real binary against temporary GGEN_HOMEs and registries
 * built with `packs registry build`: a directory registry we own (the mark goes into its
 * index.json), a read-only one and an http one on 127.0.0.1 (the local overlay), and what every
 * reader then shows.
 */
import {chmodSync, cpSync, readFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, runCliAsync, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

const specs: GpackSpec[] = [
  {id: 'io.d.util', version: '1.0.0'},
  {id: 'io.d.util', version: '1.1.0'},
  {id: 'io.d.util2', version: '2.0.0'},
  {id: 'io.d.app', version: '1.0.0', deps: {'io.d.util': '^1.0.0'}},
]

const auditOf = (home: string) =>
  readFileSync(join(home, 'audit', 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
const lockText = (dir: string) => readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8')
const lockOf = (dir: string) => JSON.parse(lockText(dir))

describe('deprecate in a directory registry we own', () => {
  let root: string
  let home: string
  let registry: string
  const cli = (args: string[]) => runCli(args, {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry, GGEN_USER: 'maria'}})

  beforeAll(() => {
    root = tempDir()
    home = join(root, 'home')
    registry = buildRegistry(root, specs)
    expect(cli(['packs', 'install', 'io.d.util@1.0.0', '--project', writeProject(join(root, 'web'), 'web', {}, 'team = "frontend"\nowner = "ana"'), '--json']).code).toBe(0)
    expect(cli(['packs', 'install', 'io.d.app', '--project', writeProject(join(root, 'api'), 'api'), '--json']).code).toBe(0)
  })

  it('writes the mark, with who and when, into index.json, leaving signatures and integrity as they were', () => {
    const before = JSON.parse(readFileSync(join(registry, 'index.json'), 'utf8')).packages['io.d.util'].versions['1.0.0']
    const r = cli(['packs', 'deprecate', 'io.d.util@<1.1', '--message', 'use io.d.util2', '--replacement', 'io.d.util2', '--registry', registry, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({action: 'deprecate', id: 'io.d.util', range: '<1.1', versions: ['1.0.0'], target: {kind: 'registry', file: join(registry, 'index.json')}, user: 'maria', replacement: 'io.d.util2'})
    const v = JSON.parse(readFileSync(join(registry, 'index.json'), 'utf8')).packages['io.d.util'].versions
    expect(v['1.0.0']).toMatchObject({deprecated: 'use io.d.util2', replacement: 'io.d.util2', deprecated_by: 'maria', integrity: before.integrity})
    expect(v['1.0.0'].deprecated_at).toBe(r.json.at)
    expect(v['1.1.0'].deprecated ?? null).toBeNull()
  })

  it('list, info, search and verify show it; install warns and names the replacement', () => {
    const list = cli(['packs', 'list', '--json'])
    expect(list.json.find((x: {id: string}) => x.id === 'io.d.util').deprecated).toBe('use io.d.util2 (use io.d.util2 instead)')
    const info = cli(['packs', 'info', 'io.d.util', '--json'])
    expect(info.json.versions.find((x: {version: string}) => x.version === '1.0.0')).toMatchObject({deprecated: 'use io.d.util2', replacement: 'io.d.util2', deprecated_by: 'maria'})
    expect(cli(['packs', 'info', 'io.d.util']).stdout).toContain('deprecated: use io.d.util2')
    const search = cli(['packs', 'search', 'io.d.util', '--json'])
    expect(search.code, search.stderr).toBe(0)
    const verify = cli(['packs', 'verify', '--project', join(root, 'web'), '--json'])
    expect(JSON.stringify(verify.json)).toContain('io.d.util@1.0.0 is deprecated')
    const p = writeProject(join(root, 'p3'), 'p3')
    const install = cli(['packs', 'install', 'io.d.util@1.0.0', '--project', p])
    expect(install.code, install.stderr).toBe(0)
    expect(install.stderr).toContain('io.d.util@1.0.0 is deprecated: use io.d.util2 (use io.d.util2 instead)')
  })

  it('dependents names the projects to tell and the deprecation', () => {
    const r = cli(['packs', 'dependents', 'io.d.util', '--json'])
    expect(r.json.projects.map((p: {project: {name: string}}) => p.project.name).sort()).toEqual(['api', 'p3', 'web'])
    expect(r.json.notices).toEqual([expect.objectContaining({version: '1.0.0', deprecated: 'use io.d.util2', replacement: 'io.d.util2', yanked: false})])
    const t = cli(['packs', 'dependents', 'io.d.util'])
    expect(t.stdout).toContain('io.d.util@1.0.0 is deprecated')
    expect(t.stdout).toContain('web')
  })

  it('--undo clears it; both runs are audited with who', () => {
    const r = cli(['packs', 'deprecate', 'io.d.util@<1.1', '--undo', '--registry', registry, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({action: 'deprecate-undo', versions: ['1.0.0']})
    const v = JSON.parse(readFileSync(join(registry, 'index.json'), 'utf8')).packages['io.d.util'].versions['1.0.0']
    expect(v.deprecated ?? null).toBeNull()
    expect(v.deprecated_by).toBeUndefined()
    expect(cli(["packs", "list", "--json"]).json.find((x: {id: string}) => x.id === 'io.d.util').deprecated).toBeNull()
    const again = cli(['packs', 'deprecate', 'io.d.util@<1.1', '--undo', '--registry', registry, '--json'])
    expect(again.code).toBe(4)
    expect(again.json.error.code).toBe('E_NOT_FOUND')
    const audit = auditOf(home).filter((e) => e.action.startsWith('deprecate'))
    expect(audit.map((e) => [e.action, e.result, e.user])).toEqual([
      ['deprecate', 'success', 'maria'],
      ['deprecate-undo', 'success', 'maria'],
      ['deprecate-undo', 'failure', 'maria'],
    ])
    expect(audit[0].affected_packages).toEqual(['io.d.util@1.0.0'])
    expect(audit[0].details).toContain('use io.d.util2')
  })

  it('refuses what it cannot do: no message, unknown package, unknown replacement, no matching version', () => {
    expect(cli(['packs', 'deprecate', 'io.d.util', '--json']).json.error).toMatchObject({code: 'E_USAGE', field: '--message'})
    expect(cli(['packs', 'deprecate', 'io.d.utl', '-m', 'x', '--json']).json.error.code).toBe('E_NOT_FOUND')
    expect(cli(['packs', 'deprecate', 'io.d.util', '-m', 'x', '--replacement', 'io.d.nope', '--json']).json.error).toMatchObject({code: 'E_NOT_FOUND', field: '--replacement'})
    expect(cli(['packs', 'deprecate', 'io.d.util@^9', '-m', 'x', '--json']).json.error.code).toBe('E_VERSION_NOT_FOUND')
  })
})

describe('yank through the overlay (a registry we cannot write)', () => {
  let root: string
  let home: string
  let registry: string
  let server: Server
  let url: string
  const cli = (args: string[], reg = url) => runCliAsync(args, {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: reg, GGEN_REGISTRY_TTL: '0'}})

  beforeAll(async () => {
    root = tempDir()
    home = join(root, 'home')
    registry = buildRegistry(root, specs)
    server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(registry, decodeURIComponent((req.url ?? '/').slice(1)))))
      } catch {
        res.statusCode = 404
        res.end()
      }
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const r = await cli(['packs', 'install', 'io.d.app', '--project', writeProject(join(root, 'locked'), 'locked'), '--json'])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  it('records the yank in $GGEN_HOME/overlay/deprecations.json, says why, and leaves the registry alone', async () => {
    const index = readFileSync(join(registry, 'index.json'), 'utf8')
    const r = await cli(['packs', 'deprecate', 'io.d.util@1.1.0', '--yank', '--message', 'breaks templates', '--registry', url, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({action: 'yank', versions: ['1.1.0'], target: {kind: 'overlay', file: join(home, 'overlay', 'deprecations.json')}})
    expect(r.json.note).toContain('http registry')
    expect(readFileSync(join(registry, 'index.json'), 'utf8')).toBe(index)
    const overlay = JSON.parse(readFileSync(join(home, 'overlay', 'deprecations.json'), 'utf8'))
    expect(overlay).toMatchObject({format: 'ggen-packs-deprecations/1', records: [{kind: 'yank', id: 'io.d.util', range: '1.1.0', message: 'breaks templates'}]})
    expect(auditOf(home).at(-1)).toMatchObject({action: 'yank', result: 'success', affected_packages: ['io.d.util@1.1.0']})
  })

  it('a new install skips the yanked version; the existing lock installs and verifies as it is', async () => {
    const fresh = writeProject(join(root, 'fresh'), 'fresh')
    const r = await cli(['packs', 'install', 'io.d.app', '--project', fresh, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(lockOf(fresh).packs['io.d.util'].version).toBe('1.0.0')
    const exact = await cli(['packs', 'install', 'io.d.util@1.1.0', '--project', writeProject(join(root, 'exact'), 'exact'), '--json'])
    expect(exact.code).toBe(4)
    expect(exact.json.error.message).toContain('yanked')
    // a clone of the locked project: its lock pins 1.1.0 and installs as it is
    const locked = join(root, 'locked')
    expect(lockOf(locked).packs['io.d.util'].version).toBe('1.1.0')
    const clone = join(root, 'clone')
    cpSync(locked, clone, {recursive: true})
    const before = lockText(clone)
    const again = await cli(['packs', 'install', '--project', clone, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(lockText(clone)).toBe(before)
    const verify = await cli(['packs', 'verify', '--project', clone, '--json'])
    expect(verify.code, verify.stdout).toBe(0)
    expect(JSON.stringify(verify.json)).toContain('yanked')
  })

  it('list, info, search and dependents show the yank', async () => {
    const list = await cli(['packs', 'list', '--json'])
    expect(list.json.find((x: {id: string; version: string}) => x.id === 'io.d.util' && x.version === '1.1.0').yanked).toBe(true)
    const info = await cli(['packs', 'info', 'io.d.util', '--json'])
    expect(info.json.versions.find((x: {version: string}) => x.version === '1.1.0')).toMatchObject({yanked: true, yanked_reason: 'breaks templates'})
    expect(info.json.latest).toBe('1.0.0')
    const search = await cli(['packs', 'search', 'io.d.util', '--json'])
    expect(search.json.find((x: {id: string}) => x.id === 'io.d.util').version).toBe('1.0.0')
    const dep = await cli(['packs', 'dependents', 'io.d.util', '--json'])
    expect(dep.json.notices).toEqual([expect.objectContaining({version: '1.1.0', yanked: true})])
  })

  it('--yank --undo takes it back; the registry folder read-only (another uid) also lands in the overlay', async () => {
    const r = await cli(['packs', 'deprecate', 'io.d.util@1.1.0', '--yank', '--undo', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(home, 'overlay', 'deprecations.json'), 'utf8')).records).toEqual([])
    expect(auditOf(home).at(-1)).toMatchObject({action: 'yank-undo', result: 'success'})
    // as nobody: the registry (root's) is not writable, so the mark goes into nobody's own overlay
    const nobodyHome = join(root, 'nobody-home')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(nobodyHome)
    chmodSync(nobodyHome, 0o777)
    chmodSync(root, 0o755)
    const {spawnSync} = await import('node:child_process')
    const {binPath} = await import('../support/cli.js')
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, binPath, 'packs', 'deprecate', 'io.d.util', '-m', 'old', '--registry', registry, '--json'], {
      env: {...process.env, GGEN_HOME: nobodyHome, GGEN_REGISTRY_URL: registry, NO_COLOR: '1'},
      encoding: 'utf8',
    })
    expect(run.status, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out).toMatchObject({target: {kind: 'overlay', file: join(nobodyHome, 'overlay', 'deprecations.json')}, versions: ['1.1.0', '1.0.0']})
    expect(out.note).toContain('not writable')
    expect(run.stderr).toContain('recorded in the local overlay')
  })
})
