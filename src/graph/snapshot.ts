/**
 * Domain -> graph rows. Builds the GraphSnapshot both adapters load from the scanned projects,
 * the store index (version metadata for installed versions) and, optionally, registry indexes
 * (every published version and its declared ranges).
 */
import type {AdvisoryDb} from '../advisories/db.js'
import type {LockSource, RegistryIndex} from '../domain/schemas.js'
import type {StoreEntry, StoreIndex} from '../store/store.js'
import type {ScannedProject} from '../workspace/projects.js'
import {projectKey, splitVersionKey, versionKey, type AdvisoryRow, type GraphSnapshot, type PackageRow, type ProjectLock, type ProjectRow, type VersionRow} from './model.js'

export interface SnapshotInput {
  machine: string
  projects: ScannedProject[]
  store?: StoreIndex
  registries?: RegistryIndex[]
  /** the advisory database: its vulnerabilities affecting the snapshot's versions become Advisory rows */
  advisories?: AdvisoryDb | null
}

/** a store index entry; `description` is recorded by installs that know it (older entries lack it) */
type StoredMeta = StoreEntry

/** where a lockfile entry came from, as one string: a registry URL, a local path, `github:org/repo#branch` */
export function sourceOf(s: LockSource): string | undefined {
  const x = s as Record<string, unknown>
  const str = (k: string) => (typeof x[k] === 'string' && x[k] !== '' ? (x[k] as string) : undefined)
  if (s.type === 'GitHub' && str('org') && str('repo')) return `github:${str('org')}/${str('repo')}${str('branch') ? `#${str('branch')}` : ''}`
  return str('url') ?? str('path')
}

const nonEmpty = (s: string | undefined): string | undefined => (s ? s : undefined)

/**
 * Where one lock row came from, beyond the row itself: the ranges the lockfile recorded for it
 * (its dependencies at `*` when it recorded none) and its source as one string. The version row
 * takes them from the first project, by path, that locks the version.
 */
export interface LockOrigin {
  requires: Record<string, string>
  source?: string
}

/** one project's rows: what a rescan of its files produces, independent of every other project */
export interface ProjectPart {
  row: ProjectRow
  /** aligned with row.locks */
  origins: LockOrigin[]
}

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)

/** a scanned project as rows (null: neither file exists) */
export function projectPart(machine: string, sp: ScannedProject): ProjectPart | null {
  if (!sp.config && !sp.lock) return null
  const cfg = sp.config
  const row: ProjectRow = {
    key: projectKey(machine, sp.path),
    path: sp.path,
    name: cfg?.project.name ?? sp.path.split('/').pop() ?? sp.path,
    team: cfg?.project.team,
    owner: cfg?.project.owner,
    environment: cfg?.project.environment,
    machine,
    requires: Object.entries(cfg?.packs ?? {})
      .map(([id, r]) => ({id, range: r.version, optional: r.optional, tier: r.tier, env: r.env}))
      .sort(byKey((r) => r.id)),
    locks: [],
    files: {config: cfg !== null, lock: sp.lock !== null, ...(sp.lock?.ggen_version ? {ggen_version: sp.lock.ggen_version} : {})},
  }
  const direct = new Set(Object.keys(cfg?.packs ?? {}))
  const rows = Object.entries(sp.lock?.packs ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, e]) => {
      const lock: ProjectLock = {id, version: e.version, direct: direct.has(id), integrity: e.integrity, installed_at: e.installed_at, dependencies: [...e.dependencies].sort()}
      if (e.source.type !== 'Registry') lock.source = String(e.source.type)
      const origin: LockOrigin = {requires: e.requires ?? Object.fromEntries(e.dependencies.map((d) => [d, '*']))}
      const source = sourceOf(e.source)
      if (source !== undefined) origin.source = source
      return {lock, origin}
    })
  row.locks = rows.map((r) => r.lock)
  return {row, origins: rows.map((r) => r.origin)}
}

/** registry versions and packages (every published version and its declared ranges) */
function registryRows(registries: RegistryIndex[], packages: Map<string, PackageRow>, versions: Map<string, VersionRow>): void {
  for (const reg of registries) {
    for (const p of Object.values(reg.packages)) {
      if (!packages.has(p.id)) packages.set(p.id, {id: p.id, name: p.name, description: p.description, author: p.author, license: p.license, category: p.category, keywords: p.keywords})
      for (const v of Object.values(p.versions)) {
        const k = versionKey(p.id, v.version)
        if (versions.has(k)) continue
        versions.set(k, {
          id: p.id,
          version: v.version,
          requires: v.dependencies,
          integrity: v.integrity,
          license: v.license ?? p.license,
          quality_score: v.quality_score,
          production_ready: v.production_ready,
          deprecated: v.deprecated ?? null,
          yanked: v.yanked,
          published_at: v.published_at,
          size: v.size,
          author: p.author,
          name: p.name,
          description: nonEmpty(p.description),
        })
      }
    }
  }
}

/** what one lock adds to the version and package tables (the first project by path defines a version) */
function lockRows(lock: ProjectLock, origin: LockOrigin, stored: StoredMeta | undefined, packages: Map<string, PackageRow>, versions: Map<string, VersionRow>): void {
  const {id} = lock
  const k = versionKey(id, lock.version)
  let version = versions.get(k)
  if (!version) {
    version = {
      id,
      version: lock.version,
      requires: origin.requires,
      integrity: lock.integrity,
      license: stored?.license,
      quality_score: stored?.quality_score,
      production_ready: stored?.production_ready,
      deprecated: stored?.deprecated ?? null,
      yanked: stored?.yanked ?? false,
      size: stored?.size,
      author: stored?.author,
      name: stored?.name,
      description: nonEmpty(stored?.description),
    }
    versions.set(k, version)
  } else if (stored) {
    version.size ??= stored.size
    version.description ??= nonEmpty(stored.description)
  }
  if (stored) version.store_entry ??= stored.dir
  version.source ??= origin.source
  if (!packages.has(id)) packages.set(id, packageRowOf(id, stored))
}

const packageRowOf = (id: string, stored: StoredMeta | undefined): PackageRow => ({id, name: stored?.name ?? id, author: stored?.author, license: stored?.license, description: nonEmpty(stored?.description)})

/**
 * The derived tables (packages, versions) from the projects' rows, the store index and the
 * registries: no file is read. `parts` in any order; projects come out sorted by path.
 */
export function assembleSnapshot(machine: string, parts: ProjectPart[], store?: StoreIndex, registries: RegistryIndex[] = []): GraphSnapshot {
  const packages = new Map<string, PackageRow>()
  const versions = new Map<string, VersionRow>()
  const storeByIntegrity: Record<string, StoredMeta> = store?.entries ?? {}
  registryRows(registries, packages, versions)
  const sorted = [...parts].sort(byKey((p) => p.row.path))
  for (const {row, origins} of sorted) {
    row.locks.forEach((lock, i) => lockRows(lock, origins[i]!, lock.integrity === undefined ? undefined : storeByIntegrity[lock.integrity], packages, versions))
  }
  // every package a version requires exists as a node (dangling ids included: analysis reports them)
  for (const v of versions.values()) for (const dep of Object.keys(v.requires)) if (!packages.has(dep)) packages.set(dep, {id: dep, name: dep})
  for (const {row} of sorted) for (const r of row.requires) if (!packages.has(r.id)) packages.set(r.id, {id: r.id, name: r.id})

  return {
    machine,
    packages: [...packages.values()].sort(byKey((p) => p.id)),
    versions: [...versions.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)),
    projects: sorted.map((p) => p.row),
  }
}

export function buildSnapshot(input: SnapshotInput): GraphSnapshot {
  const parts = input.projects.map((sp) => projectPart(input.machine, sp)).filter((p): p is ProjectPart => p !== null)
  return withAdvisories(assembleSnapshot(input.machine, parts, input.store, input.registries), input.advisories)
}

/** the snapshot with the Advisory rows of `db` affecting its versions (none without a database) */
export function withAdvisories(s: GraphSnapshot, db: AdvisoryDb | null | undefined): GraphSnapshot {
  if (db) s.advisories = advisoryRows(db, s.versions)
  else delete s.advisories
  return s
}

/** the lock of `id` in a project (its locks are sorted by id), or -1 */
export function lockOf(part: ProjectPart, id: string): number {
  const locks = part.row.locks
  let lo = 0
  let hi = locks.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const x = locks[mid]!.id
    if (x === id) return mid
    if (x < id) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

const keysOf = (part: ProjectPart | null | undefined): string[] => (part ? part.row.locks.map((l) => versionKey(l.id, l.version)) : [])

/**
 * The snapshot after some projects changed, without rebuilding it: `old` (as assembleSnapshot
 * made it, no registries) and its parts, `changed` maps a project path to its new rows (null:
 * gone). Only the version rows those projects lock (before or after) and the package rows those
 * touch are recomputed, each from the first project by path that locks it; the answer equals
 * assembleSnapshot's on the new parts (test/unit/snapshot-patch.test.ts). `touched`: the keys of
 * the version rows recomputed (patchAdvisories takes them). The Advisory rows are left as they were.
 */
export function patchSnapshot(old: GraphSnapshot, oldParts: Map<string, ProjectPart>, changed: Map<string, ProjectPart | null>, store?: StoreIndex): {snapshot: GraphSnapshot; parts: Map<string, ProjectPart>; touched: Set<string>} {
  const storeByIntegrity: Record<string, StoredMeta> = store?.entries ?? {}
  const parts = new Map(oldParts)
  const touched = new Set<string>()
  const ids = new Set<string>()
  const oldVersions = new Map(old.versions.map((v) => [versionKey(v.id, v.version), v]))
  for (const [path, part] of changed) {
    for (const p of [oldParts.get(path), part]) {
      for (const k of keysOf(p)) touched.add(k)
      for (const r of p?.row.requires ?? []) ids.add(r.id)
    }
    if (part) parts.set(path, part)
    else parts.delete(path)
  }
  const sorted = [...parts.values()].sort(byKey((p) => p.row.path))
  const versions = new Map(oldVersions)
  const lockIds = new Set<string>()
  for (const k of touched) {
    const v = oldVersions.get(k)
    for (const dep of Object.keys(v?.requires ?? {})) ids.add(dep)
    versions.delete(k)
    lockIds.add(splitVersionKey(k).id)
  }
  // the touched versions and their packages, from every project locking them, in path order
  const fresh = new Map<string, PackageRow>()
  for (const id of lockIds) {
    for (const part of sorted) {
      const i = lockOf(part, id)
      if (i < 0) continue
      const lock = part.row.locks[i]!
      const stored = lock.integrity === undefined ? undefined : storeByIntegrity[lock.integrity]
      if (touched.has(versionKey(id, lock.version))) lockRows(lock, part.origins[i]!, stored, fresh, versions)
      else if (!fresh.has(id)) fresh.set(id, packageRowOf(id, stored))
    }
  }
  for (const k of touched) for (const dep of Object.keys(versions.get(k)?.requires ?? {})) ids.add(dep)
  const packages = new Map(old.packages.map((p) => [p.id, p]))
  const required = new Set<string>()
  for (const v of versions.values()) for (const dep of Object.keys(v.requires)) required.add(dep)
  for (const {row} of sorted) for (const r of row.requires) required.add(r.id)
  for (const id of new Set([...ids, ...lockIds])) {
    const row = fresh.get(id) ?? (lockIds.has(id) ? undefined : lockedPackage(id, sorted, packages)) ?? (required.has(id) ? {id, name: id} : undefined)
    if (row) packages.set(id, row)
    else packages.delete(id)
  }
  return {
    snapshot: {
      ...old,
      packages: [...packages.values()].sort(byKey((p) => p.id)),
      versions: [...versions.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0)),
      projects: sorted.map((p) => p.row),
    },
    parts,
    touched,
  }
}

/** a package row some project's lock defined (kept as it is: none of its locks changed) */
function lockedPackage(id: string, sorted: ProjectPart[], packages: Map<string, PackageRow>): PackageRow | undefined {
  return sorted.some((p) => lockOf(p, id) >= 0) ? packages.get(id) : undefined
}

/** the vulnerabilities of the database that affect any of `versions`, one row each with the version keys (sorted by id) */
export function advisoryRows(db: AdvisoryDb, versions: VersionRow[]): AdvisoryRow[] {
  const rows = new Map<string, AdvisoryRow>()
  const known = new Set(db.packages())
  for (const v of versions) {
    if (!known.has(v.id)) continue
    for (const vuln of db.affecting(v.id, v.version)) {
      let row = rows.get(vuln.id)
      if (!row) {
        row = {id: vuln.id, package: v.id, affects: [], aliases: vuln.aliases, severity: vuln.severity, ...(vuln.summary ? {summary: vuln.summary} : {}), ...(vuln.score !== undefined ? {score: vuln.score} : {})}
        rows.set(vuln.id, row)
      }
      row.affects.push(versionKey(v.id, v.version))
    }
  }
  return [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

const byVersionKey = (a: string, b: string): number => {
  const x = splitVersionKey(a)
  const y = splitVersionKey(b)
  return x.id < y.id ? -1 : x.id > y.id ? 1 : x.version < y.version ? -1 : x.version > y.version ? 1 : 0
}

/**
 * The Advisory rows after a patch, without matching every version again: `old` (advisoryRows of
 * the same database on the snapshot before), `versions` the patched snapshot's, `touched` the keys
 * patchSnapshot recomputed. Those keys leave every row, the ones still there are matched again;
 * the answer equals advisoryRows(db, versions) (test/unit/snapshot-patch.test.ts).
 */
export function patchAdvisories(old: AdvisoryRow[], db: AdvisoryDb, versions: VersionRow[], touched: Set<string>): AdvisoryRow[] {
  const rows = new Map<string, AdvisoryRow>()
  const edited = new Set<AdvisoryRow>()
  for (const r of old) {
    const affects = r.affects.filter((k) => !touched.has(k))
    if (affects.length !== r.affects.length) {
      const row = {...r, affects}
      rows.set(r.id, row)
      edited.add(row)
    } else rows.set(r.id, r)
  }
  const present = new Map<string, VersionRow>()
  for (const v of versions) {
    const k = versionKey(v.id, v.version)
    if (touched.has(k)) present.set(k, v)
  }
  const known = new Set(db.packages())
  for (const [k, v] of present) {
    if (!known.has(v.id)) continue
    for (const vuln of db.affecting(v.id, v.version)) {
      let row = rows.get(vuln.id)
      if (!row) rows.set(vuln.id, (row = {id: vuln.id, package: v.id, affects: [], aliases: vuln.aliases, severity: vuln.severity, ...(vuln.summary ? {summary: vuln.summary} : {}), ...(vuln.score !== undefined ? {score: vuln.score} : {})}))
      else if (!edited.has(row)) rows.set(vuln.id, (row = {...row, affects: [...row.affects]}))
      edited.add(row)
      row.affects.push(k)
    }
  }
  const out: AdvisoryRow[] = []
  for (const row of rows.values()) {
    if (edited.has(row)) {
      if (row.affects.length === 0) continue
      row.affects.sort(byVersionKey)
      // advisoryRows names the package of the first version it meets
      row.package = splitVersionKey(row.affects[0]!).id
    }
    out.push(row)
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
