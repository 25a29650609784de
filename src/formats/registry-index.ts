/**
 * Registry index readers. The canonical form is `{format: "ggen-packs-registry/1", packages: {id:
 * {..., versions: {ver: {...}}}}}`. Every index shape real ggen published is normalised here:
 *   - marketplace array index (`packages: [{name, version, dependencies: [names], checksum}]`, 48-77 pkgs)
 *   - its variant with `versions: ["1.0.0"]` per package and no metadata (hist-6808d50c6)
 *   - its variant with guard fields and `validation_score` as a string (hist-ec2b9736e)
 *   - the v0 map index `{updated, packs: {id: {latest_version, versions: {ver: {git_url, sha256}}}}}`
 *   - the flat array `marketplace/index.json` (ids taken from `path` when the name is a title)
 *   - the TOML `packages.toml` with `[[package]]` entries (normalizeTomlRegistry)
 * Unknown fields are ignored; problems that do not stop reading become warnings.
 */
import {count} from '../util/text.js'
import {splitDependency} from '../domain/spec.js'
import {basename} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {PACKAGE_ID_RE, RegistryIndex, type RegistryPackage, type RegistryVersion} from '../domain/schemas.js'
import {validate} from './parse.js'

export type Warn = (message: string) => void

export function hexToSri(algo: 'sha256' | 'sha512', hex: unknown): string | undefined {
  if (typeof hex !== 'string') return undefined
  const h = hex.replace(/^sha(256|512)[:-]/, '')
  const want = algo === 'sha256' ? 64 : 128
  if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== want) return undefined
  return `${algo}-${Buffer.from(h, 'hex').toString('base64')}`
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** heuristic quality score for legacy entries that carry none (documented in docs/formats.md) */
export function legacyQuality(p: Record<string, unknown>): number {
  const explicit = num(p.quality_score) ?? num(p.validation_score) ?? num(p.maturity)
  if (explicit !== undefined) return Math.max(0, Math.min(100, Math.round(explicit)))
  let s = 20
  if (typeof p.description === 'string' && p.description.length > 30) s += 20
  if (p.license) s += 15
  if (p.repository || p.homepage || p.download_url) s += 10
  if (p.author || p.authors) s += 10
  if (Array.isArray(p.keywords) && p.keywords.length > 0) s += 10
  if (p.production_ready === true) s += 15
  return Math.min(100, s)
}

function depsOf(v: unknown): Record<string, string> {
  if (Array.isArray(v)) {
    // names, or "name@range" as ggen v1 wrote them
    return Object.fromEntries(
      v.filter((d): d is string => typeof d === 'string').map((d) => {
        const {id, range} = splitDependency(d)
        return [id, range]
      }),
    )
  }
  if (v && typeof v === 'object') {
    const out: Record<string, string> = {}
    for (const [k, r] of Object.entries(v)) out[k] = typeof r === 'string' ? r : '*'
    return out
  }
  return {}
}

function fromMarketplaceArray(raw: Record<string, unknown>, file: string, warn: Warn): unknown {
  const packages: Record<string, RegistryPackage> = {}
  const unversioned: string[] = []
  const list = raw.packages as unknown[]
  list.forEach((entry, i) => {
    if (!entry || typeof entry !== 'object') {
      warn(`${file}: packages[${i}] is not an object; skipped`)
      return
    }
    const p = entry as Record<string, unknown>
    let id = (p.id ?? p.name) as string | undefined
    if (typeof id !== 'string' || !id) {
      warn(`${file}: packages[${i}] has no name; skipped`)
      return
    }
    if (!PACKAGE_ID_RE.test(id)) {
      // real indexes list "Next.js Ontology-Driven CRUD" whose directory (`path`) is the real id
      const fromPath = typeof p.path === 'string' ? basename(p.path.replace(/\/+$/, '')) : ''
      if (fromPath && PACKAGE_ID_RE.test(fromPath)) {
        warn(`${file}: packages[${i}].name "${id}" is not a package id; using "${fromPath}" from its path`)
        id = fromPath
      } else {
        warn(`${file}: packages[${i}].name "${id}" is not a package id (letters, digits, . _ -); skipped`)
        return
      }
    }
    const title = typeof p.title === 'string' ? p.title : typeof p.name === 'string' && p.name !== id ? p.name : id
    const versionsList: string[] = Array.isArray(p.versions)
      ? (p.versions as unknown[]).map((v) => (typeof v === 'string' ? v : (v as {version?: string})?.version)).filter((v): v is string => !!v)
      : typeof p.version === 'string'
        ? [p.version]
        : []
    // listed without a version (hist-6808d50c6: 58 of 60 entries have `versions: []`): kept, so
    // search/info still see the package, with nothing installable
    if (versionsList.length === 0) unversioned.push(id)
    const integrity = hexToSri('sha256', p.checksum)
    if (p.checksum !== undefined && !integrity) warn(`${file}: packages[${i}].checksum of ${id} is not a sha256 hex digest; ignored`)
    const versions: Record<string, RegistryVersion> = {}
    for (const v of versionsList) {
      versions[v] = {
        version: v,
        dependencies: depsOf(p.dependencies),
        integrity,
        tarball: typeof p.download_url === 'string' ? p.download_url : undefined,
        license: typeof p.license === 'string' ? p.license : undefined,
        quality_score: legacyQuality(p),
        production_ready: p.production_ready === true,
        deprecated: null,
        yanked: false,
        published_at: typeof p.last_validated === 'string' ? p.last_validated : typeof raw.updated_at === 'string' ? raw.updated_at : undefined,
      }
    }
    const prev = packages[id]
    packages[id] = {
      id,
      name: title,
      description: typeof p.description === 'string' ? p.description : '',
      author: typeof p.author === 'string' ? p.author : undefined,
      license: typeof p.license === 'string' ? p.license : undefined,
      category: typeof p.category === 'string' ? p.category : undefined,
      keywords: Array.isArray(p.keywords) ? p.keywords.filter((k): k is string => typeof k === 'string') : [],
      tags: Array.isArray(p.tags) ? p.tags.filter((k): k is string => typeof k === 'string') : [],
      repository: typeof p.repository === 'string' ? p.repository : undefined,
      homepage: typeof p.homepage === 'string' ? p.homepage : undefined,
      downloads: num(p.downloads),
      versions: {...prev?.versions, ...versions},
    }
  })
  if (unversioned.length > 0) {
    const shown = unversioned.slice(0, 5).join(', ') + (unversioned.length > 5 ? `, ... (${unversioned.length} in all)` : '')
    warn(`${file}: ${count(unversioned.length, 'package')} list no version (${shown}); kept with nothing installable`)
  }
  return {format: 'ggen-packs-registry/1', updated_at: raw.updated_at, packages}
}

function fromV0Map(raw: Record<string, unknown>, file: string, warn: Warn): unknown {
  const packages: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(raw.packs as Record<string, unknown>)) {
    const p = (entry ?? {}) as Record<string, unknown>
    const id = typeof p.id === 'string' ? p.id : key
    const versions: Record<string, unknown> = {}
    for (const [ver, v] of Object.entries((p.versions ?? {}) as Record<string, Record<string, unknown>>)) {
      // real v0 files omit `version` inside the entry: the key is the version
      const integrity = hexToSri('sha256', v?.sha256)
      if (v?.sha256 !== undefined && !integrity) warn(`${file}: packs.${key}.versions.${ver}.sha256 is not a sha256 hex digest; ignored`)
      versions[ver] = {
        version: typeof v?.version === 'string' ? v.version : ver,
        dependencies: depsOf(v?.dependencies),
        integrity,
        tarball: typeof v?.tarball === 'string' ? v.tarball : undefined,
        license: typeof p.license === 'string' ? p.license : undefined,
        quality_score: legacyQuality(p),
        production_ready: false,
        yanked: false,
      }
    }
    const gitUrl = Object.values((p.versions ?? {}) as Record<string, Record<string, unknown>>).map((v) => v?.git_url).find((u) => typeof u === 'string')
    packages[id] = {
      id,
      name: p.name ?? id,
      description: p.description ?? '',
      author: p.author,
      license: p.license,
      category: p.category,
      keywords: p.keywords ?? [],
      tags: p.tags ?? [],
      homepage: p.homepage,
      repository: p.repository ?? gitUrl,
      versions,
    }
  }
  return {format: 'ggen-packs-registry/1', updated_at: raw.updated, packages}
}

/** Any known index shape -> canonical RegistryIndex; PacksError naming file and field otherwise */
export function normalizeRegistryIndex(raw: unknown, file: string, warn: Warn = () => {}): RegistryIndex {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    if (Array.isArray(raw)) return normalizeRegistryIndex({packages: raw}, file, warn)
    throw new PacksError('E_SCHEMA', `${file}: a registry index must be a JSON object`, {file, field: '(root)'})
  }
  const r = raw as Record<string, unknown>
  let canonical: unknown
  if (r.format === 'ggen-packs-registry/1') canonical = r
  else if (Array.isArray(r.packages)) canonical = fromMarketplaceArray(r, file, warn)
  else if (r.packs && typeof r.packs === 'object') canonical = fromV0Map(r, file, warn)
  else
    throw new PacksError('E_SCHEMA', `${file}: not a registry index (no \`packages\` or \`packs\` field)`, {
      file,
      field: 'packages',
      hint: 'A registry index is made by `ggen packs registry build`; see docs/formats.md#registry-index.',
    })
  const idx = validate(RegistryIndex, canonical, file)
  // keys must match ids (a map key that disagrees with its id is a defect we fix, not fail on)
  for (const [k, p] of Object.entries(idx.packages)) {
    if (p.id !== k) {
      warn(`${file}: packages.${k}.id is ${p.id}; using ${k}`)
      p.id = k
    }
  }
  for (const d of findDanglingDependencies(idx)) {
    warn(`${file}: ${d.id}@${d.version} depends on ${d.dependency}, which is not in this index (installing ${d.id} will fail to resolve it)`)
  }
  return idx
}

export interface DanglingDependency {
  id: string
  version: string
  dependency: string
  range: string
}

/** dependencies that name a package the index does not hold (real: academic-paper-lifecycle) */
export function findDanglingDependencies(idx: RegistryIndex): DanglingDependency[] {
  const out: DanglingDependency[] = []
  for (const id of Object.keys(idx.packages).sort()) {
    const pkg = idx.packages[id]!
    for (const [version, v] of Object.entries(pkg.versions)) {
      for (const [dependency, range] of Object.entries(v.dependencies)) {
        if (!idx.packages[dependency]) out.push({id, version, dependency, range})
      }
    }
  }
  return out
}

/**
 * The older TOML registry (`marketplace/registry/packages.toml`, read by ggen v1.x `ggen market`):
 * top-level `version`, `registry_url`, ... and `[[package]] name, version, description, category,
 * author, repository, download_url, path, license, dependencies = [names], tags, keywords`.
 */
export function normalizeTomlRegistry(raw: Record<string, unknown>, file: string, warn: Warn = () => {}): RegistryIndex {
  const list = raw.package
  if (!Array.isArray(list)) {
    throw new PacksError('E_SCHEMA', `${file}: field \`package\` must be an array of tables ([[package]] entries)`, {
      file,
      field: 'package',
      hint: 'A TOML registry lists each package as a [[package]] table with name and version.',
    })
  }
  return normalizeRegistryIndex({updated_at: typeof raw.updated_at === 'string' ? raw.updated_at : undefined, packages: list}, file, warn)
}
