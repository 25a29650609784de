/**
 * `packs tree`: a project's resolved, transitive dependency tree. The graph answers with the
 * project's locks and their resolved dependencies (AnalysisQueries.tree); this nests them.
 * A subtree is drawn once, at its shallowest occurrence (the first in depth-first order at that
 * depth); every other occurrence is marked `shared` instead of repeated. A dependency that is
 * also an ancestor is marked `cycle`; one the project does not lock is `missing`; a node whose
 * children lie below `--depth` is `truncated`.
 */
import type {ProjectGraph} from '../graph/graph-store.js'
import {PacksError} from '../domain/errors.js'
import type {SecurityStatus} from '../domain/scan.js'
import {versionKey} from '../graph/model.js'
import type {PacksContext} from './context.js'
import {readLastScan, type LastScanStatus} from './security-status.js'
import {withAnalysisGraph, type ProjectOut, projectOut} from './analysis/graph.js'

export interface TreeNode {
  id: string
  /** null when the project does not lock the package */
  version: string | null
  dependencies: TreeNode[]
  /** this subtree is drawn elsewhere in the tree */
  shared?: true
  /** the package is one of its own ancestors here */
  cycle?: true
  /** required but not in the lockfile */
  missing?: true
  /** it has dependencies below the depth limit */
  truncated?: true
  /** the last security scan found this version vulnerable */
  security?: SecurityStatus
}

export interface TreeResult {
  project: ProjectOut
  dependencies: TreeNode[]
  /** when the security status marked on the nodes was scanned; null when no scan has run */
  last_scanned: string | null
}

export interface TreeOptions {
  /** project directory */
  project: string
  /** levels below the project to show (1 = direct dependencies only) */
  depth?: number
  backend?: string
  roots?: string[]
}

/** nest a project's resolved graph; pure */
export function nestTree(g: ProjectGraph, depth?: number): TreeNode[] {
  const locks = new Map(g.locks.map((l) => [l.id, l]))
  const expanded = new Set<string>()
  const ancestors = new Set<string>()
  const limit = depth ?? Infinity

  const node = (id: string, version: string | null, level: number): TreeNode => {
    const l = version === null ? undefined : locks.get(id)
    if (!l) return version === null ? {id, version: null, dependencies: [], missing: true} : {id, version, dependencies: []}
    if (ancestors.has(id)) return {id, version, dependencies: [], cycle: true}
    if (l.dependencies.length === 0) return {id, version, dependencies: []}
    // draw the subtree once, at the package's shallowest level
    if (expanded.has(id) || (l.depth !== null && level > l.depth)) return {id, version, dependencies: [], shared: true}
    if (level >= limit) return {id, version, dependencies: [], truncated: true}
    expanded.add(id)
    ancestors.add(id)
    const children = l.dependencies.map((d) => node(d.id, d.version, level + 1))
    ancestors.delete(id)
    return {id, version, dependencies: children}
  }

  const roots = new Map<string, string | null>()
  for (const r of g.requires) {
    const l = locks.get(r.id)
    if (l) roots.set(r.id, l.version)
    else if (!r.optional) roots.set(r.id, null)
  }
  for (const l of g.locks) if (l.direct && !roots.has(l.id)) roots.set(l.id, l.version)
  return [...roots.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, version]) => node(id, version, 1))
}

/** marks every vulnerable node with its status from the last scan (in place) */
export function markVulnerable(nodes: TreeNode[], last: LastScanStatus | null): TreeNode[] {
  if (!last) return nodes
  for (const n of nodes) {
    const s = n.version === null ? undefined : last.vulnerable.get(versionKey(n.id, n.version))
    if (s) n.security = s
    markVulnerable(n.dependencies, last)
  }
  return nodes
}

export async function projectTree(ctx: PacksContext, o: TreeOptions): Promise<TreeResult> {
  if (o.depth !== undefined && (!Number.isInteger(o.depth) || o.depth < 1)) {
    throw new PacksError('E_USAGE', `--depth must be a whole number of at least 1 (got ${o.depth})`, {hint: '--depth 1 shows the direct dependencies only.'})
  }
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots, project: o.project, only: true}, async (g) => {
    const graph = await g.store.tree(g.projectKey!, {depth: o.depth})
    if (!graph) {
      throw new PacksError('E_NO_PROJECT', `${g.projectPath} is not in the ${g.store.name} graph`, {
        hint: g.store.capabilities.syncHint,
      })
    }
    const last = readLastScan(ctx)
    return {project: projectOut(graph.project, g.store.capabilities.scope === 'team'), dependencies: markVulnerable(nestTree(graph, o.depth), last), last_scanned: last?.scanned_at ?? null}
  })
}
