/**
 * Issue 8, `packs registry build`: ids and versions are validated before anything is written,
 * nothing is written outside OUT, and concurrent builds into one folder are serialised by a lock
 * in OUT so that none loses another's packages. All through the real binary.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli, runCliAsync, tempDir, writeGpackSources, type GpackSpec} from '../support/cli.js'

const build = (src: string, out: string, env: Record<string, string> = {}) => runCli(['packs', 'registry', 'build', src, out, '--json'], {env: {GGEN_HOME: join(dirname(out), 'home'), ...env}})
const buildAsync = (src: string, out: string) => runCliAsync(['packs', 'registry', 'build', src, out, '--json'], {env: {GGEN_HOME: join(dirname(out), 'home')}})
const indexOf = (out: string) => JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'))
const sri = (file: string) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`

/** a source tree with one raw gpack.toml per entry (so a test can write anything in it) */
function rawSources(root: string, tomls: Record<string, string>): string {
  const src = join(root, 'src')
  for (const [name, toml] of Object.entries(tomls)) {
    mkdirSync(join(src, name), {recursive: true})
    writeFileSync(join(src, name, 'gpack.toml'), toml)
    writeFileSync(join(src, name, 'main.tmpl'), name)
  }
  return src
}
const gpack = (id: string, version: string) => `[gpack]\nid = ${JSON.stringify(id)}\nname = "n"\nversion = ${JSON.stringify(version)}\n`

/** every file under `dir`, relative */
function tree(dir: string, rel = ''): string[] {
  if (!existsSync(join(dir, rel))) return []
  return readdirSync(join(dir, rel), {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? tree(dir, join(rel, e.name)) : [join(rel, e.name)]))
}

describe('registry build validates every source before writing anything', () => {
  it.each([
    ['a version that is a path', '1.0.0/../../../escaped'],
    ['a version that is a word', 'banana'],
    ['a version with a v prefix', 'v1.0.0'],
    ['a two-part version', '1.0'],
    ['a version with build metadata', '1.0.0+build.5'],
    ['a version with spaces', ' 1.0.0'],
  ])('refuses %s: E_SCHEMA exit 3 naming the file and `gpack.version`, nothing written', (_what, version) => {
    const root = tempDir()
    const src = rawSources(root, {'a-good': gpack('io.x.good', '1.0.0'), 'b-bad': gpack('io.x.bad', version)})
    const out = join(root, 'out', 'registry')
    const r = build(src, out)
    expect(r.code, r.stderr).toBe(3)
    expect(r.json.error).toMatchObject({code: 'E_SCHEMA', field: 'gpack.version', file: join(src, 'b-bad', 'gpack.toml')})
    // nothing of the registry is written (the refused build is audited in GGEN_HOME, out/home)
    expect(existsSync(out)).toBe(false)
    expect(tree(root).filter((f) => f.endsWith('.tgz'))).toEqual([])
  })

  it.each([
    ['an id with a path', '../../escaped'],
    ['an id with a slash', 'io.x/evil'],
    ['an id with spaces', 'io x'],
    ['an empty id', ''],
  ])('refuses %s: E_SCHEMA naming `gpack.id`', (_what, id) => {
    const root = tempDir()
    const src = rawSources(root, {a: gpack(id, '1.0.0')})
    const r = build(src, join(root, 'registry'))
    expect(r.code, r.stderr).toBe(3)
    expect(r.json.error).toMatchObject({code: 'E_SCHEMA', field: 'gpack.id'})
    expect(existsSync(join(root, 'registry'))).toBe(false)
  })

  it('refuses the same id@version from two sources', () => {
    const root = tempDir()
    const src = rawSources(root, {a: gpack('io.x.a', '1.0.0'), b: gpack('io.x.a', '1.0.0')})
    const r = build(src, join(root, 'registry'))
    expect(r.code).toBe(3)
    expect(r.json.error.message).toMatch(/io\.x\.a@1\.0\.0 is also built from/)
  })

  it('leaves an existing registry byte-identical when one source is bad', () => {
    const root = tempDir()
    const out = join(root, 'registry')
    expect(build(writeGpackSources(join(root, 'v1'), [{id: 'io.x.a', version: '1.0.0'}]), out).code).toBe(0)
    const before = readFileSync(join(out, 'index.json'), 'utf8')
    const files = tree(out)
    const src = rawSources(join(root, 'v2'), {a: gpack('io.x.a', '1.1.0'), b: gpack('io.x.b', 'banana')})
    expect(build(src, out).code).toBe(3)
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toBe(before)
    expect(tree(out)).toEqual(files)
  })

  it('accepts scoped ids and pre-releases, and keeps them inside OUT', () => {
    const root = tempDir()
    const out = join(root, 'registry')
    const r = build(rawSources(root, {a: gpack('@team/io.x.a', '1.0.0-beta.1')}), out)
    expect(r.code, r.stderr).toBe(0)
    const v = indexOf(out).packages['@team/io.x.a'].versions['1.0.0-beta.1']
    expect(v.tarball).toBe('tarballs/@team/io.x.a-1.0.0-beta.1.tgz')
    expect(v.integrity).toBe(sri(join(out, v.tarball)))
  })
})

describe('concurrent builds into one folder', () => {
  it('8 builds at once, twice (new folder, then new versions): every package and version is listed and matches its tarball', async () => {
    const root = tempDir()
    const out = join(root, 'registry')
    const ids = Array.from({length: 8}, (_, i) => `io.race.p${i}`)
    for (const version of ['1.0.0', '1.1.0']) {
      const results = await Promise.all(ids.map((id) => buildAsync(writeGpackSources(join(root, `src-${id}-${version}`), [{id, version}] satisfies GpackSpec[]), out)))
      for (const r of results) expect(r.code, r.stderr).toBe(0)
    }
    const index = indexOf(out)
    expect(Object.keys(index.packages).sort()).toEqual(ids)
    for (const id of ids) {
      expect(Object.keys(index.packages[id].versions).sort()).toEqual(['1.0.0', '1.1.0'])
      for (const v of Object.values(index.packages[id].versions) as {tarball: string; integrity: string}[]) expect(v.integrity).toBe(sri(join(out, v.tarball)))
    }
    expect(readdirSync(out).filter((f) => f.includes('lock') || f.endsWith('.tmp'))).toEqual([])
  })

  it('waits for a build holding the lock, and gives up with E_LOCKED (exit 7) writing nothing', () => {
    const root = tempDir()
    const out = join(root, 'registry')
    mkdirSync(out, {recursive: true})
    // a live holder: this test process
    writeFileSync(join(out, '.ggen-build.lock'), JSON.stringify({pid: process.pid, host: hostname(), started: new Date().toISOString()}))
    const r = build(writeGpackSources(join(root, 'src'), [{id: 'io.x.a', version: '1.0.0'}]), out, {GGEN_PACKS_LOCK_TIMEOUT_MS: '300'})
    expect(r.code, r.stderr).toBe(7)
    expect(r.json.error.code).toBe('E_LOCKED')
    expect(readdirSync(out)).toEqual(['.ggen-build.lock'])
  })
})
