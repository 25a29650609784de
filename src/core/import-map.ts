/**
 * `packs import`, the pure part: which kind a file is (by its content), and the mapping of a
 * legacy lockfile (against the configured registries) and of a legacy registry index into our
 * canonical forms, with a report of every entry: mapped, or not mapped with its reason. Nothing is
 * dropped without a line in the report. Writing is src/ops/import.ts.
 */
import {extname} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {LockEntry, Lockfile, RegistryIndex} from '../domain/schemas.js'
import {describeIntegrity, type LegacyLockRead} from '../formats/legacy-lockfile.js'
import {GGEN_VERSION} from '../formats/lockfile.js'
import {isTable, parseJsonText, parseTomlText} from '../formats/parse.js'
import {findDanglingDependencies, normalizeRegistryIndex, normalizeTomlRegistry} from '../formats/registry-index.js'
import type {Catalog} from '../registry/catalog.js'
import {satisfies} from '../resolve/versions.js'

export const IMPORT_KINDS = ['manifest', 'bundle', 'lockfile', 'registry'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]

/** why an entry was not mapped, or what of a mapped entry was not */
export type ImportReason = 'dangling-dependency' | 'bad-integrity' | 'unchecked-integrity' | 'unknown-source' | 'missing-version' | 'invalid-field' | 'metadata-only' | 'unmapped-field'

export interface ImportEntry {
  id: string
  version?: string
}

export interface ImportProblem extends ImportEntry {
  reason: ImportReason
  message: string
  /** the file read, and the field the problem is in */
  file: string
  field?: string
}

export interface ImportReport {
  /** entries written to the canonical form */
  mapped: ImportEntry[]
  /** entries left out, each with its reason */
  notMapped: ImportProblem[]
  /** mapped entries of which something could not be carried over (metadata-only, unmapped fields, notes) */
  notes: ImportProblem[]
}

const byId = (a: ImportEntry, b: ImportEntry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

// ---------------------------------------------------------------- reading and detection

export type Syntax = 'json' | 'toml' | 'yaml'

/** the syntax of a file: YAML by extension, JSON when it starts with `{` or `[`, TOML otherwise */
export function syntaxOf(text: string, file: string): Syntax {
  const ext = extname(file).toLowerCase()
  if (ext === '.yaml' || ext === '.yml') return 'yaml'
  if (ext === '.json') return 'json'
  // a TOML table header (`[[packs]]`, `[packs.x]`) also starts with `[`
  if (/^\s*\[\[?[\w.\-" ]+\]\]?[ \t]*(#.*)?$/m.test(text.trimStart().split('\n')[0] ?? '')) return 'toml'
  if (/^\s*[[{]/.test(text)) return 'json'
  return 'toml'
}

/** the raw value of a JSON or TOML file (YAML is parsed by the readers of the kinds that allow it) */
export function parseRaw(text: string, file: string, syntax: Exclude<Syntax, 'yaml'>): unknown {
  return syntax === 'json' ? parseJsonText(text, file) : parseTomlText(text, file)
}

const someEntry = (map: unknown, pred: (e: Record<string, unknown>) => boolean): boolean => isTable(map) && Object.values(map).some((e) => isTable(e) && pred(e))

/**
 * The kind of a parsed file, by content: our manifest (`environment` + `packages[]`), our bundle
 * (`id` + `packages[]` of {id, version}), a lockfile (`packs` entries with source/integrity,
 * `[[packs]]` with id/version, `[packs.<name>] source`, `packages.<id>.version`), a registry index
 * (`packages[]` of named entries, the v0 `packs` map with versions, our `format`, `[[package]]`).
 */
export function detectKind(raw: unknown, file: string): ImportKind {
  if (Array.isArray(raw)) return 'registry'
  if (isTable(raw)) {
    const {packages, packs} = raw
    if (typeof raw.environment === 'string' && Array.isArray(packages)) return 'manifest'
    if (raw.format === 'ggen-packs-registry/1') return 'registry'
    if (typeof raw.id === 'string' && (Array.isArray(packages) || 'enforcement' in raw)) return 'bundle'
    if (Array.isArray(packs) || someEntry(packs, (e) => 'source' in e || 'integrity' in e || 'content_hash' in e)) return 'lockfile'
    if (someEntry(packs, (e) => 'versions' in e || 'latest_version' in e)) return 'registry'
    if (someEntry(packages, (e) => typeof e.version === 'string' && !('versions' in e))) return 'lockfile'
    if (Array.isArray(packages) || Array.isArray(raw.package)) return 'registry'
  }
  throw new PacksError('E_SCHEMA', `${file}: not a file ggen packs can import (no manifest, bundle, lockfile or registry fields)`, {
    file,
    field: '(root)',
    hint: 'Import a manifest (`manifest generate`), a bundle (`bundle export`), a ggen lockfile (ggen.lock, .ggen/packs.lock) or a registry index (index.json, packages.toml); or name the kind with --kind.',
  })
}

// ---------------------------------------------------------------- lockfiles

export interface LockMapping {
  lock: Lockfile
  /** mapped ids no other mapped entry depends on: the project's direct requirements */
  roots: {id: string; range: string}[]
  report: ImportReport
}

type Resolved = {id: string; entry: LockEntry; deps: Record<string, string>}

/** one legacy entry against the catalog: its canonical entry, or why not */
function resolveEntry(id: string, e: LockEntry, catalog: Catalog, file: string, missingVersion: boolean): Resolved | ImportProblem {
  const at = {id, file, field: `packs.${id}`}
  if (missingVersion) return {...at, reason: 'missing-version', field: `${at.field}.version`, message: `${id}: the lockfile records no version (only ${e.source.type === 'Local' ? `a local path ${String(e.source.path)}` : 'content'}); lock it again with \`ggen packs install ${id}\``}
  const pkg = catalog.get(id)
  if (!pkg) {
    const near = catalog.suggest(id)
    return {...at, version: e.version, reason: 'unknown-source', field: `${at.field}.source`, message: `${id}@${e.version} is in none of the configured registries${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`}
  }
  const v = pkg.versions[e.version]
  if (!v) {
    const known = catalog.versions(id).map((x) => x.version)
    return {...at, version: e.version, reason: 'missing-version', field: `${at.field}.version`, message: `${id}@${e.version}: ${pkg.registry.location.url} has ${known.length ? `only ${known.slice(0, 5).join(', ')}` : 'no version'} of ${id}`}
  }
  if (!v.integrity) return {...at, version: e.version, reason: 'bad-integrity', field: `${at.field}.integrity`, message: `${id}@${e.version}: ${pkg.registry.location.url} lists it with no integrity (metadata only): nothing to lock`}
  const legacy = describeIntegrity(e.integrity)
  const offered = describeIntegrity(v.integrity)
  if ((legacy.kind === 'sri' || legacy.kind === 'hex') && (offered.kind === 'sri' || offered.kind === 'hex') && legacy.algorithm === offered.algorithm && legacy.sri !== offered.sri) {
    return {...at, version: e.version, reason: 'bad-integrity', field: `${at.field}.integrity`, message: `${id}@${e.version}: the lockfile's ${legacy.algorithm} digest ${legacy.sri} differs from the registry's ${offered.sri}`}
  }
  const deps = {...Object.fromEntries(e.dependencies.map((d) => [d, e.requires?.[d] ?? '*'])), ...v.dependencies}
  const entry: LockEntry = {
    version: v.version,
    source: {type: 'Registry', url: pkg.registry.location.url},
    integrity: v.integrity,
    installed_at: e.installed_at,
    dependencies: Object.keys(deps).sort(),
    ...(Object.keys(deps).length ? {requires: deps} : {}),
  }
  return {id, entry, deps}
}

/** a note for a mapped entry whose legacy digest could not be compared with the registry's */
function integrityNote(id: string, legacy: string, r: Resolved, file: string): ImportProblem | null {
  const l = describeIntegrity(legacy)
  const o = describeIntegrity(r.entry.integrity)
  if ((l.kind === 'sri' || l.kind === 'hex') && (o.kind === 'sri' || o.kind === 'hex') && l.algorithm === o.algorithm) return null
  const why = l.kind === 'invalid' ? (l.reason === 'empty' ? 'the lockfile records no digest' : l.reason) : l.kind === 'unsupported' ? `${l.algorithm} cannot be compared` : `${l.algorithm} vs the registry's ${o.kind === 'sri' || o.kind === 'hex' ? o.algorithm : 'digest'}`
  return {id, version: r.entry.version, reason: l.kind === 'invalid' && l.reason !== 'empty' ? 'bad-integrity' : 'unchecked-integrity', file, field: `packs.${id}.integrity`, message: `${id}: the lockfile's digest was not checked (${why}); the registry's integrity is recorded and install verifies it`}
}

/** drop, until none is left, every entry that depends on something not mapped (or out of its range) */
function dropDangling(resolved: Map<string, Resolved>, notMapped: ImportProblem[], file: string): void {
  for (let changed = true; changed; ) {
    changed = false
    for (const [id, r] of resolved) {
      const bad = Object.entries(r.deps).find(([d, range]) => !resolved.has(d) || !satisfies(resolved.get(d)!.entry.version, range))
      if (!bad) continue
      const [dep, range] = bad
      const other = resolved.get(dep)
      const why = other ? `the lockfile has ${dep} ${other.entry.version}, outside ${range}` : notMapped.some((p) => p.id === dep) ? `${dep} was not mapped` : `${dep} is not in the lockfile`
      notMapped.push({id, version: r.entry.version, reason: 'dangling-dependency', file, field: `packs.${id}.dependencies`, message: `${id}@${r.entry.version} depends on ${dep}@${range}: ${why}`})
      resolved.delete(id)
      changed = true
    }
  }
}

/** a legacy lockfile -> the canonical lockfile of what the registries confirm, and the report */
export function mapLockfile(read: LegacyLockRead, catalog: Catalog, file: string, now: string): LockMapping {
  const notMapped: ImportProblem[] = []
  const resolved = new Map<string, Resolved>()
  const unknown = new Set(read.unknownVersions)
  for (const id of Object.keys(read.lock.packs).sort()) {
    const r = resolveEntry(id, read.lock.packs[id]!, catalog, file, unknown.has(id))
    if ('reason' in r) notMapped.push(r)
    else resolved.set(id, r)
  }
  dropDangling(resolved, notMapped, file)
  const notes = [...resolved.values()].map((r) => integrityNote(r.id, read.lock.packs[r.id]!.integrity, r, file)).filter((n): n is ImportProblem => n !== null)
  const needed = new Set([...resolved.values()].flatMap((r) => Object.keys(r.deps)))
  const ids = [...resolved.keys()].sort()
  return {
    lock: {packs: Object.fromEntries(ids.map((id) => [id, {...resolved.get(id)!.entry, installed_at: resolved.get(id)!.entry.installed_at || now}])), updated_at: now, ggen_version: GGEN_VERSION},
    roots: ids.filter((id) => !needed.has(id)).map((id) => ({id, range: `^${resolved.get(id)!.entry.version}`})),
    report: {mapped: ids.map((id) => ({id, version: resolved.get(id)!.entry.version})), notMapped: notMapped.sort(byId), notes: notes.sort(byId)},
  }
}

// ---------------------------------------------------------------- registry indexes

/** fields of a legacy index entry that carry over into the canonical index */
const MAPPED_PACKAGE_FIELDS = new Set(['id', 'name', 'title', 'version', 'versions', 'latest_version', 'category', 'description', 'tags', 'keywords', 'author', 'license', 'downloads', 'production_ready', 'dependencies', 'download_url', 'checksum', 'repository', 'homepage', 'last_validated', 'quality_score', 'maturity', 'validation_score'])
const MAPPED_V0_VERSION_FIELDS = new Set(['version', 'sha256', 'dependencies', 'tarball'])
const MAPPED_TOP_FIELDS = new Set(['format', 'name', 'keys', 'packages', 'package', 'packs', 'updated_at', 'updated'])

export interface RegistryMapping {
  index: RegistryIndex
  /** the legacy shape read */
  format: string
  report: ImportReport
}

interface RawEntry {
  raw: Record<string, unknown>
  /** the field path of the entry (packages[3], packs.io.x) */
  at: string
}

function rawEntries(raw: Record<string, unknown>): {entries: RawEntry[]; format: string} {
  if (raw.format === 'ggen-packs-registry/1') return {entries: [], format: 'ggen-packs-registry/1'}
  const list = Array.isArray(raw.packages) ? raw.packages : Array.isArray(raw.package) ? raw.package : null
  if (list) return {entries: list.map((e, i) => ({raw: isTable(e) ? e : {}, at: `${Array.isArray(raw.package) ? 'package' : 'packages'}[${i}]`})), format: Array.isArray(raw.package) ? 'packages.toml' : list.some((e) => isTable(e) && Array.isArray(e.versions)) ? 'marketplace/versions' : 'marketplace'}
  return {entries: Object.entries(isTable(raw.packs) ? raw.packs : {}).map(([k, e]) => ({raw: isTable(e) ? {id: k, ...e} : {id: k}, at: `packs.${k}`})), format: 'v0-map'}
}

/** the canonical id an entry became (by name, or the directory of its path when the name is a title) */
function idOf(e: RawEntry, index: RegistryIndex): string | undefined {
  const candidates = [e.raw.id, e.raw.name, typeof e.raw.path === 'string' ? e.raw.path.replace(/\/+$/, '').split('/').pop() : undefined]
  return candidates.find((c): c is string => typeof c === 'string' && !!index.packages[c])
}

/** what of one legacy entry does not carry over */
function entryNotes(e: RawEntry, id: string, index: RegistryIndex, file: string): ImportProblem[] {
  const out: ImportProblem[] = []
  const pkg = index.packages[id]!
  const note = (reason: ImportReason, field: string, message: string, version?: string) => out.push({id, ...(version ? {version} : {}), reason, file, field, message})
  const unmapped = Object.keys(e.raw).filter((k) => !MAPPED_PACKAGE_FIELDS.has(k) && !(k === 'path' && e.raw.name !== id && e.raw.id !== id)).sort()
  if (unmapped.length) note('unmapped-field', `${e.at}.${unmapped[0]}`, `${id}: ${unmapped.join(', ')} not mapped (the canonical index has no such field)`)
  if (typeof e.raw.validation_score === 'string') note('unmapped-field', `${e.at}.validation_score`, `${id}: validation_score is a string ("${e.raw.validation_score}"); read as quality_score ${Object.values(pkg.versions)[0]?.quality_score ?? '-'}`)
  if (e.raw.checksum !== undefined && !Object.values(pkg.versions).some((v) => v.integrity)) note('invalid-field', `${e.at}.checksum`, `${id}: checksum ${JSON.stringify(e.raw.checksum)} is not a sha256 hex digest; not mapped`)
  if (isTable(e.raw.versions)) {
    for (const [ver, v] of Object.entries(e.raw.versions)) {
      const extra = isTable(v) ? Object.keys(v).filter((k) => !MAPPED_V0_VERSION_FIELDS.has(k)).sort() : []
      if (extra.length) note('unmapped-field', `${e.at}.versions.${ver}.${extra[0]}`, `${id}@${ver}: ${extra.join(', ')} not mapped (git sources are not installable; the git URL is kept as the repository)`, ver)
    }
  }
  const versions = Object.values(pkg.versions)
  if (versions.length === 0) note('missing-version', `${e.at}.version`, `${id}: listed without a version; imported with nothing installable`)
  for (const v of versions) {
    if (!v.tarball || !v.integrity) note('metadata-only', `${e.at}.${v.tarball ? 'checksum' : 'download_url'}`, `${id}@${v.version}: no ${[v.tarball ? '' : 'download_url', v.integrity ? '' : 'checksum'].filter(Boolean).join(' or ')}; imported as metadata only (search and info see it, install cannot)`, v.version)
  }
  return out
}

/** a registry index of any shape ggen published -> the canonical index, with every entry reported */
export function mapRegistry(raw: unknown, file: string, syntax: Syntax): RegistryMapping {
  const warnings: string[] = []
  const top = isTable(raw) ? raw : {packages: raw}
  const index = syntax === 'toml' ? normalizeTomlRegistry(top, file, (m) => warnings.push(m)) : normalizeRegistryIndex(top, file, (m) => warnings.push(m))
  const {entries, format} = rawEntries(top)
  const notMapped: ImportProblem[] = []
  const notes: ImportProblem[] = []
  const seen = new Set<string>()
  for (const e of entries) {
    const id = idOf(e, index)
    if (!id) {
      const name = typeof e.raw.name === 'string' ? e.raw.name : '(none)'
      notMapped.push({id: name, reason: 'invalid-field', file, field: `${e.at}.name`, message: `${e.at}: name ${JSON.stringify(name)} is not a package id (letters, digits, . _ -) and its path gives none`})
      continue
    }
    if (seen.has(id)) notes.push({id, reason: 'invalid-field', file, field: `${e.at}.name`, message: `${id} is listed twice; the versions of both entries were merged`})
    seen.add(id)
    notes.push(...entryNotes(e, id, index, file))
  }
  for (const d of findDanglingDependencies(index)) {
    notes.push({id: d.id, version: d.version, reason: 'dangling-dependency', file, field: `packages.${d.id}.dependencies`, message: `${d.id}@${d.version} depends on ${d.dependency}, which is not in this index (installing ${d.id} will not resolve)`})
  }
  for (const k of Object.keys(top).filter((k) => !MAPPED_TOP_FIELDS.has(k)).sort()) {
    const v = top[k]
    notes.push({id: '(index)', reason: 'unmapped-field', file, field: k, message: `top-level ${k}${Array.isArray(v) ? ` (${v.length} entries)` : ''} not mapped (the canonical index derives counts, categories and search itself)`})
  }
  const mapped = Object.values(index.packages).flatMap((p) => (Object.keys(p.versions).length ? Object.keys(p.versions).map((version) => ({id: p.id, version})) : [{id: p.id}]))
  return {index, format, report: {mapped: mapped.sort(byId), notMapped, notes}}
}
