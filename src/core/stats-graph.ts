/**
 * The graph `packs stats` reads (every machine's snapshot, the version rows merged, the optional
 * registry catalog, package names and authors) and the questions its parts share: who locks
 * what, each version's deprecated/yanked state, the newest version of a package.
 */
import {versionKey, type GraphSnapshot, type VersionRow} from '../graph/model.js'
import type {Catalog} from '../registry/catalog.js'
import {deprecationText} from '../registry/deprecations.js'
import {compareVersions} from '../resolve/versions.js'

export interface StatsProject {
  name: string
  path: string
  machine?: string
}

export interface StatsGraph {
  /** team scope: projects carry their machine */
  multi: boolean
  snapshots: GraphSnapshot[]
  rows: Map<string, VersionRow>
  catalog: Catalog | null
  names: Map<string, {name: string; author: string | null}>
}

/** the snapshots' version rows by key, first machine first (the one snapshot rows merge the same way) */
export function versionRows(snapshots: GraphSnapshot[]): Map<string, VersionRow> {
  const out = new Map<string, VersionRow>()
  for (const s of snapshots) for (const v of s.versions) if (!out.has(versionKey(v.id, v.version))) out.set(versionKey(v.id, v.version), v)
  return out
}

/** the deprecated/yanked state of a version: the registries' word (with the overlays), else the graph's */
export function versionState(id: string, version: string, catalog: Catalog | null, rows: Map<string, VersionRow>): {deprecated: string | null; yanked: boolean} {
  const v = catalog?.version(id, version)
  if (v) return {deprecated: v.deprecated ? deprecationText(v.deprecated, v.replacement) : null, yanked: v.yanked}
  const r = rows.get(versionKey(id, version))
  return {deprecated: r?.deprecated ?? null, yanked: r?.yanked ?? false}
}

/** the newest version of a package: the registries' newest, else the newest the graph knows */
export function newestOf(id: string, catalog: Catalog | null, rows: Map<string, VersionRow>): string | null {
  const fromRegistry = catalog?.latest(id)?.version
  if (fromRegistry) return fromRegistry
  const known = [...rows.values()].filter((v) => v.id === id).map((v) => v.version)
  return known.sort(compareVersions).at(-1) ?? null
}

/** the projects locking each version of each package: id -> version -> projects */
export function usage(snapshots: GraphSnapshot[], multi: boolean): Map<string, Map<string, StatsProject[]>> {
  const out = new Map<string, Map<string, StatsProject[]>>()
  for (const s of snapshots) {
    for (const p of s.projects) {
      for (const l of p.locks) {
        if (!out.has(l.id)) out.set(l.id, new Map())
        const byVersion = out.get(l.id)!
        if (!byVersion.has(l.version)) byVersion.set(l.version, [])
        byVersion.get(l.version)!.push(projectOf(p, multi))
      }
    }
  }
  return out
}

/** a project as stats names it: its machine too in team scope */
export const projectOf = (p: {name: string; path: string; machine: string}, multi: boolean): StatsProject => (multi ? {name: p.name, path: p.path, machine: p.machine} : {name: p.name, path: p.path})

