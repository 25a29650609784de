import {existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {isPacksError} from '../../src/domain/errors.js'
import {checkIntegrity, computeIntegrity, integrityDirName, isValidIntegrity} from '../../src/store/integrity.js'
import {Store} from '../../src/store/store.js'
import {packDirectory} from '../../src/store/tarball.js'
import {homePaths} from '../../src/workspace/home.js'
import {tempDir} from '../support/cli.js'

/** a minimal ustar header + body, to craft hostile tarballs */
function tarEntry(name: string, body: string, type: '0' | '2' | '5' = '0', link = ''): Buffer {
  const h = Buffer.alloc(512)
  h.write(name, 0, 100)
  h.write('0000644\0', 100)
  h.write('0000000\0', 108)
  h.write('0000000\0', 116)
  h.write(body.length.toString(8).padStart(11, '0') + '\0', 124)
  h.write('00000000000\0', 136)
  h.write('        ', 148)
  h.write(type, 156)
  h.write(link, 157, 100)
  h.write('ustar\0', 257)
  h.write('00', 263)
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  const data = Buffer.alloc(Math.ceil(body.length / 512) * 512)
  data.write(body)
  return Buffer.concat([h, data])
}
const tarball = (...entries: Buffer[]) => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]))

async function expectCode(p: Promise<unknown>, code: string): Promise<string> {
  try {
    await p
  } catch (error) {
    if (isPacksError(error)) {
      expect(error.code).toBe(code)
      return error.message
    }
    throw error
  }
  throw new Error(`expected ${code}`)
}

describe('integrity', () => {
  it('computes and checks SRI sha512 and sha256', () => {
    const data = Buffer.from('hello')
    const sri = computeIntegrity(data)
    expect(sri).toMatch(/^sha512-/)
    expect(() => checkIntegrity(data, sri, 'x')).not.toThrow()
    expect(() => checkIntegrity(data, computeIntegrity(data, 'sha256'), 'x')).not.toThrow()
    expect(() => checkIntegrity(Buffer.from('hellO'), sri, 'x')).toThrow(/integrity mismatch/)
  })
  it('rejects junk integrity strings real lockfiles contain', () => {
    expect(isValidIntegrity('sha256-UNKNOWN-pack-not-found-locally')).toBe(false)
    expect(isValidIntegrity('sha512-abc')).toBe(false)
    expect(() => checkIntegrity(Buffer.from('x'), 'sha256-UNKNOWN-pack-not-found-locally', 'pkg')).toThrow(/not a valid SRI/)
  })
})

describe('store', () => {
  const meta = {id: 'io.x.a', version: '1.0.0'}

  it('adds one copy per integrity, verifies on add, and re-checks content', async () => {
    const home = tempDir()
    const src = join(home, 'src')
    mkdirSync(join(src, 'templates'), {recursive: true})
    writeFileSync(join(src, 'gpack.toml'), '[gpack]\nid = "io.x.a"\n')
    writeFileSync(join(src, 'templates', 'a.tmpl'), 'A')
    const data = await packDirectory(src)
    expect(await packDirectory(src)).toEqual(data) // deterministic
    const sri = computeIntegrity(data)
    const store = new Store(homePaths(home))
    const e1 = await store.add(data, sri, meta)
    const e2 = await store.add(data, sri, {...meta, name: 'again'})
    expect(e1.dir).toBe(e2.dir)
    expect(store.listDirs()).toEqual([integrityDirName(sri)])
    expect(readFileSync(join(store.entryDir(sri), 'templates', 'a.tmpl'), 'utf8')).toBe('A')
    expect(e1.files).toBe(2)
    expect(store.verifyEntry(sri)).toEqual([])
    writeFileSync(join(store.entryDir(sri), 'templates', 'a.tmpl'), 'B')
    expect(store.verifyEntry(sri).join()).toMatch(/content changed/)
    rmSync(store.entryDir(sri), {recursive: true})
    expect(store.verifyEntry(sri).join()).toMatch(/missing/)
  })

  it('refuses data whose integrity does not match, leaving nothing behind', async () => {
    const home = tempDir()
    const store = new Store(homePaths(home))
    const data = tarball(tarEntry('package/a.txt', 'a'))
    await expectCode(store.add(data, computeIntegrity(Buffer.from('other')), meta), 'E_INTEGRITY')
    expect(store.listDirs()).toEqual([])
  })

  it.each([
    ['a `..` path', [tarEntry('package/../../evil.txt', 'x')]],
    ['an absolute path', [tarEntry('/tmp/evil.txt', 'x')]],
    ['a symlink escaping the package', [tarEntry('package/link', '', '2', '../../../etc/passwd')]],
    ['an absolute symlink', [tarEntry('package/link', '', '2', '/etc/passwd')]],
  ])('refuses a tarball with %s and extracts nothing', async (_what, entries) => {
    const home = tempDir()
    const store = new Store(homePaths(home))
    const data = tarball(tarEntry('package/ok.txt', 'fine'), ...entries)
    const msg = await expectCode(store.add(data, computeIntegrity(data), meta), 'E_PATH_TRAVERSAL')
    expect(msg).toContain('nothing was extracted')
    expect(store.listDirs()).toEqual([])
    expect(existsSync(join(home, 'evil.txt'))).toBe(false)
  })

  it('accepts a symlink that stays inside the package', async () => {
    const home = tempDir()
    const store = new Store(homePaths(home))
    const data = tarball(tarEntry('package/a.txt', 'a'), tarEntry('package/b', '', '2', 'a.txt'))
    const e = await store.add(data, computeIntegrity(data), meta)
    expect(e.files).toBe(1)
  })

  it('gc removes entries nobody keeps, and --dry-run removes nothing', async () => {
    const home = tempDir()
    const store = new Store(homePaths(home))
    const a = tarball(tarEntry('package/a.txt', 'a'))
    const b = tarball(tarEntry('package/b.txt', 'bb'))
    await store.add(a, computeIntegrity(a), meta)
    await store.add(b, computeIntegrity(b), {id: 'io.x.b', version: '1.0.0'})
    const dry = await store.gc(() => new Set([computeIntegrity(a)]), true)
    expect(dry.removed.map((e) => e.id)).toEqual(['io.x.b'])
    expect(store.listDirs()).toHaveLength(2)
    const real = await store.gc(() => new Set([computeIntegrity(a)]), false)
    expect(real.freed).toBe(2)
    expect(store.listDirs()).toEqual([integrityDirName(computeIntegrity(a))])
    expect(Object.keys(store.readIndex().entries)).toEqual([computeIntegrity(a)])
  })

  it('does not follow a symlinked source file when packing', async () => {
    const src = tempDir()
    writeFileSync(join(src, 'gpack.toml'), 'x')
    symlinkSync('/etc/hostname', join(src, 'leak'))
    const data = await packDirectory(src)
    const store = new Store(homePaths(tempDir()))
    const e = await store.add(data, computeIntegrity(data), meta)
    expect(e.files).toBe(1)
  })
})
