/**
 * Environment manifests (the seed's Manifest model, `docs/guide/environments.md`): one JSON (or
 * YAML) file naming, for an environment, every package with its exact version and integrity,
 * transitive dependencies included.
 *
 *   read/validate  -> errors name the file and the field (`packages[3].version`), code E_MANIFEST
 *   write          -> sorted keys (JSON) or YAML, deterministic
 *   build          -> from projects' ggen.toml + lockfile (pure; `manifest generate` does the IO)
 *   pin            -> required_version := version, metadata.locked_at := now (pure part of `lock`)
 *   compare        -> added / removed / changed with direction and integrity changes (pure)
 *
 * Only this module and the use-cases beside it know the manifest layout.
 */
import {count} from '../util/text.js'
import {extname} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {Manifest, type Lockfile, type ManifestPackage, type ProjectConfig, type Tier} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic, sortKeys, stableStringify} from '../formats/fs.js'
import {fieldPath, parseJsonText} from '../formats/parse.js'
import {compareVersions, satisfies, semver, validRange} from '../resolve/versions.js'
import {parseIntegrity} from '../store/integrity.js'

/** the manifest format version this code writes (top-level `version`) */
export const MANIFEST_FORMAT_VERSION = '1'
export const ENV_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export type ManifestFormat = 'json' | 'yaml'

export interface ReadManifestOptions {
  /** every entry must carry an exact `version` and an `integrity` (apply, verify) */
  requireLocked?: boolean
}

export function manifestError(file: string, field: string | undefined, message: string, hint?: string, details?: unknown): PacksError {
  return new PacksError('E_MANIFEST', `${file}: ${field ? `field \`${field}\`: ` : ''}${message}`, {
    file,
    field,
    hint: hint ?? 'Correct the manifest (or generate it again with `ggen packs manifest generate`); nothing was changed.',
    details,
  })
}

export const formatFromPath = (file: string): ManifestFormat => (['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? 'yaml' : 'json')

/** an exact version: valid semver, or (real ggen files) a plain non-semver string that is no range */
export const isExactVersion = (v: string): boolean => semver.valid(v) !== null || !/[\s^~<>=*|]|^[xX]$|\.[xX*](\.|$)/.test(v)

/** parse manifest text (JSON, or YAML when the text does not start with `{`) and validate it */
export async function parseManifestText(text: string, file: string, opts: ReadManifestOptions = {}): Promise<Manifest> {
  let raw: unknown
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || formatFromPath(file) === 'json') {
    try {
      raw = parseJsonText(text, file)
    } catch (error) {
      throw new PacksError('E_MANIFEST', (error as Error).message, {file, hint: 'The manifest is not valid JSON (damaged or truncated?). Nothing was changed.', cause: error})
    }
  } else {
    const {parse, YAMLParseError} = await import('yaml')
    try {
      raw = parse(text)
    } catch (error) {
      const pos = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : ''
      throw new PacksError('E_MANIFEST', `${file}: invalid YAML${pos}: ${(error as Error).message.split('\n')[0]}`, {file, hint: 'Fix the YAML syntax; nothing was changed.', cause: error})
    }
  }
  return validateManifest(raw, file, opts)
}

export async function readManifestFile(file: string, opts: ReadManifestOptions = {}): Promise<Manifest> {
  const text = readTextOrNull(file)
  if (text === null) {
    throw new PacksError('E_MANIFEST', `manifest ${file} does not exist`, {file, hint: 'Check the path; make one with `ggen packs manifest generate <env> -o FILE`.'})
  }
  return parseManifestText(text, file, opts)
}

/** schema + semantic checks; the first problem is the error, all of them are in `details` */
export function validateManifest(raw: unknown, file: string, opts: ReadManifestOptions = {}): Manifest {
  // a hand-written entry may give only `version`: it is then also the requirement
  if (raw && typeof raw === 'object' && Array.isArray((raw as {packages?: unknown}).packages)) {
    for (const p of (raw as {packages: unknown[]}).packages) {
      if (p && typeof p === 'object' && (p as Record<string, unknown>).required_version === undefined && typeof (p as Record<string, unknown>).version === 'string') {
        ;(p as Record<string, unknown>).required_version = (p as Record<string, unknown>).version
      }
    }
  }
  const r = Manifest.safeParse(raw)
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({field: fieldPath(i.path) || '(root)', message: i.message}))
    const first = problems[0]!
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''
    throw manifestError(file, first.field, `${first.message}${more}`, undefined, problems)
  }
  const m = r.data
  const problems: {field: string; message: string; hint?: string}[] = []
  if (!/^1(\.\d+)*$/.test(m.version)) problems.push({field: 'version', message: `unsupported manifest format version \`${m.version}\` (this ggen packs reads version ${MANIFEST_FORMAT_VERSION})`, hint: 'Upgrade ggen packs, or regenerate the manifest.'})
  if (!ENV_NAME_RE.test(m.environment)) problems.push({field: 'environment', message: `\`${m.environment}\` is not an environment name (letters, digits, . _ -)`})
  if (Number.isNaN(Date.parse(m.created_at))) problems.push({field: 'created_at', message: `\`${m.created_at}\` is not a date-time (ISO 8601)`})
  const seen = new Map<string, number>()
  m.packages.forEach((p, i) => {
    const at = `packages[${i}]`
    const prev = seen.get(p.id)
    if (prev !== undefined) problems.push({field: `${at}.id`, message: `\`${p.id}\` is listed twice (also packages[${prev}]); a manifest holds one version per package`})
    seen.set(p.id, i)
    if (p.version !== undefined && !isExactVersion(p.version)) problems.push({field: `${at}.version`, message: `\`${p.version}\` is a range; \`version\` must be one exact version (ranges go in required_version)`})
    if (!(p.required_version === p.version || validRange(p.required_version) || isExactVersion(p.required_version))) {
      problems.push({field: `${at}.required_version`, message: `\`${p.required_version}\` is neither a version nor a range`})
    } else if (p.version !== undefined && isExactVersion(p.version) && !satisfies(p.version, p.required_version)) {
      problems.push({field: `${at}.version`, message: `${p.id} ${p.version} does not satisfy required_version \`${p.required_version}\``})
    }
    if (p.integrity !== undefined && !parseIntegrity(p.integrity)) problems.push({field: `${at}.integrity`, message: `\`${p.integrity}\` is not an SRI integrity (sha512-<base64>)`})
    if (opts.requireLocked) {
      if (p.version === undefined) problems.push({field: `${at}.version`, message: `${p.id} has no exact version`, hint: `Pin every entry first: ggen packs manifest lock ${file}`})
      else if (p.integrity === undefined) problems.push({field: `${at}.integrity`, message: `${p.id}@${p.version} has no integrity`, hint: `Pin every entry first: ggen packs manifest lock ${file}`})
    }
  })
  if (problems.length) {
    const first = problems[0]!
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''
    throw manifestError(file, first.field, `${first.message}${more}`, first.hint, problems)
  }
  return m
}

/** canonical form: packages sorted by id, keys sorted; JSON (default) or YAML */
export async function serializeManifest(m: Manifest, format: ManifestFormat = 'json'): Promise<string> {
  const canonical = {...m, packages: [...m.packages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))}
  if (format === 'json') return stableStringify(canonical)
  const {stringify} = await import('yaml')
  return stringify(sortKeys(canonical))
}

export async function writeManifestFile(file: string, m: Manifest, format: ManifestFormat = formatFromPath(file)): Promise<void> {
  writeFileAtomic(file, await serializeManifest(m, format))
}

// ---------- build (from projects) ----------

export interface ManifestSourceProject {
  path: string
  config: ProjectConfig | null
  lock: Lockfile
}

export interface BuildManifestOptions {
  environment: string
  lockAll: boolean
  createdBy: string
  team?: string | null
  description?: string | null
  now?: string
}

const TIER_RANK: Record<Tier, number> = {required: 3, recommended: 2, optional: 1}

/** join ranges into one (semver AND); ranges with `||` cannot be joined safely: null */
function joinRanges(ranges: string[]): string | null {
  const uniq = [...new Set(ranges.map((r) => r.trim()).filter(Boolean))]
  if (uniq.length === 0) return null
  if (uniq.length === 1) return uniq[0]!
  if (uniq.some((r) => r.includes('||'))) return null
  return uniq.join(' ')
}

/**
 * Merge the lockfiles of `projects` into one manifest. Direct packages (in some project's
 * ggen.toml) keep that project's range as required_version; transitive ones get the ranges their
 * requirers declare. Two projects locking different versions (or integrities) of one package is
 * an error: a manifest holds one version per package.
 */
export function buildManifest(projects: ManifestSourceProject[], o: BuildManifestOptions): Manifest {
  const now = o.now ?? new Date().toISOString()
  interface Acc {
    version: string
    integrity: string
    direct: boolean
    directRanges: string[]
    depRanges: string[]
    optional: boolean
    tier: Tier
    deps: Set<string>
  }
  // one version (and integrity) per package across all projects
  const seen = new Map<string, Map<string, {version: string; integrity: string; projects: string[]}>>()
  for (const p of projects) {
    for (const [id, e] of Object.entries(p.lock.packs)) {
      const byKey = seen.get(id) ?? new Map<string, {version: string; integrity: string; projects: string[]}>()
      seen.set(id, byKey)
      const key = `${e.version}\u0000${e.integrity}`
      const v = byKey.get(key) ?? {version: e.version, integrity: e.integrity, projects: []}
      byKey.set(key, v)
      v.projects.push(p.path)
    }
  }
  const conflicts = [...seen.entries()].filter(([, m]) => m.size > 1).map(([id, m]) => ({id, versions: [...m.values()]}))
  if (conflicts.length) {
    const lines = conflicts.map((c) => `  ${c.id}: ${c.versions.map((v) => `${v.version} in ${v.projects.join(', ')}`).join('; ')}`)
    throw new PacksError('E_MANIFEST', `the projects lock different versions of ${count(conflicts.length, 'package')}, and a manifest holds one version per package:\n${lines.join('\n')}`, {
      hint: 'Align the projects first (`ggen packs update <id> --project DIR`), or generate one manifest per project with --project.',
      details: conflicts,
    })
  }
  const acc = new Map<string, Acc>()
  for (const p of projects) {
    for (const [id, e] of Object.entries(p.lock.packs)) {
      const req = p.config?.packs[id]
      let a = acc.get(id)
      if (!a) {
        a = {version: e.version, integrity: e.integrity, direct: false, directRanges: [], depRanges: [], optional: true, tier: 'optional', deps: new Set()}
        acc.set(id, a)
      }
      for (const d of e.dependencies) if (p.lock.packs[d]) a.deps.add(d)
      if (req) {
        a.direct = true
        a.directRanges.push(req.version)
        a.optional &&= req.optional
        if (TIER_RANK[req.tier] > TIER_RANK[a.tier]) a.tier = req.tier
      }
    }
    // ranges each locked version declares for its dependencies
    for (const e of Object.values(p.lock.packs)) {
      for (const [dep, range] of Object.entries(e.requires ?? {})) acc.get(dep)?.depRanges.push(range)
    }
  }
  const packages: ManifestPackage[] = []
  for (const [id, a] of [...acc.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
    let required = a.version
    if (!o.lockAll) {
      const joined = joinRanges(a.direct ? a.directRanges : a.depRanges)
      if (joined !== null && satisfies(a.version, joined)) required = joined
    }
    packages.push({
      id,
      required_version: required,
      version: a.version,
      integrity: a.integrity,
      optional: a.direct ? a.optional : false,
      tier: a.direct ? a.tier : 'required',
      transitive: !a.direct,
      dependencies: [...a.deps].sort(),
    })
  }
  return {
    version: MANIFEST_FORMAT_VERSION,
    created_at: now,
    environment: o.environment,
    packages,
    metadata: {
      created_by: o.createdBy,
      team: o.team ?? null,
      description: o.description ?? null,
      locked_at: o.lockAll ? now : null,
      projects: projects.map((p) => p.path).sort(),
    },
  }
}

/** pin every entry (which must have version + integrity) to its exact version */
export function pinManifest(m: Manifest, file: string, now = new Date().toISOString()): Manifest {
  m.packages.forEach((p, i) => {
    if (p.version === undefined) throw manifestError(file, `packages[${i}].version`, `${p.id} has no exact version to pin`, 'Configure a registry (GGEN_REGISTRY_URL / --registry) so `manifest lock` can resolve it.')
    if (p.integrity === undefined) throw manifestError(file, `packages[${i}].integrity`, `${p.id}@${p.version} has no integrity to pin`, 'Configure a registry (GGEN_REGISTRY_URL / --registry) so `manifest lock` can look it up.')
  })
  return {
    ...m,
    packages: m.packages.map((p) => ({...p, required_version: p.version!})),
    metadata: {...m.metadata, locked_at: now},
  }
}

export const isLocked = (m: Manifest): boolean => !!m.metadata.locked_at && m.packages.every((p) => p.version !== undefined && p.integrity !== undefined && p.required_version === p.version)

// ---------- compare ----------

export interface ManifestSide {
  file: string
  environment: string
  created_at: string
  locked: boolean
  packages: number
}

export interface ManifestEntrySummary {
  id: string
  version: string | null
  required_version: string
  integrity: string | null
  transitive: boolean
}

export interface AttributeChange {
  field: 'required_version' | 'optional' | 'tier' | 'transitive'
  from: string | boolean
  to: string | boolean
}

export interface ManifestChange {
  id: string
  from: string | null
  to: string | null
  /** version direction from A to B; `none` when only the integrity or attributes changed */
  direction: 'upgrade' | 'downgrade' | 'none'
  integrity_changed: boolean
  from_integrity: string | null
  to_integrity: string | null
  attributes: AttributeChange[]
}

export interface ManifestComparison {
  a: ManifestSide
  b: ManifestSide
  same: boolean
  /** in B, not in A */
  added: ManifestEntrySummary[]
  /** in A, not in B */
  removed: ManifestEntrySummary[]
  changed: ManifestChange[]
  unchanged: number
}

const side = (file: string, m: Manifest): ManifestSide => ({file, environment: m.environment, created_at: m.created_at, locked: isLocked(m), packages: m.packages.length})
const summary = (p: ManifestPackage): ManifestEntrySummary => ({id: p.id, version: p.version ?? null, required_version: p.required_version, integrity: p.integrity ?? null, transitive: p.transitive})

/** `versionsOnly`: ignore required_version / optional / tier / transitive (compare presence, version, integrity) */
export function compareManifests(a: Manifest, b: Manifest, aFile: string, bFile: string, o: {versionsOnly?: boolean} = {}): ManifestComparison {
  const ma = new Map(a.packages.map((p) => [p.id, p]))
  const mb = new Map(b.packages.map((p) => [p.id, p]))
  const ids = [...new Set([...ma.keys(), ...mb.keys()])].sort()
  const added: ManifestEntrySummary[] = []
  const removed: ManifestEntrySummary[] = []
  const changed: ManifestChange[] = []
  let unchanged = 0
  for (const id of ids) {
    const pa = ma.get(id)
    const pb = mb.get(id)
    if (!pa) {
      added.push(summary(pb!))
      continue
    }
    if (!pb) {
      removed.push(summary(pa))
      continue
    }
    const from = pa.version ?? null
    const to = pb.version ?? null
    const attributes: AttributeChange[] = []
    for (const field of o.versionsOnly ? [] : (['required_version', 'optional', 'tier', 'transitive'] as const)) {
      if (pa[field] !== pb[field]) attributes.push({field, from: pa[field], to: pb[field]})
    }
    const integrityChanged = (pa.integrity ?? null) !== (pb.integrity ?? null)
    if (from === to && !integrityChanged && attributes.length === 0) {
      unchanged++
      continue
    }
    const cmp = from !== null && to !== null ? compareVersions(to, from) : 0
    changed.push({
      id,
      from,
      to,
      direction: cmp > 0 ? 'upgrade' : cmp < 0 ? 'downgrade' : 'none',
      integrity_changed: integrityChanged,
      from_integrity: pa.integrity ?? null,
      to_integrity: pb.integrity ?? null,
      attributes,
    })
  }
  return {a: side(aFile, a), b: side(bFile, b), same: added.length + removed.length + changed.length === 0, added, removed, changed, unchanged}
}

// ---------- export ----------

export interface ExportManifestResult {
  file: string
  format: ManifestFormat
  /** where it was written (null: the caller prints `text`) */
  out: string | null
  manifest: Manifest
  text: string
}

/** validate a manifest and write it in canonical JSON or YAML (to `out`, or return the text) */
export async function exportManifest(file: string, o: {format?: ManifestFormat; out?: string} = {}): Promise<ExportManifestResult> {
  const manifest = await readManifestFile(file)
  const format = o.format ?? (o.out ? formatFromPath(o.out) : 'json')
  const text = await serializeManifest(manifest, format)
  if (o.out) writeFileAtomic(o.out, text)
  return {file, format, out: o.out ?? null, manifest, text}
}
