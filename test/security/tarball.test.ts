/**
 * Issue 8, safe extraction and tarball URLs. Every hostile tarball is crafted here (raw ustar
 * headers, pax records, gzip bombs: test/support/tar.ts) and tried twice: in process against the
 * real Store on a real file system, and end to end through the real binary (a registry built with
 * `registry build`, whose tarball and integrity are swapped for the crafted bytes and whose
 * signature is removed, so only extraction stands in the way). Each must be refused with exit 5
 * and E_PATH_TRAVERSAL or E_TARBALL, leaving no store entry, no `.tmp-*` and nothing outside.
 */
import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {isPacksError} from '../../src/domain/errors.js'
import {DEFAULT_LIMITS} from '../../src/store/limits.js'
import {Store} from '../../src/store/store.js'
import {checkConfig} from '../../src/workspace/config.js'
import {homePaths} from '../../src/workspace/home.js'
import {readEnvironment} from '../../src/util/environment.js'
import {extractLimits} from '../../src/workspace/limits.js'
import {binPath, buildRegistry, runCliAsync, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {entry, file, header, pax, sri, tgz, zeroBomb} from '../support/tar.js'

const ID = 'io.evil.pkg'
const MiB = 1024 * 1024
const evilName = `ggen-evil-${process.pid}-${Date.now()}`
const dir = (name: string) => entry({name, type: '5'})
const symlink = (name: string, linkname: string) => entry({name, type: '2', linkname})
const hardlink = (name: string, linkname: string) => entry({name, type: '1', linkname})
const ok = file('package/ok.txt', 'fine')

/** gzip members concatenated: headers and 60 MiB bodies of zeros, without building them in memory */
function bigFiles(n: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(60 * MiB), {level: 9})
  const members = Array.from({length: n}, (_, i) => [gzipSync(header({name: `package/f${i}.bin`, size: 60 * MiB})), zeros]).flat()
  return Buffer.concat([...members, gzipSync(Buffer.alloc(1024))])
}

const truncated = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))

type Code = 'E_PATH_TRAVERSAL' | 'E_TARBALL'
/** [what, crafted bytes, expected code] */
const ATTACKS: [string, () => Buffer, Code][] = [
  ['an absolute path', () => tgz(ok, file(`/tmp/${evilName}.txt`, 'x')), 'E_PATH_TRAVERSAL'],
  ['a `..` escape', () => tgz(ok, file(`package/../../${evilName}.txt`, 'x')), 'E_PATH_TRAVERSAL'],
  ['a `..` escape written with backslashes', () => tgz(ok, file(`package\\..\\..\\${evilName}.txt`, 'x')), 'E_PATH_TRAVERSAL'],
  ['an absolute path below the package folder (`package//tmp/x`)', () => tgz(ok, file(`package//tmp/${evilName}.txt`, 'x')), 'E_PATH_TRAVERSAL'],
  ['a pax path that is absolute', () => tgz(ok, pax({path: `/tmp/${evilName}-pax.txt`}), file('package/innocent.txt', 'x')), 'E_PATH_TRAVERSAL'],
  ['a pax path with `..`', () => tgz(ok, pax({path: `package/../../${evilName}.txt`}), file('package/innocent.txt', 'x')), 'E_PATH_TRAVERSAL'],
  ['an absolute symlink', () => tgz(ok, symlink('package/link', '/etc/passwd')), 'E_PATH_TRAVERSAL'],
  ['a symlink `../..` escape', () => tgz(ok, symlink('package/link', '../../../etc/passwd')), 'E_PATH_TRAVERSAL'],
  ['a symlink to the folder above the package (`up -> ..`)', () => tgz(ok, symlink('package/up', '..')), 'E_PATH_TRAVERSAL'],
  ['a chain of symlinks that each look inside', () => tgz(ok, dir('package/d/'), symlink('package/d/l', '..'), symlink('package/e', 'd/l/..')), 'E_PATH_TRAVERSAL'],
  ['a file written through a symlink', () => tgz(ok, dir('package/sub/'), symlink('package/l', 'sub'), file('package/l/x.txt', 'x')), 'E_PATH_TRAVERSAL'],
  ['a symlink replacing a file of the same name', () => tgz(ok, file('package/a', 'a'), symlink('package/a', 'ok.txt')), 'E_PATH_TRAVERSAL'],
  ['a hard link `..` escape', () => tgz(ok, hardlink('package/h', '../../etc/passwd')), 'E_PATH_TRAVERSAL'],
  ['an absolute hard link', () => tgz(ok, hardlink('package/h', '/etc/passwd')), 'E_PATH_TRAVERSAL'],
  ['a hard link to a symlink', () => tgz(ok, symlink('package/s', 'ok.txt'), hardlink('package/h', 'package/s')), 'E_PATH_TRAVERSAL'],
  ['a hard link to a path that comes later', () => tgz(ok, hardlink('package/h', 'package/later'), file('package/later', 'x')), 'E_PATH_TRAVERSAL'],
  ['an entry outside the package folder', () => tgz(ok, file(`${evilName}.txt`, 'x')), 'E_PATH_TRAVERSAL'],
  ['names that differ only in case', () => tgz(ok, file('package/README', 'a'), file('package/readme', 'b')), 'E_PATH_TRAVERSAL'],
  ['a FIFO', () => tgz(ok, entry({name: 'package/fifo', type: '6'})), 'E_TARBALL'],
  ['a character device', () => tgz(ok, entry({name: 'package/null', type: '3'})), 'E_TARBALL'],
  ['a block device', () => tgz(ok, entry({name: 'package/sda', type: '4'})), 'E_TARBALL'],
  ['an unsupported entry type (tape volume)', () => tgz(ok, entry({name: 'package/vol', type: 'V'})), 'E_TARBALL'],
  ['a header declaring 8 GiB with no body', () => tgz(ok, header({name: 'package/big', size: 8 * 1024 * MiB - 1})), 'E_TARBALL'],
  ['a base-256 size of 2^62 bytes', () => tgz(ok, header({name: 'package/big', size256: 2n ** 62n})), 'E_TARBALL'],
  ['files adding up past the total limit (5 x 60 MiB)', () => bigFiles(5), 'E_TARBALL'],
  ['a gzip bomb: 2 GiB of zeros after the archive in 2 MB', () => zeroBomb(2048), 'E_TARBALL'],
  ['too many entries (10,001)', () => tgz(...Array.from({length: DEFAULT_LIMITS.max_files + 1}, (_, i) => file(`package/f${i}`, ''))), 'E_TARBALL'],
  ['a truncated gzip stream', () => truncated(tgz(ok, file('package/b.txt', randomBytes(20_000).toString('base64')))), 'E_TARBALL'],
  ['a truncated tar (body shorter than declared)', () => gzipSync(Buffer.concat([header({name: 'package/a.txt', size: 4096}), Buffer.alloc(512, 0x61)])), 'E_TARBALL'],
  ['garbage bytes', () => Buffer.concat([Buffer.from('GARBAGE!'), randomBytes(4096)]), 'E_TARBALL'],
  ['gzipped garbage', () => gzipSync(randomBytes(4096)), 'E_TARBALL'],
  ['an empty file', () => Buffer.alloc(0), 'E_TARBALL'],
  ['a header with a bad checksum', () => tgz(ok, entry({name: 'package/a.txt', body: 'a', badChecksum: true})), 'E_TARBALL'],
  ['a file name longer than 255 bytes', () => tgz(ok, pax({path: `package/${'a'.repeat(300)}`}), file('package/x', 'x')), 'E_TARBALL'],
  ['a path longer than 1024 bytes', () => tgz(ok, pax({path: `package/${'abcdefghi/'.repeat(120)}x`}), file('package/x', 'x')), 'E_TARBALL'],
  ['a tarball gzipped twice', () => gzipSync(tgz(ok)), 'E_TARBALL'],
  ['a pax header over 1 MiB', () => tgz(ok, pax({comment: 'x'.repeat(MiB + 10)}), file('package/x', 'x')), 'E_TARBALL'],
]

const storeLeftovers = (storeDir: string): string[] => (existsSync(storeDir) ? readdirSync(storeDir).filter((e) => e.startsWith('.tmp-') || e.startsWith('sha')) : [])
const noEscape = () => {
  for (const p of [`/tmp/${evilName}.txt`, `/tmp/${evilName}-pax.txt`]) expect(existsSync(p), p).toBe(false)
}

describe('extraction, in process (real Store, real file system)', () => {
  it.each(ATTACKS)('refuses %s', async (_what, craft, code) => {
    const home = tempDir()
    const paths = homePaths(home)
    const store = new Store(paths)
    const data = craft()
    const error = await store.add(data, sri(data), {id: ID, version: '1.0.0'}).then(
      () => null,
      (e: unknown) => e,
    )
    expect(isPacksError(error), String(error)).toBe(true)
    expect((error as {code: string}).code, (error as Error).message).toBe(code)
    expect((error as Error).message).toContain(`${ID}@1.0.0`)
    expect(storeLeftovers(paths.store)).toEqual([])
    expect(existsSync(join(home, `${evilName}.txt`))).toBe(false)
    noEscape()
  })

  it('accepts links that stay inside and hard links to earlier files', async () => {
    const store = new Store(homePaths(tempDir()))
    const data = tgz(ok, dir('package/d/'), symlink('package/d/up', '../ok.txt'), symlink('package/same', 'ok.txt'), hardlink('package/twin', 'package/ok.txt'))
    const e = await store.add(data, sri(data), {id: ID, version: '1.0.0'})
    expect(readFileSync(join(store.entryDir(sri(data)), 'd', 'up'), 'utf8')).toBe('fine')
    expect(statSync(join(store.entryDir(sri(data)), 'twin')).nlink).toBe(2)
    expect(e.files).toBe(2)
  })

  it('stops a gzip bomb in bounded time, having decompressed no more than the cap', async () => {
    const store = new Store(homePaths(tempDir()), {...DEFAULT_LIMITS, max_unpacked_bytes: 8 * MiB})
    const data = zeroBomb(4096)
    expect(data.length).toBeLessThan(5 * MiB)
    const t0 = Date.now()
    const error = await store.add(data, sri(data), {id: ID, version: '1.0.0'}).catch((e: unknown) => e)
    expect((error as {code: string}).code).toBe('E_TARBALL')
    expect((error as {details: {limit: string}}).details.limit).toBe('max_unpacked_bytes')
    expect(Date.now() - t0).toBeLessThan(5000)
  })
})

// ---------- end to end ----------

let base = ''
beforeAll(() => {
  base = buildRegistry(tempDir(), [{id: ID, version: '1.0.0', files: {'templates/main.tmpl': 'hello\n', 'bin/run.sh': '#!/bin/sh\n'}}])
})

interface Installed {
  r: CliResult
  home: string
  project: string
}

/** a copy of the base registry whose one version now points at `data` with matching integrity */
function registryWith(data: Buffer, tarball?: string): string {
  const reg = join(tempDir(), 'registry')
  cpSync(base, reg, {recursive: true})
  writeFileSync(join(reg, 'tarballs', `${ID}-1.0.0.tgz`), data)
  editVersion(reg, {integrity: sri(data), ...(tarball ? {tarball} : {})})
  return reg
}

function editVersion(reg: string, patch: Record<string, unknown>): void {
  const file = join(reg, 'index.json')
  const index = JSON.parse(readFileSync(file, 'utf8'))
  const v = index.packages[ID].versions['1.0.0']
  Object.assign(v, patch)
  delete v.signature
  writeFileSync(file, JSON.stringify(index, null, 2))
}

async function install(registry: string, env: Record<string, string> = {}): Promise<Installed> {
  const root = tempDir()
  const home = join(root, 'home')
  const project = writeProject(join(root, 'p'), 'p')
  const r = await runCliAsync(['packs', 'install', `${ID}@1.0.0`, '--project', project, '--json'], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry, ...env}})
  return {r, home, project}
}

function expectRefused({r, home, project}: Installed, code: string): void {
  expect(r.code, r.stderr + r.stdout).toBe(5)
  expect(r.json?.error?.code, r.stdout).toBe(code)
  expect(r.stderr).not.toMatch(/This is a bug/)
  expect(storeLeftovers(join(home, 'store', 'v1'))).toEqual([])
  expect(existsSync(join(project, '.ggen', 'packs.lock'))).toBe(false)
}

describe('extraction, through the binary', () => {
  it.each(ATTACKS)('refuses %s with exit 5', async (_what, craft, code) => {
    const installed = await install(registryWith(craft()))
    expectRefused(installed, code)
    expect(installed.r.json.error.message).toContain(`${ID}@1.0.0`)
    noEscape()
  })

  it('installs the unmodified registry (the control)', async () => {
    const {r} = await install(base)
    expect(r.code, r.stderr).toBe(0)
  })

  it('strips setuid/setgid/sticky and write bits and never keeps a foreign owner, even as root', async () => {
    const owner = {uid: 4242, gid: 4242}
    const data = tgz(
      entry({name: 'package/', type: '5', mode: 0o1777, ...owner}),
      entry({name: 'package/sgid/', type: '5', mode: 0o2775, ...owner}),
      file('package/sgid/suid.sh', '#!/bin/sh\n', {mode: 0o4755, ...owner}),
      file('package/sgid/world.txt', 'w', {mode: 0o666, ...owner}),
      file('package/zero.txt', 'z', {mode: 0, ...owner}),
    )
    const {r, home} = await install(registryWith(data))
    expect(r.code, r.stderr).toBe(0)
    const entryDir = join(home, 'store', 'v1', readdirSync(join(home, 'store', 'v1')).find((d) => d.startsWith('sha'))!)
    const modes: Record<string, string> = {}
    for (const rel of ['.', 'sgid', 'sgid/suid.sh', 'sgid/world.txt', 'zero.txt']) {
      const st = lstatSync(join(entryDir, rel))
      modes[rel] = (st.mode & 0o7777).toString(8)
      expect(st.uid, rel).toBe(process.getuid!())
      expect(st.gid, rel).toBe(process.getgid!())
    }
    expect(modes).toEqual({'.': '755', sgid: '755', 'sgid/suid.sh': '755', 'sgid/world.txt': '644', 'zero.txt': '644'})
  })

  it('refuses a 2 MB gzip bomb quickly with bounded memory (peak RSS of the process)', () => {
    const registry = registryWith(zeroBomb(2048))
    const root = tempDir()
    const home = join(root, 'home')
    const project = writeProject(join(root, 'p'), 'p')
    const t0 = Date.now()
    const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, binPath, 'packs', 'install', `${ID}@1.0.0`, '--project', project, '--json'], {
      env: {...process.env, GGEN_HOME: home, GGEN_REGISTRY_URL: registry, GGEN_PROGRESS: '0', NO_COLOR: '1'},
      encoding: 'utf8',
    })
    const seconds = (Date.now() - t0) / 1000
    expect(r.status, r.stderr).toBe(5)
    expect(JSON.parse(r.stdout).error).toMatchObject({code: 'E_TARBALL', details: {limit: 'max_unpacked_bytes', limit_value: 256 * MiB}})
    const rssMiB = Number(/maxrss_kb=(\d+)/.exec(r.stderr)![1]) / 1024
    expect(rssMiB).toBeLessThan(256)
    expect(seconds).toBeLessThan(30)
    expect(storeLeftovers(join(home, 'store', 'v1'))).toEqual([])
  })
})

describe('extraction limits are configurable', () => {
  const fiveFiles = () => tgz(...Array.from({length: 5}, (_, i) => file(`package/f${i}.txt`, 'x'.repeat(100))))

  it('config.json `limits` lowers them; the error names the package, the limit and the value', async () => {
    const reg = registryWith(fiveFiles())
    const root = tempDir()
    mkdirSync(join(root, 'home'), {recursive: true})
    writeFileSync(join(root, 'home', 'config.json'), JSON.stringify({limits: {max_files: 3}}))
    const project = writeProject(join(root, 'p'), 'p')
    const r = await runCliAsync(['packs', 'install', `${ID}@1.0.0`, '--project', project, '--json'], {env: {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg}})
    expect(r.code, r.stderr).toBe(5)
    expect(r.json.error).toMatchObject({code: 'E_TARBALL', details: {package: `${ID}@1.0.0`, limit: 'max_files', limit_value: 3}})
    expect(r.json.error.message).toMatch(/max_files = 3 entries/)
    expect(r.json.error.hint).toMatch(/GGEN_MAX_FILES/)
    // the environment wins over the file
    const again = await runCliAsync(['packs', 'install', `${ID}@1.0.0`, '--project', project, '--json'], {env: {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg, GGEN_MAX_FILES: '50'}})
    expect(again.code, again.stderr).toBe(0)
  })

  it.each([
    ['max_file_bytes', {GGEN_MAX_FILE_BYTES: '99'}],
    ['max_unpacked_bytes', {GGEN_MAX_UNPACKED_BYTES: '450'}],
  ])('GGEN_ env lowers %s', async (limit, env) => {
    const {r} = await install(registryWith(fiveFiles()), env)
    expect(r.code, r.stderr).toBe(5)
    expect(r.json.error.details.limit).toBe(limit)
  })

  it('a malformed limit is an error naming the field, in the file or the environment', async () => {
    expect(() => checkConfig({limits: {max_files: -1}}, 'config.json')).toThrow(/limits\.max_files/)
    expect(() => checkConfig({limits: {max_bytes: 1}}, 'config.json')).toThrow(/limits\.max_bytes/)
    expect(() => checkConfig({limits: 5}, 'config.json')).toThrow(/`limits`/)
    expect(() => extractLimits({}, readEnvironment({GGEN_MAX_FILES: '10k'}))).toThrow(/GGEN_MAX_FILES/)
    expect(extractLimits({limits: {max_files: 7}}, readEnvironment({GGEN_MAX_FILE_BYTES: '1000'}))).toEqual({...DEFAULT_LIMITS, max_files: 7, max_file_bytes: 1000})
    const {r} = await install(base, {GGEN_MAX_FILES: 'lots'})
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('E_USAGE')
  })
})

// ---------- tarball URLs ----------

describe('tarball URLs from an http(s) index', () => {
  const servers: Server[] = []
  const hits: Record<string, string[]> = {main: [], other: []}
  let mainUrl = ''
  let otherUrl = ''
  let index: Record<string, unknown> = {}
  let tgzBytes = Buffer.alloc(0)

  const listen = (name: string, handler: (url: string) => [number, Buffer]) =>
    new Promise<string>((resolve) => {
      const s = createServer((req, res) => {
        hits[name]!.push(req.url!)
        const [status, body] = handler(req.url!)
        res.writeHead(status).end(body)
      })
      servers.push(s)
      s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}/`))
    })

  beforeAll(async () => {
    tgzBytes = readFileSync(join(base, 'tarballs', `${ID}-1.0.0.tgz`))
    const serve = (url: string): [number, Buffer] =>
      url === '/index.json' ? [200, Buffer.from(JSON.stringify(index))] : url === `/tarballs/${ID}-1.0.0.tgz` ? [200, tgzBytes] : [404, Buffer.from('not found')]
    mainUrl = await listen('main', serve)
    otherUrl = await listen('other', serve)
  })
  afterAll(() => {
    for (const s of servers) s.close()
  })

  /** serve the base index with this version's tarball (and integrity) replaced */
  function withTarball(tarball: string, integrity = sri(tgzBytes)): void {
    index = JSON.parse(readFileSync(join(base, 'index.json'), 'utf8'))
    const v = (index as {packages: Record<string, {versions: Record<string, Record<string, unknown>>}>}).packages[ID]!.versions['1.0.0']!
    Object.assign(v, {tarball, integrity})
    delete v.signature
    hits.main = []
    hits.other = []
  }

  it.each([
    ['file:///etc/passwd', () => ['file:///etc/passwd', sri(readFileSync('/etc/passwd'))]],
    ['a file: URL with a host', () => ['file://localhost/etc/passwd', sri(readFileSync('/etc/passwd'))]],
    ['another origin (same host, other port) serving the right bytes', () => [`${otherUrl}tarballs/${ID}-1.0.0.tgz`, sri(tgzBytes)]],
    ['another host', () => ['http://other-origin.invalid/x.tgz', sri(tgzBytes)]],
    ['a protocol-relative URL to another host', () => ['//other-origin.invalid/x.tgz', sri(tgzBytes)]],
    ['a data: URL carrying the right bytes', () => [`data:application/gzip;base64,${tgzBytes.toString('base64')}`, sri(tgzBytes)]],
    ['an ftp: URL', () => ['ftp://127.0.0.1/x.tgz', sri(tgzBytes)]],
  ])('refuses %s (E_PATH_TRAVERSAL naming the registry and the field)', async (_what, make) => {
    const [tarball, integrity] = make()
    withTarball(tarball!, integrity)
    const installed = await install(mainUrl)
    expectRefused(installed, 'E_PATH_TRAVERSAL')
    expect(installed.r.json.error).toMatchObject({field: 'tarball'})
    expect(installed.r.json.error.message).toContain(mainUrl)
    expect(hits.other).toEqual([])
    expect(hits.main).toEqual(['/index.json'])
  })

  it('an absolute path names a file on the registry origin, never a local file', async () => {
    withTarball('/etc/passwd', sri(readFileSync('/etc/passwd')))
    const {r} = await install(mainUrl)
    expect(r.code).toBe(6)
    expect(hits.main).toEqual(['/index.json', '/etc/passwd'])
  })

  it.each([
    ['a relative path', () => `tarballs/${ID}-1.0.0.tgz`],
    ['an absolute URL on the same origin', () => `${mainUrl}tarballs/${ID}-1.0.0.tgz`],
  ])('installs %s (the control)', async (_what, tarball) => {
    withTarball(tarball())
    const {r} = await install(mainUrl)
    expect(r.code, r.stderr).toBe(0)
  })
})

describe('tarball paths from a directory index', () => {
  let outside = ''
  beforeAll(() => {
    outside = join(tempDir(), 'outside.tgz')
    cpSync(join(base, 'tarballs', `${ID}-1.0.0.tgz`), outside)
  })
  const outsideReg = (tarball: (reg: string) => string) => {
    const reg = join(tempDir(), 'registry')
    cpSync(base, reg, {recursive: true})
    editVersion(reg, {tarball: tarball(reg), integrity: sri(readFileSync(outside))})
    return reg
  }

  it.each([
    ['a `..` path out of the folder', (reg: string) => `../${'../'.repeat(reg.split('/').length)}${outside}`],
    ['an absolute path outside', () => outside],
    ['a file: URL outside', () => `file://${outside}`],
    ['an http URL', () => 'http://127.0.0.1:9/x.tgz'],
  ])('refuses %s', async (_what, tarball) => {
    const installed = await install(outsideReg(tarball))
    expectRefused(installed, 'E_PATH_TRAVERSAL')
    expect(installed.r.json.error.field).toBe('tarball')
  })

  it('refuses a symlink inside the registry folder that leads out of it', async () => {
    const reg = outsideReg(() => 'tarballs/link.tgz')
    symlinkSync(outside, join(reg, 'tarballs', 'link.tgz'))
    const installed = await install(reg)
    expectRefused(installed, 'E_PATH_TRAVERSAL')
    expect(installed.r.json.error.message).toMatch(/symbolic link/)
  })

  it.each([
    ['a file: URL inside the folder', (reg: string) => `file://${join(reg, 'tarballs', `${ID}-1.0.0.tgz`)}`],
    ['an absolute path inside the folder', (reg: string) => join(reg, 'tarballs', `${ID}-1.0.0.tgz`)],
  ])('installs %s (the control)', async (_what, tarball) => {
    const reg = join(tempDir(), 'registry')
    cpSync(base, reg, {recursive: true})
    editVersion(reg, {tarball: tarball(reg)})
    const {r} = await install(reg)
    expect(r.code, r.stderr).toBe(0)
  })
})

