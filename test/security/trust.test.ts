/**
 * Issue 8, items 1, 2 and 5: signatures are checked against trust roots the index cannot supply,
 * a locked integrity is authoritative, missing or malformed integrity is refused, and gc never
 * deletes what an in-flight install is about to lock. Registries, keys and tampered indexes are
 * built at test time; every case runs the real binary.
 */
import {createHash, generateKeyPairSync, sign} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {createServer, type Server} from 'node:http'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, runCliAsync, tempDir, writeGpackSources, writeProject, type GpackSpec} from '../support/cli.js'

const specs: GpackSpec[] = [
  {id: 'io.t.util', version: '1.2.0'},
  {id: 'io.t.util', version: '1.3.0'},
  {id: 'io.t.web', version: '1.0.0', deps: {'io.t.util': '^1.2.0'}},
]

const sri = (data: Buffer, algo = 'sha512') => `${algo}-${createHash(algo).update(data).digest('base64')}`
const keyPair = () => {
  const {privateKey, publicKey} = generateKeyPairSync('ed25519')
  return {privateKey, public_key: publicKey.export({format: 'der', type: 'spki'}).toString('base64')}
}
const signWith = (pem: ReturnType<typeof keyPair>['privateKey'], id: string, version: string, integrity: string) => sign(null, Buffer.from(`${id}@${version}\n${integrity}`), pem).toString('base64')
const keyIdOf = (b64: string) => b64.slice(-16)

type Index = {keys: {keyid: string; public_key: string}[]; packages: Record<string, {versions: Record<string, {integrity?: string; signature?: string; tarball: string}>}>}
const readIndex = (reg: string): Index => JSON.parse(readFileSync(join(reg, 'index.json'), 'utf8'))
const writeIndex = (reg: string, idx: Index) => writeFileSync(join(reg, 'index.json'), JSON.stringify(idx, null, 2))

/** a signed registry (key A, written as PEM for `registry build --sign-key`) */
function signedRegistry() {
  const root = tempDir('ggen-trust-')
  const a = keyPair()
  const pem = join(root, 'a.pem')
  writeFileSync(pem, a.privateKey.export({format: 'pem', type: 'pkcs8'}) as string)
  const reg = buildRegistry(root, specs, ['--sign-key', pem])
  return {root, reg, a}
}

/** the attack: replace a tarball, re-sign it with a new key B and list B in the index's own keys */
function resignWithNewKey(reg: string, id: string, version: string): {b: ReturnType<typeof keyPair>; evil: Buffer} {
  const b = keyPair()
  const idx = readIndex(reg)
  const v = idx.packages[id]!.versions[version]!
  const src = writeGpackSources(join(tempDir('ggen-evil-'), 'src'), [{id, version, files: {'templates/main.tmpl': 'evil payload\n'}}])
  const out = join(tempDir('ggen-evil-out-'), 'reg')
  expect(runCli(['packs', 'registry', 'build', src, out, '--json'], {env: {GGEN_HOME: tempDir()}}).code).toBe(0)
  const evil = readFileSync(join(out, 'tarballs', `${id}-${version}.tgz`))
  writeFileSync(join(reg, v.tarball), evil)
  v.integrity = sri(evil)
  v.signature = signWith(b.privateKey, id, version, v.integrity)
  idx.keys.push({keyid: keyIdOf(b.public_key), public_key: b.public_key})
  writeIndex(reg, idx)
  return {b, evil}
}

const snapshot = (dir: string) => ({toml: readFileSync(join(dir, 'ggen.toml'), 'utf8'), lock: existsSync(join(dir, '.ggen', 'packs.lock')) ? readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8') : null})
const storeDirs = (home: string) => {
  try {
    return readdirSync(join(home, 'store', 'v1')).filter((d) => !d.startsWith('.') && d !== 'index.json').sort()
  } catch {
    return []
  }
}

/** tally for the closing note */
const tally = {attacks: 0, refused: 0}
const refused = (r: {code: number | null; json: {error?: {code: string}}}, code: string, exit = 5) => {
  tally.attacks++
  expect(r.code, JSON.stringify(r.json)).toBe(exit)
  expect(r.json?.error?.code).toBe(code)
  tally.refused++
}
afterAll(() => {
  process.stdout.write(`[security] trust: ${tally.refused}/${tally.attacks} attacks refused\n`)
})

describe('trust roots: keys inside an index are never trusted by themselves', () => {
  it('a tarball re-signed with a new key that the index lists is refused when config trusts the old key', () => {
    const {root, reg, a} = signedRegistry()
    const home = join(root, 'home')
    const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}
    // config trusts key A for this registry
    mkdirSync(home, {recursive: true})
    writeFileSync(join(home, 'config.json'), JSON.stringify({registry_keys: [{keyid: keyIdOf(a.public_key), public_key: a.public_key, registry: reg}]}))
    resignWithNewKey(reg, 'io.t.util', '1.3.0')
    const p = writeProject(join(root, 'p'), 'p')
    const before = snapshot(p)
    const r = runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env})
    refused(r, 'E_SIGNATURE')
    expect(r.json.error.message).toMatch(/not made by a key trusted for registry/)
    expect(snapshot(p)).toEqual(before)
    expect(storeDirs(home)).toEqual([])
  })

  it('the same attack is refused with GGEN_MARKETPLACE_PUBLIC_KEY, and with GGEN_REQUIRE_SIGNATURES=1', () => {
    const {root, reg, a} = signedRegistry()
    resignWithNewKey(reg, 'io.t.util', '1.3.0')
    const p = writeProject(join(root, 'p'), 'p')
    const env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg, GGEN_MARKETPLACE_PUBLIC_KEY: a.public_key}
    refused(runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env}), 'E_SIGNATURE')
    refused(runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env: {...env, GGEN_REQUIRE_SIGNATURES: '1'}}), 'E_SIGNATURE')
    // an untampered version of the same registry still installs under the same trust
    const ok = runCli(['packs', 'install', 'io.t.util@1.2.0', '--project', p, '--json'], {env})
    expect(ok.code, ok.stderr).toBe(0)
  })

  it('trust on first use pins the key; a changed key is refused until accepted explicitly', () => {
    const {root, reg, a} = signedRegistry()
    const home = join(root, 'home')
    const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(root, 'p'), 'p')
    const first = runCli(['packs', 'install', 'io.t.util@1.2.0', '--project', p, '--json'], {env})
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toMatch(/trusting key .* on first use/)
    const list = runCli(['packs', 'registry', 'trust', '--list', '--json'], {env})
    expect(list.code).toBe(0)
    expect(list.json.keys).toEqual([expect.objectContaining({source: 'pinned', how: 'first-use', keyid: keyIdOf(a.public_key)})])
    // the attacker swaps in key B
    const {b} = resignWithNewKey(reg, 'io.t.util', '1.3.0')
    const before = snapshot(p)
    const r = runCli(['packs', 'install', 'io.t.util@1.3.0', '--project', p, '--json'], {env})
    refused(r, 'E_SIGNATURE')
    expect(r.json.error.message).toContain(keyIdOf(b.public_key))
    expect(r.json.error.hint).toContain(`registry trust --accept ${reg} --key ${keyIdOf(b.public_key)}`)
    expect(snapshot(p)).toEqual(before)
    // even untouched versions of that registry are refused while its key set is unexplained
    refused(runCli(['packs', 'install', 'io.t.web', '--project', p, '--json'], {env}), 'E_SIGNATURE')
    // the user accepts the rotation (no prompt): accepted, audited, and the re-signed version installs
    const acc = runCli(['packs', 'registry', 'trust', '--accept', reg, '--key', keyIdOf(b.public_key), '--json'], {env})
    expect(acc.code, acc.stderr).toBe(0)
    expect(acc.json.accepted).toMatchObject({keyid: keyIdOf(b.public_key), how: 'accepted'})
    const audit = readFileSync(join(home, 'audit', 'audit.log'), 'utf8')
    expect(audit).toContain('"action":"trust-accept"')
    expect(runCli(['packs', 'install', 'io.t.util@1.3.0', '--project', p, '--json'], {env}).code).toBe(0)
    // accepting a key the registry does not list is an error
    expect(runCli(['packs', 'registry', 'trust', '--accept', reg, '--key', 'AAAAAAAAAAAAAAAA', '--json'], {env}).json.error.code).toBe('E_NOT_FOUND')
    // --accept without --key is a usage error
    expect(runCli(['packs', 'registry', 'trust', '--accept', reg], {env}).code).toBe(2)
  })

  it('with a trusted key, an unsigned entry and an entry signed by another key are refused', () => {
    const {root, reg, a} = signedRegistry()
    const env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg, GGEN_MARKETPLACE_PUBLIC_KEY: a.public_key}
    const idx = readIndex(reg)
    delete idx.packages['io.t.util']!.versions['1.3.0']!.signature
    const other = keyPair()
    const w = idx.packages['io.t.web']!.versions['1.0.0']!
    w.signature = signWith(other.privateKey, 'io.t.web', '1.0.0', w.integrity!)
    writeIndex(reg, idx)
    const p = writeProject(join(root, 'p'), 'p')
    const unsigned = runCli(['packs', 'install', 'io.t.util@1.3.0', '--project', p, '--json'], {env})
    refused(unsigned, 'E_SIGNATURE')
    expect(unsigned.json.error.message).toMatch(/not signed/)
    refused(runCli(['packs', 'install', 'io.t.web', '--project', p, '--json'], {env}), 'E_SIGNATURE')
  })

  it('require_signatures refuses an unsigned registry (env, flag and config); without it an unsigned registry installs', () => {
    const root = tempDir('ggen-trust-')
    const reg = buildRegistry(root, specs)
    const home = join(root, 'home')
    const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(root, 'p'), 'p')
    refused(runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env: {...env, GGEN_REQUIRE_SIGNATURES: '1'}}), 'E_SIGNATURE')
    refused(runCli(['packs', 'install', 'io.t.util', '--project', p, '--require-signatures', '--json'], {env}), 'E_SIGNATURE')
    writeFileSync(join(home, 'config.json'), JSON.stringify({require_signatures: true}))
    const r = runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env})
    refused(r, 'E_SIGNATURE')
    expect(r.json.error.message).toMatch(/no trusted key, and signatures are required/)
    expect(existsSync(join(p, '.ggen', 'packs.lock'))).toBe(false)
    writeFileSync(join(home, 'config.json'), JSON.stringify({require_signatures: false}))
    expect(runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env}).code).toBe(0)
  })

  it('a config key limited to another registry does not vouch for this one', () => {
    const {root, reg, a} = signedRegistry()
    const home = join(root, 'home')
    mkdirSync(home, {recursive: true})
    writeFileSync(join(home, 'config.json'), JSON.stringify({registry_keys: [{public_key: a.public_key, registry: '/somewhere/else'}], require_signatures: true}))
    const p = writeProject(join(root, 'p'), 'p')
    // no configured key applies: trust on first use pins the index key, and the install succeeds
    const r = runCli(['packs', 'install', 'io.t.util', '--project', p, '--json'], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/on first use/)
  })
})

describe('integrity: missing or malformed is refused; several hashes check the strongest', () => {
  it('an index entry with no integrity, or a malformed one, is refused at install (search and info still read it)', () => {
    const root = tempDir('ggen-int-')
    const reg = buildRegistry(root, specs)
    const idx = readIndex(reg)
    delete idx.packages['io.t.util']!.versions['1.3.0']!.integrity
    idx.packages['io.t.util']!.versions['1.2.0']!.integrity = 'sha512-nonsense'
    writeIndex(reg, idx)
    const env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(root, 'p'), 'p')
    const missing = runCli(['packs', 'install', 'io.t.util@1.3.0', '--project', p, '--json'], {env})
    refused(missing, 'E_INTEGRITY')
    expect(missing.json.error.message).toMatch(/gives no integrity/)
    const malformed = runCli(['packs', 'install', 'io.t.util@1.2.0', '--project', p, '--json'], {env})
    refused(malformed, 'E_INTEGRITY')
    expect(malformed.json.error.message).toMatch(/malformed integrity/)
    expect(existsSync(join(p, '.ggen', 'packs.lock'))).toBe(false)
    expect(runCli(['packs', 'info', 'io.t.util', '--json'], {env}).code).toBe(0)
    expect(runCli(['packs', 'search', 'util', '--json'], {env}).code).toBe(0)
  })

  it('a multi-hash SRI string is accepted and its strongest hash decides', () => {
    const root = tempDir('ggen-int-')
    const reg = buildRegistry(root, specs)
    const idx = readIndex(reg)
    const data = readFileSync(join(reg, idx.packages['io.t.util']!.versions['1.3.0']!.tarball))
    const env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg}
    // a wrong sha256 beside the right sha512: sha512 is checked, the install succeeds and locks it
    idx.packages['io.t.util']!.versions['1.3.0']!.integrity = `sha256-${Buffer.alloc(32).toString('base64')} ${sri(data)}`
    writeIndex(reg, idx)
    const p = writeProject(join(root, 'p'), 'p')
    const ok = runCli(['packs', 'install', 'io.t.util@1.3.0', '--project', p, '--json'], {env})
    expect(ok.code, ok.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8')).packs['io.t.util'].integrity).toBe(sri(data))
    // the right sha256 beside a wrong sha512: refused
    idx.packages['io.t.util']!.versions['1.2.0']!.integrity = `${sri(readFileSync(join(reg, idx.packages['io.t.util']!.versions['1.2.0']!.tarball)), 'sha256')} sha512-${Buffer.alloc(64).toString('base64')}`
    writeIndex(reg, idx)
    const p2 = writeProject(join(root, 'p2'), 'p2')
    refused(runCli(['packs', 'install', 'io.t.util@1.2.0', '--project', p2, '--json'], {env}), 'E_INTEGRITY')
  })
})

describe('the lockfile pins content', () => {
  function lockedProject() {
    const root = tempDir('ggen-pin-')
    const reg = buildRegistry(root, specs)
    const home = join(root, 'home')
    const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(root, 'p'), 'p')
    const r = runCli(['packs', 'install', 'io.t.util@1.2.0', '--project', p, '--json'], {env})
    expect(r.code, r.stderr).toBe(0)
    return {root, reg, home, env, p}
  }
  /** republish io.t.util@1.2.0 with other bytes and a matching new integrity in the index */
  function republish(reg: string) {
    const idx = readIndex(reg)
    const v = idx.packages['io.t.util']!.versions['1.2.0']!
    const src = writeGpackSources(join(tempDir(), 'src'), [{id: 'io.t.util', version: '1.2.0', files: {'templates/main.tmpl': 'republished\n'}}])
    const out = join(tempDir(), 'reg')
    expect(runCli(['packs', 'registry', 'build', src, out], {env: {GGEN_HOME: tempDir()}}).code).toBe(0)
    const bytes = readFileSync(join(out, 'tarballs', 'io.t.util-1.2.0.tgz'))
    writeFileSync(join(reg, v.tarball), bytes)
    const old = v.integrity!
    v.integrity = sri(bytes)
    writeIndex(reg, idx)
    return {old, offered: v.integrity}
  }

  it('a locked version republished with other bytes and a new integrity is refused, naming both hashes and the registry', () => {
    const {reg, env, p} = lockedProject()
    const {old, offered} = republish(reg)
    const before = snapshot(p)
    const r = runCli(['packs', 'install', '--project', p, '--json'], {env})
    refused(r, 'E_INTEGRITY')
    expect(r.json.error.message).toContain('io.t.util@1.2.0')
    expect(r.json.error.message).toContain(old)
    expect(r.json.error.message).toContain(offered)
    expect(r.json.error.message).toContain(reg)
    expect(r.json.error.field).toBe('packs.io.t.util.integrity')
    expect(snapshot(p)).toEqual(before)
    // also through update within the range (the resolver keeps 1.2.0 for a ~1.2.0 range)
    refused(runCli(['packs', 'update', '--project', p, '--json'], {env}), 'E_INTEGRITY')
    // an explicit move to another version is how a locked integrity changes
    const moved = runCli(['packs', 'update', 'io.t.util', '--to', '1.3.0', '--project', p, '--json'], {env})
    expect(moved.code, moved.stderr).toBe(0)
  })

  it('the same bytes swap with the index integrity left alone is refused when the store copy is gone', () => {
    const {reg, home, env, p} = lockedProject()
    const idx = readIndex(reg)
    const v = idx.packages['io.t.util']!.versions['1.2.0']!
    writeFileSync(join(reg, v.tarball), Buffer.concat([readFileSync(join(reg, v.tarball)), Buffer.from('x')]))
    rmSync(join(home, 'store'), {recursive: true, force: true})
    const before = snapshot(p)
    const r = runCli(['packs', 'install', '--project', p, '--json'], {env})
    refused(r, 'E_INTEGRITY')
    expect(snapshot(p)).toEqual(before)
  })

  it('a damaged store copy is fetched again and checked against the lockfile, and verify passes afterwards', () => {
    const {home, env, p} = lockedProject()
    const [entry] = storeDirs(home)
    writeFileSync(join(home, 'store', 'v1', entry!, 'templates', 'main.tmpl'), 'edited in the store\n')
    expect(runCli(['packs', 'verify', '--project', p, '--json'], {env}).code).toBe(1)
    const r = runCli(['packs', 'install', '--project', p, '--json'], {env})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/store copy is damaged/)
    expect(r.json.fetched).toBe(1)
    expect(readFileSync(join(home, 'store', 'v1', entry!, 'templates', 'main.tmpl'), 'utf8')).toBe('io.t.util 1.2.0\n')
    expect(runCli(['packs', 'verify', '--project', p, '--json'], {env}).code).toBe(0)
  })
})

describe('gc and install do not race', () => {
  let server: Server | undefined
  afterAll(() => server?.close())

  it('gc run while an install is stalled mid-download deletes nothing the install then locks', async () => {
    const root = tempDir('ggen-race-')
    const reg = buildRegistry(root, specs)
    const home = join(root, 'home')
    // a project that used io.t.util 1.2.0 and then dropped it: its store entry is a gc candidate
    const env0 = {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}
    const old = writeProject(join(root, 'old'), 'old')
    expect(runCli(['packs', 'install', 'io.t.util@1.2.0', '--project', old], {env: env0}).code).toBe(0)
    expect(runCli(['packs', 'uninstall', 'io.t.util', '--project', old], {env: env0}).code).toBe(0)
    expect(storeDirs(home)).toHaveLength(1)

    // serve the registry over http; the io.t.web tarball is held until the test releases it
    let release: () => void = () => {}
    const released = new Promise<void>((r) => (release = r))
    let stalled: () => void = () => {}
    const isStalled = new Promise<void>((r) => (stalled = r))
    server = createServer((req, res) => {
      const file = join(reg, decodeURIComponent((req.url ?? '/').slice(1)))
      const send = () => {
        if (!existsSync(file)) {
          res.statusCode = 404
          res.end()
          return
        }
        res.end(readFileSync(file))
      }
      if (req.url?.includes('io.t.web')) {
        stalled()
        void released.then(send)
      } else send()
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(server.address() as {port: number}).port}/`
    const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: url}
    const p = writeProject(join(root, 'p'), 'p')
    // io.t.web@1.0.0 needs io.t.util ^1.2.0: pinning 1.2.0 makes the install reuse the gc candidate
    writeFileSync(join(p, 'ggen.toml'), '[project]\nname = "p"\n\n[packs]\n"io.t.web" = "1.0.0"\n"io.t.util" = "1.2.0"\n')
    const install = runCliAsync(['packs', 'install', '--project', p, '--json'], {env})
    await isStalled
    // the install holds a pin while it downloads; gc (read under the store lock) must keep it
    const gc = await runCliAsync(['packs', 'gc', '--json'], {env})
    expect(gc.code, gc.stderr).toBe(0)
    expect(gc.json.removed).toEqual([])
    release()
    const done = await install
    expect(done.code, done.stderr).toBe(0)
    const verify = runCli(['packs', 'verify', '--project', p, '--json'], {env})
    expect(verify.code, verify.stdout).toBe(0)
    // the pin is gone once the lockfile is written: gc may now collect, and keeps what p locks
    expect(readdirSync(join(home, 'store', 'v1', '.pins'))).toEqual([])
    const after = runCli(['packs', 'gc', '--json'], {env})
    expect(after.json.removed).toEqual([])
    expect(storeDirs(home)).toHaveLength(2)
  })

  it('gc removes temp folders and pins left by killed processes', () => {
    const root = tempDir('ggen-race-')
    const reg = buildRegistry(root, specs)
    const home = join(root, 'home')
    const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: reg}
    const p = writeProject(join(root, 'p'), 'p')
    expect(runCli(['packs', 'install', 'io.t.util', '--project', p], {env}).code).toBe(0)
    // a dead pid (beyond pid_max) left a temp folder and a pin behind
    const dead = 4_194_305
    const tmp = join(home, 'store', 'v1', `.tmp-sha512-deadbeef-${dead}-abc123`)
    mkdirSync(tmp, {recursive: true})
    writeFileSync(join(tmp, 'partial'), 'half an extraction')
    mkdirSync(join(home, 'store', 'v1', '.pins'), {recursive: true})
    writeFileSync(join(home, 'store', 'v1', '.pins', `${dead}-zz.json`), JSON.stringify({pid: dead, host: hostname(), started: new Date().toISOString(), integrities: ['sha512-' + Buffer.alloc(64).toString('base64')]}))
    const r = runCli(['packs', 'gc', '--json'], {env})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.stale_temps).toEqual([`.tmp-sha512-deadbeef-${dead}-abc123`])
    expect(existsSync(tmp)).toBe(false)
    expect(readdirSync(join(home, 'store', 'v1', '.pins'))).toEqual([])
  })
})
