/**
 * `packs registry build <sources> <out>`: every directory under <sources> holding a gpack.toml
 * becomes one version in <out>/index.json plus <out>/tarballs/<id>-<version>.tgz (deterministic,
 * sha512 integrity, unpacked size, optional Ed25519 signature). Re-running adds new versions and
 * keeps published ones (their bytes never change; a changed source of a published version is
 * reported, not silently republished, unless --force).
 * Registry-side state can be set in a `[registry]` table of gpack.toml: deprecated = "message",
 * yanked = true, published_at = "...".
 */
import {readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {RegistryIndex, RegistryPackage} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic, writeJsonAtomic} from '../formats/fs.js'
import {parseGpackToml} from '../formats/gpack-toml.js'
import {parseJsonText, parseTomlText} from '../formats/parse.js'
import {normalizeRegistryIndex} from '../formats/registry-index.js'
import {legacyQuality} from '../formats/registry-index.js'
import {keyId, loadPrivateKey, publicKeyToBase64, signVersion} from '../security/signing.js'
import {createPublicKey} from 'node:crypto'
import {computeIntegrity} from '../store/integrity.js'
import {listPackFiles, packDirectory} from '../store/tarball.js'
import {compareVersions} from '../resolve/versions.js'

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

export async function buildRegistry(sourcesDir: string, outDir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  const sources = findSources(sourcesDir)
  if (sources.length === 0) throw new PacksError('E_NOT_FOUND', `no gpack.toml found under ${sourcesDir}`, {hint: 'Each package source directory needs a gpack.toml with a [gpack] table.'})
  const indexFile = join(outDir, 'index.json')
  const existingText = readTextOrNull(indexFile)
  const index: RegistryIndex = existingText
    ? normalizeRegistryIndex(parseJsonText(existingText, indexFile), indexFile)
    : {format: 'ggen-packs-registry/1', keys: [], packages: {}}
  index.format = 'ggen-packs-registry/1'
  if (opts.name) index.name = opts.name
  const key = opts.signKey ? loadPrivateKey(opts.signKey) : undefined
  if (key) {
    const pub = createPublicKey(key)
    const b64 = publicKeyToBase64(pub)
    if (!index.keys.some((k) => k.public_key === b64)) index.keys.push({keyid: keyId(pub), public_key: b64, algorithm: 'ed25519'})
  }
  const added: string[] = []
  const conflicts: string[] = []
  let unchanged = 0
  let n = 0
  for (const dir of sources) {
    n++
    const file = join(dir, 'gpack.toml')
    const text = readTextOrNull(file)!
    const m = parseGpackToml(text, file)
    const reg = (parseTomlText(text, file).registry ?? {}) as {deprecated?: string; yanked?: boolean; published_at?: string}
    opts.progress?.(`Packing ${m.id}@${m.version}`, n, sources.length)
    const data = await packDirectory(dir)
    const integrity = computeIntegrity(data)
    const size = listPackFiles(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0)
    const tarRel = `tarballs/${m.id}-${m.version}.tgz`
    const pkg: RegistryPackage = index.packages[m.id] ?? {id: m.id, name: m.name, description: m.description, keywords: [], tags: [], versions: {}}
    const prev = pkg.versions[m.version]
    if (prev && prev.integrity === integrity && !opts.force) {
      unchanged++
      // registry-side state may still change
      prev.deprecated = reg.deprecated ?? prev.deprecated ?? null
      prev.yanked = reg.yanked ?? prev.yanked
    } else if (prev && prev.integrity !== integrity && !opts.force) {
      conflicts.push(`${m.id}@${m.version}: source changed since it was published (${relative(process.cwd(), dir)}); kept the published tarball — bump the version, or rebuild with --force`)
    } else {
      writeFileAtomic(join(outDir, tarRel), data)
      pkg.versions[m.version] = {
        version: m.version,
        dependencies: m.dependencies,
        integrity,
        tarball: tarRel,
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
      added.push(`${m.id}@${m.version}`)
    }
    // package metadata follows the newest version's manifest
    const newest = Object.keys(pkg.versions).sort((a, b) => compareVersions(b, a))[0]
    if (newest === m.version) {
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
    index.packages[m.id] = pkg
  }
  // sign versions that predate the key
  if (key) for (const p of Object.values(index.packages)) for (const v of Object.values(p.versions)) if (!v.signature && v.integrity) v.signature = signVersion(key, p.id, v.version, v.integrity)
  index.updated_at = new Date().toISOString()
  const sorted: RegistryIndex = {...index, packages: Object.fromEntries(Object.keys(index.packages).sort().map((k) => [k, index.packages[k]!]))}
  if (added.length || !existingText || key) writeJsonAtomic(indexFile, sorted)
  const versions = Object.values(index.packages).reduce((s, p) => s + Object.keys(p.versions).length, 0)
  return {out: outDir, packages: Object.keys(index.packages).length, versions, added, unchanged, conflicts, signed: !!key}
}
