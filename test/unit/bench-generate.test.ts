/**
 * bench/generate.mjs at a small size (200 versions / 20 projects): deterministic for a seed, and
 * what it writes is what installs would leave: every lockfile a consistent resolution of its
 * ggen.toml against the registry, every locked integrity in the store (intact entries), every
 * project registered. The generator runs on the compiled dist/ (`npm test` builds first).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RegistryIndex} from '../../src/domain/schemas.js'
import {lockfilePath, parseLockfile} from '../../src/formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../../src/formats/project-toml.js'
import {satisfies} from '../../src/resolve/versions.js'
import {computeIntegrity, integrityDirName} from '../../src/store/integrity.js'
import {Store, treeDigest, type StoreIndex} from '../../src/store/store.js'
import {homePaths} from '../../src/workspace/home.js'
import type {ProjectsFile} from '../../src/workspace/projects.js'

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
const GENERATOR = join(repo, 'bench', 'generate.mjs')
const tmp = mkdtempSync(join(tmpdir(), 'ggen-bench-gen-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const SIZE = ['--versions', '200', '--projects', '20', '--seed', '7']

function generate(out: string, extra: string[] = []): void {
  const r = spawnSync(process.execPath, [GENERATOR, ...SIZE, '--out', out, '--quiet', ...extra], {cwd: repo, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`bench/generate.mjs failed (exit ${r.status}): ${r.stderr}`)
}

const read = (file: string) => readFileSync(file, 'utf8')
const projectsOf = (out: string) =>
  readdirSync(join(out, 'workspace'))
    .sort()
    .map((d) => join(out, 'workspace', d))

describe('bench/generate.mjs', () => {
  const a = join(tmp, 'a')
  const b = join(tmp, 'b')
  const c = join(tmp, 'c')

  beforeAll(() => {
    if (!existsSync(join(repo, 'dist', 'src', 'resolve', 'resolver.js'))) throw new Error('dist/ is not built: run `npm run build` (npm test does)')
    // same registry URL for a and b so the lockfiles can compare byte for byte; c uses the default (its registry dir)
    generate(a, ['--registry-url', 'https://registry.bench.invalid'])
    generate(b, ['--registry-url', 'https://registry.bench.invalid'])
    generate(c)
  }, 240_000)

  it('is deterministic: the same seed gives byte-identical registry index, ggen.toml files and lockfiles', () => {
    expect(read(join(a, 'registry', 'index.json'))).toBe(read(join(b, 'registry', 'index.json')))
    expect(read(join(a, 'home', 'store', 'v1', 'index.json'))).toBe(read(join(b, 'home', 'store', 'v1', 'index.json')))
    const pa = projectsOf(a)
    expect(pa.map((p) => p.slice(a.length))).toEqual(projectsOf(b).map((p) => p.slice(b.length)))
    expect(pa).toHaveLength(20)
    for (const p of pa) {
      const q = join(b, p.slice(a.length))
      expect(read(lockfilePath(p))).toBe(read(lockfilePath(q)))
      expect(read(projectFilePath(p))).toBe(read(projectFilePath(q)))
    }
    // the URL is the only difference from a run with the default registry URL
    expect(read(join(c, 'registry', 'index.json'))).toBe(read(join(a, 'registry', 'index.json')))
    const lc = read(lockfilePath(projectsOf(c)[0]!))
    expect(lc).toContain(JSON.stringify(join(c, 'registry')))
    expect(lc.replaceAll(JSON.stringify(join(c, 'registry')), JSON.stringify('https://registry.bench.invalid'))).toBe(read(lockfilePath(projectsOf(a)[0]!)))
  })

  it('writes a canonical registry with real tarballs of the advertised integrity', () => {
    const index = JSON.parse(read(join(c, 'registry', 'index.json'))) as RegistryIndex
    expect(index.format).toBe('ggen-packs-registry/1')
    const pkgs = Object.values(index.packages)
    expect(pkgs.length).toBe(40)
    const versions = pkgs.flatMap((p) => Object.values(p.versions).map((v) => ({p, v})))
    expect(versions).toHaveLength(200)
    // the generator's package index is the id's numeric suffix (io.ggen.<category>.<word>-NNNN)
    const indexOf = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1))
    for (const {p, v} of versions) {
      expect(computeIntegrity(readFileSync(join(c, 'registry', v.tarball!)))).toBe(v.integrity)
      // a DAG: dependencies only on packages with a smaller index
      for (const [dep, range] of Object.entries(v.dependencies)) {
        expect(index.packages[dep]).toBeDefined()
        expect(indexOf(dep)).toBeLessThan(indexOf(p.id))
        expect(range).toMatch(/^(\^|~|>=)\d/)
      }
      expect(Object.keys(v.dependencies).length).toBeLessThanOrEqual(6)
    }
  })

  it('writes lockfiles that are consistent resolutions of each ggen.toml', () => {
    const index = JSON.parse(read(join(c, 'registry', 'index.json'))) as RegistryIndex
    let locked = 0
    for (const dir of projectsOf(c)) {
      const cfg = parseProjectToml(read(projectFilePath(dir)), projectFilePath(dir))
      const lock = parseLockfile(read(lockfilePath(dir)), lockfilePath(dir))
      const direct = Object.keys(cfg.packs)
      expect(direct.length).toBeGreaterThan(0)
      expect(direct.length).toBeLessThanOrEqual(10)
      expect(cfg.project.team).toBeTruthy()
      expect(cfg.project.owner).toBeTruthy()
      // every direct requirement locked and satisfied
      for (const [id, r] of Object.entries(cfg.packs)) {
        expect(lock.packs[id], `${dir}: ${id} not locked`).toBeDefined()
        expect(satisfies(lock.packs[id]!.version, r.version), `${dir}: ${id}@${lock.packs[id]!.version} vs ${r.version}`).toBe(true)
      }
      for (const [id, e] of Object.entries(lock.packs)) {
        locked++
        const reg = index.packages[id]?.versions[e.version]
        expect(reg, `${id}@${e.version} not in the registry`).toBeDefined()
        expect(e.integrity).toBe(reg!.integrity)
        expect(e.source).toEqual({type: 'Registry', url: join(c, 'registry')})
        expect(e.requires).toEqual(reg!.dependencies)
        // every declared range satisfied by the locked version of that dependency
        for (const [dep, range] of Object.entries(e.requires ?? {})) {
          expect(lock.packs[dep], `${dir}: ${id}@${e.version} needs ${dep} ${range}, not locked`).toBeDefined()
          expect(satisfies(lock.packs[dep]!.version, range), `${dir}: ${id}@${e.version} needs ${dep} ${range}, locked ${lock.packs[dep]!.version}`).toBe(true)
        }
        // dependencies: the resolved ids, a subset of the locked ids
        expect(e.dependencies).toEqual(Object.keys(e.requires ?? {}).sort())
        for (const d of e.dependencies) expect(Object.keys(lock.packs)).toContain(d)
      }
      // nothing locked that the direct requirements do not reach
      const reach = new Set<string>()
      const stack = [...direct]
      while (stack.length) {
        const id = stack.pop()!
        if (reach.has(id)) continue
        reach.add(id)
        stack.push(...lock.packs[id]!.dependencies)
      }
      expect([...reach].sort()).toEqual(Object.keys(lock.packs).sort())
    }
    expect(locked).toBeGreaterThan(20 * 3)
  })

  it('fills the store with an intact entry for every locked integrity, and registers every project', () => {
    const paths = homePaths(join(c, 'home'))
    const store = new Store(paths)
    const idx = JSON.parse(read(paths.storeIndex)) as StoreIndex
    expect(idx.format).toBe('ggen-packs-store/1')
    const integrities = new Set<string>()
    for (const dir of projectsOf(c)) {
      for (const [id, e] of Object.entries(parseLockfile(read(lockfilePath(dir)), lockfilePath(dir)).packs)) {
        integrities.add(e.integrity)
        const entry = idx.entries[e.integrity]
        expect(entry, `${dir}: no store entry for ${id}@${e.version}`).toBeDefined()
        expect([entry!.id, entry!.version, entry!.integrity]).toEqual([id, e.version, e.integrity])
        expect(entry!.dir).toBe(integrityDirName(e.integrity))
        expect(entry!.added_at <= e.installed_at).toBe(true)
      }
    }
    // one entry per installed version, nothing else
    expect(Object.keys(idx.entries).sort()).toEqual([...integrities].sort())
    expect(store.listDirs().sort()).toEqual(Object.values(idx.entries).map((e) => e.dir).sort())
    for (const integrity of integrities) {
      expect(store.verifyEntry(integrity)).toEqual([])
      const marker = JSON.parse(read(join(store.entryDir(integrity), '.ggen-store.json'))) as {digest: string; files: number; size: number}
      expect(marker.digest).toBe(treeDigest(store.entryDir(integrity)))
      expect([marker.files, marker.size]).toEqual([idx.entries[integrity]!.files, idx.entries[integrity]!.size])
    }
    const projects = JSON.parse(read(paths.projects)) as ProjectsFile
    expect(projects.format).toBe('ggen-packs-projects/1')
    expect(Object.keys(projects.projects).sort()).toEqual(projectsOf(c))
  })

  it('refuses to overwrite a directory it did not write', () => {
    const other = join(tmp, 'other')
    mkdirSync(join(other, 'registry'), {recursive: true})
    writeFileSync(join(other, 'registry', 'keep.txt'), 'mine')
    const r = spawnSync(process.execPath, [GENERATOR, ...SIZE, '--out', other, '--quiet'], {cwd: repo, encoding: 'utf8'})
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/refusing to overwrite/)
    expect(read(join(other, 'registry', 'keep.txt'))).toBe('mine')
  })
})
