/**
 * The exported graph (./graph.ts) -> what the HTML view shows (./html-data.ts): packages,
 * versions and projects with their flags, the edges between them (one per source, target and
 * type), scoped to the subgraph around one project or package, and laid out with ForceAtlas2
 * from a circle (in Node, before rendering: the page opens drawn, and the same graph gives the
 * same picture).
 */
import {UndirectedGraph} from 'graphology'
import forceAtlas2Module from 'graphology-layout-forceatlas2'
import type {GraphViewData, ViewEdge, ViewFlags, ViewKind, ViewNode} from './html-data.js'
import {nodeKey, type Attributes, type PacksGraph} from './graph.js'

/** what the use-case knows beyond the graph: version keys (`id@version`) and package ids */
export interface ViewInput {
  vulnerable: ReadonlySet<string>
  drift: ReadonlySet<string>
}

/** keep the subgraph around one project (node key suffix) or package (id) */
export interface ViewScope {
  project?: string
  package?: string
}

// the package's types declare an ES default export; at run time module.exports is the layout function
const forceAtlas2 = forceAtlas2Module as unknown as typeof forceAtlas2Module.default

const KINDS: ReadonlySet<string> = new Set<ViewKind>(['Package', 'Version', 'Project'])
const EDGE_TYPES: ReadonlySet<string> = new Set(['OF', 'REQUIRES', 'LOCKS', 'DEPENDS_ON'])

const kindOf = (g: PacksGraph, key: string) => g.getNodeAttribute(key, 'kind') as string
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export function graphView(g: PacksGraph, input: ViewInput, scope: ViewScope = {}): GraphViewData {
  const keep = scopedNodes(g, scope)
  const flags = nodeFlags(g, input)
  const nodes: ViewNode[] = []
  g.forEachNode((key, a) => {
    if (keep.has(key)) nodes.push(viewNode(key, a, flags.get(key)!))
  })
  const seen = new Set<string>()
  const edges: ViewEdge[] = []
  g.forEachEdge((_e, a, source, target) => {
    const type = String(a.type)
    const id = `${type}\0${source}\0${target}`
    if (!EDGE_TYPES.has(type) || !keep.has(source) || !keep.has(target) || source === target || seen.has(id)) return
    seen.add(id)
    edges.push({source, target, type})
  })
  layout(nodes, edges)
  return {nodes, edges}
}

function viewNode(key: string, a: Attributes, flags: ViewFlags): ViewNode {
  const kind = a.kind as ViewKind
  const label = kind === 'Project' ? (str(a.name) ?? str(a.path) ?? key) : (str(a.label) ?? key)
  const node: ViewNode = {key, kind, label, flags, x: 0, y: 0}
  if (kind !== 'Project') node.id = str(a.id)
  if (kind === 'Version') node.version = str(a.version)
  if (kind === 'Project') node.path = str(a.path)
  const deprecated = str(a.deprecated)
  if (deprecated) node.deprecated = deprecated
  return node
}

/** every package, version and project, or the neighbourhood of the scope's project or package */
function scopedNodes(g: PacksGraph, scope: ViewScope): Set<string> {
  const all = g.filterNodes((key) => KINDS.has(kindOf(g, key)))
  let seeds: string[]
  let around: (key: string) => string[]
  if (scope.project !== undefined) {
    // what the project requires and locks
    seeds = [nodeKey.project(scope.project)]
    around = (key) => g.outNeighbors(key)
  } else if (scope.package !== undefined) {
    // the package, its versions, and what requires, locks or depends on them and what they need
    const pkg = nodeKey.package(scope.package)
    seeds = g.hasNode(pkg) ? [pkg, ...g.inNeighbors(pkg).filter((n) => kindOf(g, n) === 'Version' && g.getNodeAttribute(n, 'id') === scope.package)] : []
    around = (key) => g.neighbors(key)
  } else return new Set(all)
  const keep = new Set(seeds.filter((k) => g.hasNode(k)))
  for (const k of [...keep]) for (const n of around(k)) keep.add(n)
  // a version's package comes with it
  for (const k of [...keep]) if (kindOf(g, k) === 'Version') keep.add(nodeKey.package(String(g.getNodeAttribute(k, 'id'))))
  return new Set(all.filter((k) => keep.has(k)))
}

const NONE: ViewFlags = {deprecated: false, vulnerable: false, drift: false}
const or = (a: ViewFlags, b: ViewFlags): ViewFlags => ({deprecated: a.deprecated || b.deprecated, vulnerable: a.vulnerable || b.vulnerable, drift: a.drift || b.drift})
const linked = (g: PacksGraph, key: string, type: string, dir: 'in' | 'out'): string[] => {
  const out: string[] = []
  const visit = (_e: string, a: Attributes, s: string, t: string) => {
    if (a.type === type) out.push(dir === 'in' ? s : t)
  }
  if (dir === 'in') g.forEachInEdge(key, visit)
  else g.forEachOutEdge(key, visit)
  return out
}

/** versions first (their own state), then packages (from their versions) and projects (from their locks) */
function nodeFlags(g: PacksGraph, input: ViewInput): Map<string, ViewFlags> {
  const flags = new Map<string, ViewFlags>()
  g.forEachNode((key, a) => {
    if (a.kind !== 'Version') return
    const locked = linked(g, key, 'LOCKS', 'in').length > 0
    flags.set(key, {deprecated: Boolean(a.deprecated) || a.yanked === true, vulnerable: input.vulnerable.has(String(a.key)), drift: locked && input.drift.has(String(a.id))})
  })
  g.forEachNode((key, a) => {
    if (a.kind === 'Package') {
      const versions = linked(g, key, 'OF', 'in').map((v) => flags.get(v) ?? NONE)
      flags.set(key, {deprecated: versions.length > 0 && versions.every((f) => f.deprecated), vulnerable: versions.some((f) => f.vulnerable), drift: input.drift.has(String(a.id))})
    } else if (a.kind === 'Project') {
      flags.set(key, linked(g, key, 'LOCKS', 'out').reduce((acc, v) => or(acc, flags.get(v) ?? NONE), NONE))
    }
  })
  return flags
}

/**
 * ForceAtlas2 iterations by size: 300 up to 500 nodes, then a budget of node-iterations (an
 * iteration over 10k nodes costs about a second even with Barnes-Hut): 150 at 1,000 nodes, 15 at 10,000
 */
const iterationsFor = (order: number) => (order <= 500 ? 300 : Math.max(15, Math.round(150_000 / order)))

/** positions in place: a circle (by node order, so the result is deterministic), then ForceAtlas2 */
function layout(nodes: ViewNode[], edges: ViewEdge[]): void {
  const g = new UndirectedGraph()
  nodes.forEach((n, i) => {
    const angle = (2 * Math.PI * i) / Math.max(nodes.length, 1)
    g.addNode(n.key, {x: 100 * Math.cos(angle), y: 100 * Math.sin(angle)})
  })
  for (const e of edges) g.mergeEdge(e.source, e.target)
  if (g.order > 1) forceAtlas2.assign(g, {iterations: iterationsFor(g.order), settings: {...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 500}})
  for (const n of nodes) {
    n.x = round(g.getNodeAttribute(n.key, 'x') as number)
    n.y = round(g.getNodeAttribute(n.key, 'y') as number)
  }
}

const round = (v: number) => Math.round(v * 100) / 100
