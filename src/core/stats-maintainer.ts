/**
 * `packs stats --author NAME` (`--maintainer`): what a maintainer needs to know about their
 * packages. Their packages (the registry metadata `author`, case-insensitive, containing NAME, as
 * `list --author`), for each the projects using every version and the package versions that
 * declare a range on it, the deprecated or yanked versions still in use, and the projects
 * lagging behind the newest version. Pure: computed from the stats graph.
 */
import {versionKey} from '../graph/model.js'
import {compareVersions} from '../resolve/versions.js'
import {newestOf, usage, versionState, type StatsGraph, type StatsProject} from './stats-graph.js'

export interface MaintainedVersion {
  version: string
  projects: StatsProject[]
  deprecated: string | null
  yanked: boolean
}

export interface LaggingProject {
  project: StatsProject
  version: string
}

export interface MaintainedPackage {
  id: string
  name: string
  author: string
  newest: string | null
  /** projects using it (every version) */
  dependents: number
  /** versions in use, by semver */
  versions: MaintainedVersion[]
  /** locked package versions that declare a range on it, by id then semver */
  dependent_packages: {id: string; version: string; range: string}[]
  /** projects on a version older than the newest, by version then path */
  lagging: LaggingProject[]
}

export interface MaintenanceReport {
  author: string
  /** by id; with no project using them too */
  packages: MaintainedPackage[]
  /** deprecated or yanked versions of these packages that projects still lock */
  deprecated_in_use: {id: string; version: string; deprecated: string | null; yanked: boolean; projects: number}[]
  /** projects behind the newest version, counted over every package */
  lagging: number
}

/** the packages whose author contains `author` (case-insensitive): the graph's and the registries' */
function authored(g: StatsGraph, author: string): {id: string; name: string; author: string}[] {
  const want = author.toLowerCase()
  const out = new Map<string, {id: string; name: string; author: string}>()
  const take = (id: string, name: string, a: string | null | undefined) => {
    if (a && a.toLowerCase().includes(want) && !out.has(id)) out.set(id, {id, name, author: a})
  }
  for (const [id, m] of g.names) take(id, m.name, m.author)
  for (const p of g.catalog?.all() ?? []) take(p.id, p.name, p.author)
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function dependentPackages(g: StatsGraph, id: string): MaintainedPackage['dependent_packages'] {
  const locked = new Set(g.snapshots.flatMap((s) => s.projects.flatMap((p) => p.locks.map((l) => versionKey(l.id, l.version)))))
  return [...g.rows.values()]
    .filter((v) => v.requires[id] !== undefined && locked.has(versionKey(v.id, v.version)))
    .map((v) => ({id: v.id, version: v.version, range: v.requires[id]!}))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || compareVersions(a.version, b.version))
}

export function maintenanceReport(g: StatsGraph, author: string): MaintenanceReport {
  const used = usage(g.snapshots, g.multi)
  const packages: MaintainedPackage[] = authored(g, author).map((p) => {
    const byVersion = used.get(p.id) ?? new Map<string, StatsProject[]>()
    const newest = newestOf(p.id, g.catalog, g.rows)
    const versions = [...byVersion].sort(([a], [b]) => compareVersions(a, b)).map(([version, projects]) => ({version, projects, ...versionState(p.id, version, g.catalog, g.rows)}))
    const lagging = versions.filter((v) => newest && compareVersions(v.version, newest) < 0).flatMap((v) => v.projects.map((project) => ({project, version: v.version})))
    return {...p, newest, dependents: versions.reduce((n, v) => n + v.projects.length, 0), versions, dependent_packages: dependentPackages(g, p.id), lagging}
  })
  const deprecated = packages.flatMap((p) => p.versions.filter((v) => v.deprecated || v.yanked).map((v) => ({id: p.id, version: v.version, deprecated: v.deprecated, yanked: v.yanked, projects: v.projects.length})))
  return {author, packages, deprecated_in_use: deprecated, lagging: packages.reduce((n, p) => n + p.lagging.length, 0)}
}
