/**
 * `packs registry build <sources> <out>`: every directory under <sources> holding a gpack.toml
 * becomes one version in <out>/index.json plus <out>/tarballs/<id>-<version>.tgz (deterministic,
 * sha512 integrity, unpacked size, optional Ed25519 signature). Re-running adds new versions and
 * keeps published ones (their bytes never change; a changed source of a published version is
 * reported, not silently republished, unless --force).
 * Registry-side state can be set in a `[registry]` table of gpack.toml: deprecated = "message",
 * yanked = true, published_at = "...".
 *
 * Safety: every source is read and validated (id grammar, strict semver, no id@version twice)
 * before anything is written; each tarball path is checked to stay inside <out>; the
 * read-modify-write of index.json runs under a lock file in <out> (concurrent builds into one
 * folder are serialised and none loses another's packages) and the index is written atomically.
 */
import {createPublicKey, type KeyObject} from 'node:crypto'
import {readdirSync, statSync} from 'node:fs'
import {join, relative, resolve, sep} from 'node:path'
import semver from 'semver'
import {PacksError} from '../domain/errors.js'
import {GpackManifest, type RegistryIndex, type RegistryPackage} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic, writeJsonAtomic} from '../formats/fs.js'
import {normalizeGpackRaw} from '../formats/gpack-toml.js'
import {withLock} from '../formats/lock.js'
import {parseJsonText, parseTomlText, validate} from '../formats/parse.js'
import {legacyQuality, normalizeRegistryIndex} from '../formats/registry-index.js'
import {compareVersions} from '../resolve/versions.js'
import {keyId, loadPrivateKey, publicKeyToBase64, signVersion} from '../security/signing.js'
import {computeIntegrity} from '../store/integrity.js'
import {listPackFiles, packDirectory} from '../store/tarball.js'

export interface BuildOptions {
  signKey?: string
  name?: string
  force?: boolean
  progress?: (text: string, done: number, total: number) => void
}

export interface BuildResult {
  out: string
  packages: number
  versions: number
  added: string[]
  unchanged: number
  conflicts: string[]
  signed: boolean
}

/** the lock file inside OUT that serialises builds into one registry folder */
export const BUILD_LOCK = '.ggen-build.lock'

interface RegistryState {
  deprecated?: string
  yanked?: boolean
  published_at?: string
}

interface Source {
  dir: string
  file: string
  /** the manifest table the fields came from (`gpack`, or a legacy `package` / `pack`) */
  table: string
  m: GpackManifest
  reg: RegistryState
}

interface Packed extends Source {
  data: Buffer
  integrity: string
  size: number
}

function findSources(dir: string, depth = 0): string[] {
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch (error) {
    throw new PacksError('E_NOT_FOUND', `cannot read sources directory ${dir}: ${(error as Error).message}`, {hint: 'Give the folder that holds one directory per gpack (each with a gpack.toml).'})
  }
  if (entries.some((e) => e.isFile() && e.name === 'gpack.toml')) return [dir]
  if (depth > 6) return []
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => findSources(join(dir, e.name), depth + 1))
}

const schemaError = (file: string, field: string, message: string, hint: string) =>
  new PacksError('E_SCHEMA', `${file}: field \`${field}\`: ${message}; nothing was written`, {file, field, hint})

function readSource(dir: string): Source {
  const file = join(dir, 'gpack.toml')
  const text = readTextOrNull(file)
  if (text === null) throw new PacksError('E_NOT_FOUND', `${file} disappeared while building`, {file, hint: 'Run the build again.'})
  const raw = parseTomlText(text, file)
  const {value, base} = normalizeGpackRaw(raw, file)
  const m = validate(GpackManifest, value, file, base)
  if (semver.valid(m.version) !== m.version) {
    throw schemaError(file, `${base}.version`, `\`${m.version}\` is not a semantic version`, 'Write the version as MAJOR.MINOR.PATCH, optionally with a pre-release (1.0.0, 2.1.0-beta.1); no `v` prefix, build metadata, spaces or paths.')
  }
  return {dir, file, table: base, m, reg: (raw.registry ?? {}) as RegistryState}
}

/** read and validate every source before anything is written */
function readSources(sources: string[]): Source[] {
  const out = sources.map(readSource)
  const seen = new Map<string, Source>()
  for (const s of out) {
    const key = `${s.m.id}@${s.m.version}`
    const first = seen.get(key)
    if (first) throw schemaError(s.file, `${s.table}.version`, `${key} is also built from ${first.file}`, 'Give each source directory its own id or version.')
    seen.set(key, s)
  }
  return out
}

/** `tarballs/<id>-<version>.tgz`, refused unless it resolves inside OUT */
function tarballPath(outDir: string, s: Source): {rel: string; abs: string} {
  const rel = `tarballs/${s.m.id}-${s.m.version}.tgz`
  const root = resolve(outDir)
  const abs = resolve(root, rel)
  if (!abs.startsWith(root + sep)) {
    throw new PacksError('E_PATH_TRAVERSAL', `${s.file}: ${s.m.id}@${s.m.version} would write ${abs}, outside the registry folder ${root}; nothing was written`, {
      file: s.file,
      field: `${s.table}.id`,
      hint: 'Package ids and versions may not contain path separators or `..`.',
    })
  }
  return {rel, abs}
}

/** index.json with packages in id order (atomic); callers hold BUILD_LOCK */
export function writeRegistryIndex(indexFile: string, index: RegistryIndex): void {
  writeJsonAtomic(indexFile, {...index, packages: Object.fromEntries(Object.keys(index.packages).sort().map((k) => [k, index.packages[k]!]))})
}

export function readIndex(indexFile: string): {index: RegistryIndex; existed: boolean} {
  const text = readTextOrNull(indexFile)
  const index: RegistryIndex = text ? normalizeRegistryIndex(parseJsonText(text, indexFile), indexFile) : {format: 'ggen-packs-registry/1', keys: [], packages: {}}
  index.format = 'ggen-packs-registry/1'
  return {index, existed: text !== null}
}

function addKey(index: RegistryIndex, key: KeyObject): void {
  const pub = createPublicKey(key)
  const b64 = publicKeyToBase64(pub)
  if (!index.keys.some((k) => k.public_key === b64)) index.keys.push({keyid: keyId(pub), public_key: b64, algorithm: 'ed25519'})
}

/** package metadata follows the newest version's manifest */
function followNewest(pkg: RegistryPackage, m: GpackManifest): void {
  const newest = Object.keys(pkg.versions).sort((a, b) => compareVersions(b, a))[0]
  if (newest !== m.version) return
  Object.assign(pkg, {
    name: m.name,
    description: m.description,
    author: m.authors[0],
    license: m.license,
    category: m.category,
    keywords: m.keywords,
    tags: m.tags,
    homepage: m.homepage,
    repository: m.repository,
  })
}

function versionEntry(p: Packed, rel: string, key: KeyObject | undefined): RegistryPackage['versions'][string] {
  const {m, reg, integrity, size} = p
  return {
    version: m.version,
    dependencies: m.dependencies,
    integrity,
    tarball: rel,
    license: m.license,
    quality_score: m.quality_score ?? legacyQuality({description: m.description, license: m.license, repository: m.repository, homepage: m.homepage, authors: m.authors.length ? m.authors : undefined, keywords: m.keywords, production_ready: m.production_ready}),
    production_ready: m.production_ready ?? false,
    deprecated: reg.deprecated ?? null,
    yanked: reg.yanked ?? false,
    published_at: reg.published_at ?? new Date().toISOString(),
    size,
    ...(m.ggen_compat ? {ggen_compat: m.ggen_compat} : {}),
    ...(key ? {signature: signVersion(key, m.id, m.version, integrity)} : {}),
  }
}

/** merge the packed sources into the index (under the lock); writes the new tarballs */
function merge(outDir: string, index: RegistryIndex, packed: Packed[], opts: BuildOptions, key: KeyObject | undefined) {
  const added: string[] = []
  const conflicts: string[] = []
  let unchanged = 0
  let stateChanged = false
  for (const p of packed) {
    const {m, reg} = p
    const pkg: RegistryPackage = index.packages[m.id] ?? {id: m.id, name: m.name, description: m.description, keywords: [], tags: [], versions: {}}
    const prev = pkg.versions[m.version]
    if (prev && prev.integrity === p.integrity && !opts.force) {
      unchanged++
      // registry-side state may still change
      const state = {deprecated: reg.deprecated ?? prev.deprecated ?? null, yanked: reg.yanked ?? prev.yanked}
      stateChanged ||= state.deprecated !== prev.deprecated || state.yanked !== prev.yanked
      Object.assign(prev, state)
    } else if (prev && prev.integrity !== p.integrity && !opts.force) {
      conflicts.push(`${m.id}@${m.version}: source changed since it was published (${relative(process.cwd(), p.dir)}); kept the published tarball — bump the version, or rebuild with --force`)
    } else {
      const {rel, abs} = tarballPath(outDir, p)
      writeFileAtomic(abs, p.data)
      pkg.versions[m.version] = versionEntry(p, rel, key)
      added.push(`${m.id}@${m.version}`)
    }
    followNewest(pkg, m)
    index.packages[m.id] = pkg
  }
  return {added, conflicts, unchanged, stateChanged}
}

export async function buildRegistry(sourcesDir: string, outDir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const dirs = findSources(sourcesDir)
  if (dirs.length === 0) throw new PacksError('E_NOT_FOUND', `no gpack.toml found under ${sourcesDir}`, {hint: 'Each package source directory needs a gpack.toml with a [gpack] table.'})
  const sources = readSources(dirs)
  for (const s of sources) tarballPath(outDir, s)
  const key = opts.signKey ? loadPrivateKey(opts.signKey) : undefined
  const packed: Packed[] = []
  for (const s of sources) {
    opts.progress?.(`Packing ${s.m.id}@${s.m.version}`, packed.length + 1, sources.length)
    const data = await packDirectory(s.dir)
    const size = listPackFiles(s.dir).reduce((sum, f) => sum + statSync(join(s.dir, f)).size, 0)
    packed.push({...s, data, integrity: computeIntegrity(data), size})
  }
  const indexFile = join(outDir, 'index.json')
  return withLock(join(outDir, BUILD_LOCK), () => {
    const {index, existed} = readIndex(indexFile)
    const renamed = opts.name !== undefined && index.name !== opts.name
    if (renamed) index.name = opts.name
    if (key) addKey(index, key)
    const r = merge(outDir, index, packed, opts, key)
    // sign versions that predate the key
    if (key) for (const p of Object.values(index.packages)) for (const v of Object.values(p.versions)) if (!v.signature && v.integrity) v.signature = signVersion(key, p.id, v.version, v.integrity)
    if (r.added.length || r.stateChanged || renamed || !existed || key) {
      index.updated_at = new Date().toISOString()
      writeRegistryIndex(indexFile, index)
    }
    const versions = Object.values(index.packages).reduce((s, p) => s + Object.keys(p.versions).length, 0)
    return {out: outDir, packages: Object.keys(index.packages).length, versions, added: r.added, unchanged: r.unchanged, conflicts: r.conflicts, signed: !!key}
  })
}
