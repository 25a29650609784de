/**
 * Domain -> graph rows. Builds the GraphSnapshot both adapters load from the scanned projects,
 * the store index (version metadata for installed versions) and, optionally, registry indexes
 * (every published version and its declared ranges).
 */
import type {AdvisoryDb} from '../advisories/db.js'
import type {LockSource, RegistryIndex} from '../domain/schemas.js'
import type {StoreEntry, StoreIndex} from '../store/store.js'
import type {ScannedProject} from '../workspace/projects.js'
import {projectKey, versionKey, type AdvisoryRow, type GraphSnapshot, type PackageRow, type ProjectRow, type VersionRow} from './model.js'

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

export function buildSnapshot(input: SnapshotInput): GraphSnapshot {
  const packages = new Map<string, PackageRow>()
  const versions = new Map<string, VersionRow>()
  const storeByIntegrity: Record<string, StoredMeta> = input.store?.entries ?? {}

  for (const reg of input.registries ?? []) {
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

  const projects: ProjectRow[] = []
  const byPath = [...input.projects].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const sp of byPath) {
    if (!sp.config && !sp.lock) continue
    const cfg = sp.config
    const row: ProjectRow = {
      key: projectKey(input.machine, sp.path),
      path: sp.path,
      name: cfg?.project.name ?? sp.path.split('/').pop() ?? sp.path,
      team: cfg?.project.team,
      owner: cfg?.project.owner,
      environment: cfg?.project.environment,
      machine: input.machine,
      requires: Object.entries(cfg?.packs ?? {})
        .map(([id, r]) => ({id, range: r.version, optional: r.optional, tier: r.tier, env: r.env}))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      locks: [],
      files: {config: cfg !== null, lock: sp.lock !== null, ...(sp.lock?.ggen_version ? {ggen_version: sp.lock.ggen_version} : {})},
    }
    const direct = new Set(Object.keys(cfg?.packs ?? {}))
    for (const [id, e] of Object.entries(sp.lock?.packs ?? {})) {
      const lock: ProjectRow['locks'][number] = {id, version: e.version, direct: direct.has(id), integrity: e.integrity, installed_at: e.installed_at, dependencies: [...e.dependencies].sort()}
      if (e.source.type !== 'Registry') lock.source = String(e.source.type)
      row.locks.push(lock)
      const k = versionKey(id, e.version)
      const stored = storeByIntegrity[e.integrity]
      let version = versions.get(k)
      if (!version) {
        version = {
          id,
          version: e.version,
          requires: e.requires ?? Object.fromEntries(e.dependencies.map((d) => [d, '*'])),
          integrity: e.integrity,
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
      version.source ??= sourceOf(e.source)
      if (!packages.has(id)) packages.set(id, {id, name: stored?.name ?? id, author: stored?.author, license: stored?.license, description: nonEmpty(stored?.description)})
    }
    row.locks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    projects.push(row)
  }
  // every package a version requires exists as a node (dangling ids included: analysis reports them)
  for (const v of versions.values()) for (const dep of Object.keys(v.requires)) if (!packages.has(dep)) packages.set(dep, {id: dep, name: dep})
  for (const p of projects) for (const r of p.requires) if (!packages.has(r.id)) packages.set(r.id, {id: r.id, name: r.id})

  const sortedVersions = [...versions.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
  return {
    machine: input.machine,
    ...(input.advisories ? {advisories: advisoryRows(input.advisories, sortedVersions)} : {}),
    packages: [...packages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    versions: sortedVersions,
    projects: projects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  }
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
