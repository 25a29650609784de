/**
 * `packs list`: every installed version on the machine (or, on neo4j, the team), one row per
 * version with the projects using it; filters and sorting.
 */
import type {InstalledVersion} from '../graph/graph-store.js'
import {compareVersions} from '../resolve/versions.js'
import {requireProjectDir} from '../workspace/project-dir.js'
import type {PacksContext} from './context.js'
import {openWorkspaceGraph, type ProjectProblem} from './workspace-graph.js'

export interface ListRow {
  id: string
  name: string
  version: string
  size: number | null
  quality_score: number | null
  production_ready: boolean
  author: string | null
  license: string | null
  last_used: string | null
  deprecated: string | null
  yanked: boolean
  projects: {name: string; path: string; machine?: string}[]
}

export interface ListOptions {
  backend?: string
  roots?: string[]
  sort?: 'name' | 'version' | 'size' | 'last-used'
  minQuality?: number
  productionReady?: boolean
  author?: string
  /** only versions used by this project directory */
  project?: string
  machine?: string
}

export interface ListResult {
  rows: ListRow[]
  problems: ProjectProblem[]
  backend: string
}

export function toRow(v: InstalledVersion, withMachine: boolean): ListRow {
  return {
    id: v.id,
    name: v.name,
    version: v.version,
    size: v.size ?? null,
    quality_score: v.quality_score ?? null,
    production_ready: v.production_ready ?? false,
    author: v.author ?? null,
    license: v.license ?? null,
    last_used: v.last_used ?? null,
    deprecated: v.deprecated ?? null,
    yanked: v.yanked ?? false,
    projects: v.projects.map((p) => (withMachine ? {name: p.name, path: p.path, machine: p.machine} : {name: p.name, path: p.path})),
  }
}

export async function listInstalled(ctx: PacksContext, o: ListOptions = {}): Promise<ListResult> {
  const g = await openWorkspaceGraph(ctx, {backend: o.backend, roots: o.roots, withProjects: false})
  try {
    const installed = await g.store.listInstalled({machine: o.machine})
    const multi = g.store.name === 'neo4j'
    let rows = installed.map((v) => toRow(v, multi))
    if (o.minQuality !== undefined) rows = rows.filter((r) => (r.quality_score ?? 0) >= o.minQuality!)
    if (o.productionReady) rows = rows.filter((r) => r.production_ready)
    if (o.author) {
      const a = o.author.toLowerCase()
      rows = rows.filter((r) => (r.author ?? '').toLowerCase().includes(a))
    }
    if (o.project) {
      const p = requireProjectDir(o.project)
      rows = rows.filter((r) => r.projects.some((x) => x.path === p))
    }
    switch (o.sort ?? 'name') {
      case 'version':
        rows.sort((a, b) => compareVersions(b.version, a.version) || (a.id < b.id ? -1 : 1))
        break
      case 'size':
        rows.sort((a, b) => (b.size ?? -1) - (a.size ?? -1) || (a.id < b.id ? -1 : 1))
        break
      case 'last-used':
        rows.sort((a, b) => (b.last_used ?? '').localeCompare(a.last_used ?? '') || (a.id < b.id ? -1 : 1))
        break
      default:
        break // already id, then semver
    }
    return {rows, problems: g.problems, backend: g.store.name}
  } finally {
    await g.store.close()
  }
}
