/**
 * The memory adapter's answers to the analysis questions (AnalysisQueries), over the indexes the
 * store built from the snapshot. Indexes are built lazily, once per load, and only those a
 * question needs: per-project LockGraphs (on first use of a project) and, for questions about
 * one package across projects, package id -> projects touching it. Every answer is sorted as
 * the port documents, so it compares equal to the Neo4j adapter's.
 */
import type {
  AnalysisQueries,
  DependencyCycle,
  Drift,
  DriftQuery,
  PackageUse,
  ProjectGraph,
  ProjectRef,
  ProjectScope,
  Requirer,
  RequirersQuery,
  ResolvedLock,
  TreeQuery,
  UnreachableLock,
  UnsatisfiedRange,
  VersionRef,
  WhyProject,
  WhyQuery,
} from '../graph-store.js'
import {splitVersionKey, versionKey, type ProjectRow, type VersionRow} from '../model.js'
import {forEachCycle} from './cycles.js'
import {depths} from './depths.js'
import {lockGraph, type LockGraph} from './lock-graph.js'
import {satisfies} from '../../resolve/versions.js'
import {VersionOrder} from './version-order.js'
import {simplePaths} from './simple-paths.js'
import {shortestTree, treePath} from './shortest-path.js'

export const PROJECT_REQUIRER = 'ggen.toml'

const NONE: readonly (readonly [string, string])[] = Object.freeze([])
const NO_PROJECTS: readonly ProjectRow[] = Object.freeze([])

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export {refOf} from '../project-ref.js'
import {refOf} from '../project-ref.js'

const order = new VersionOrder()
const compareVersions = order.compare

/** `ggen.toml` first, then `id@version` requirers by id, then semver */
export function compareRequirers(a: string, b: string): number {
  if (a === b) return 0
  if (a === PROJECT_REQUIRER) return -1
  if (b === PROJECT_REQUIRER) return 1
  const x = splitVersionKey(a)
  const y = splitVersionKey(b)
  return cmp(x.id, y.id) || compareVersions(x.version, y.version)
}

export class MemoryAnalysis implements AnalysisQueries {
  private graphs = new WeakMap<ProjectRow, LockGraph>()
  /** per project: node -> the node it is first reached from by the breadth-first search of shortestTree (-1: a root or unreached) */
  private trees = new WeakMap<ProjectRow, Int32Array>()
  /** per project: package id -> the requirers declaring a range on it (lock rows), for requirersIn */
  private reverse = new WeakMap<ProjectRow, Map<string, Requirer[]>>()
  private byKey?: Map<string, ProjectRow>
  /** package id -> projects that lock it, require it, or lock a version declaring a range on it (machine, path order) */
  private touching?: Map<string, ProjectRow[]>

  /** `projects` sorted by machine, path; `versions` keyed `id@version` (merged rows) */
  constructor(
    private readonly projects: readonly ProjectRow[],
    private readonly versions: ReadonlyMap<string, VersionRow>,
  ) {}

  private graph(p: ProjectRow): LockGraph {
    let g = this.graphs.get(p)
    if (!g) {
      g = lockGraph(p.locks)
      this.graphs.set(p, g)
    }
    return g
  }

  /** id -> version -> declared [id, range] pairs; two levels so lookups hash the lock's own strings, not a new key */
  private declaredIndex?: Map<string, Map<string, readonly (readonly [string, string])[]>>

  /** the ranges a version declares, as [id, range] pairs */
  private declared(id: string, version: string): readonly (readonly [string, string])[] {
    if (!this.declaredIndex) {
      const idx = new Map<string, Map<string, readonly (readonly [string, string])[]>>()
      for (const v of this.versions.values()) {
        const entries = Object.entries(v.requires)
        if (entries.length === 0) continue
        let byVersion = idx.get(v.id)
        if (!byVersion) idx.set(v.id, (byVersion = new Map()))
        byVersion.set(v.version, entries)
      }
      this.declaredIndex = idx
    }
    return this.declaredIndex.get(id)?.get(version) ?? NONE
  }

  private refs = new WeakMap<ProjectRow, ProjectRef>()

  private ref(p: ProjectRow): ProjectRef {
    let r = this.refs.get(p)
    if (!r) this.refs.set(p, (r = refOf(p)))
    return r
  }

  private project(key: string): ProjectRow | undefined {
    if (!this.byKey) {
      this.byKey = new Map()
      for (const p of this.projects) this.byKey.set(p.key, p)
    }
    return this.byKey.get(key)
  }

  private scope(q: ProjectScope = {}): readonly ProjectRow[] {
    if (q.projectKey !== undefined) {
      const p = this.project(q.projectKey)
      return p ? [p] : []
    }
    return q.machine ? this.projects.filter((p) => p.machine === q.machine) : this.projects
  }

  private touchingIndex(): Map<string, ProjectRow[]> {
    if (this.touching) return this.touching
    const idx = new Map<string, ProjectRow[]>()
    // a project's ids are added together, so a repeat is always the list's last element
    const add = (id: string, p: ProjectRow) => {
      const list = idx.get(id)
      if (!list) idx.set(id, [p])
      else if (list[list.length - 1] !== p) list.push(p)
    }
    for (const p of this.projects) {
      for (const l of p.locks) {
        add(l.id, p)
        for (const [dep] of this.declared(l.id, l.version)) add(dep, p)
      }
      for (const r of p.requires) add(r.id, p)
    }
    this.touching = idx
    return idx
  }

  /** package id -> the keys of the projects touching it, for questions scoped to one project (the scan's fix asks thousands) */
  private touchingKeys = new Map<string, Set<string>>()

  private candidates(id: string, q: ProjectScope): readonly ProjectRow[] {
    const list = this.touchingIndex().get(id) ?? NO_PROJECTS
    if (q.projectKey !== undefined) {
      let keys = this.touchingKeys.get(id)
      if (!keys) this.touchingKeys.set(id, (keys = new Set(list.map((p) => p.key))))
      const p = keys.has(q.projectKey) ? this.project(q.projectKey) : undefined
      return p ? [p] : []
    }
    return q.machine ? list.filter((p) => p.machine === q.machine) : list
  }

  async tree(projectKey: string, q: TreeQuery = {}): Promise<ProjectGraph | null> {
    const p = this.project(projectKey)
    if (!p) return null
    const g = this.graph(p)
    const depth = depths(g)
    const locks: ResolvedLock[] = []
    for (let i = 0; i < g.order; i++) {
      const d = depth[i]!
      if (q.depth !== undefined && (d === 0 || d > q.depth)) continue
      const deps = [...Array.from(g.out[i]!, (j) => ({id: g.ids[j]!, version: g.versions[j]! as string | null})), ...g.dangling[i]!.map((id) => ({id, version: null}))]
      deps.sort((a, b) => cmp(a.id, b.id))
      locks.push({id: g.ids[i]!, version: g.versions[i]!, direct: g.direct[i]!, depth: d === 0 ? null : d, dependencies: deps})
    }
    const seen = new Set<string>()
    const requires = p.requires
      .filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
      .map((r) => ({id: r.id, range: r.range, optional: r.optional === true}))
      .sort((a, b) => cmp(a.id, b.id))
    return {project: refOf(p), requires, locks}
  }

  /** projects in scope that lock `id`, from the index of projects touching each id (the security scan asks about thousands of ids) */
  private lockers(id: string, q: ProjectScope): readonly ProjectRow[] {
    if (q.projectKey !== undefined) {
      // a project locking id touches it: no need for the index
      const p = this.project(q.projectKey)
      return p && this.graph(p).index.has(id) ? [p] : []
    }
    return this.candidates(id, q).filter((p) => this.graph(p).index.has(id))
  }

  async why(id: string, q: WhyQuery = {}): Promise<WhyProject[]> {
    if (q.limit === 1 && q.cap === 1) return this.shortestWhy(id, q)
    const out: WhyProject[] = []
    for (const p of this.lockers(id, q)) {
      const g = this.graph(p)
      const target = g.index.get(id)
      if (target === undefined) continue
      const r = simplePaths(g, target, {limit: q.limit ?? 100, cap: q.cap})
      const paths: VersionRef[][] = r.paths.map((path) => path.map((n) => ({id: g.ids[n]!, version: g.versions[n]!})))
      out.push({project: this.ref(p), version: g.versions[target]!, direct: g.direct[target]!, paths, count: r.count, truncated: r.truncated})
    }
    return out
  }

  /**
   * why with one path and no counting beyond it: each project's shortest path (shortestTree, the
   * first path simplePaths gives), from one breadth-first search per project however many packages
   * are asked about (dependents, the security scan)
   */
  private shortestWhy(id: string, q: ProjectScope): WhyProject[] {
    const out: WhyProject[] = []
    for (const p of this.lockers(id, q)) {
      const g = this.graph(p)
      const target = g.index.get(id)!
      let tree = this.trees.get(p)
      if (!tree) this.trees.set(p, (tree = shortestTree(g)))
      const path = treePath(g, tree, target).map((n) => ({id: g.ids[n]!, version: g.versions[n]!}))
      out.push({project: this.ref(p), version: g.versions[target]!, direct: g.direct[target]!, paths: path.length ? [path] : [], count: path.length ? 1 : 0, truncated: false})
    }
    return out
  }

  /** the project's requirers of each id among its locks, built once per project */
  private reverseDeclared(p: ProjectRow): Map<string, Requirer[]> {
    let idx = this.reverse.get(p)
    if (idx) return idx
    idx = new Map()
    const g = this.graph(p)
    for (let i = 0; i < g.order; i++) {
      const declared = this.declared(g.ids[i]!, g.versions[i]!)
      if (declared.length === 0) continue
      const requirer = versionKey(g.ids[i]!, g.versions[i]!)
      for (const [dep, range] of declared) {
        const list = idx.get(dep)
        if (list) list.push({requirer, range})
        else idx.set(dep, [{requirer, range}])
      }
    }
    for (const list of idx.values()) list.sort((a, b) => compareRequirers(a.requirer, b.requirer))
    this.reverse.set(p, idx)
    return idx
  }

  /** ggen.toml's range first, then the locks declaring one, by id and version (sorted once per project) */
  private requirersIn(p: ProjectRow, id: string): Requirer[] {
    const out: Requirer[] = []
    const own = p.requires.find((r) => r.id === id)
    if (own) out.push({requirer: PROJECT_REQUIRER, range: own.range})
    // a literal, not a spread: the scan copies one for every requirer of every vulnerable package
    for (const r of this.reverseDeclared(p).get(id) ?? []) out.push({requirer: r.requirer, range: r.range})
    return out
  }

  async requirers(id: string, q: RequirersQuery = {}): Promise<PackageUse[]> {
    const out: PackageUse[] = []
    for (const p of this.candidates(id, q)) {
      if (q.team && p.team !== q.team) continue
      if (q.owner && p.owner !== q.owner) continue
      const g = this.graph(p)
      const n = g.index.get(id)
      out.push({
        project: this.ref(p),
        version: n === undefined ? null : g.versions[n]!,
        direct: n === undefined ? p.requires.some((r) => r.id === id) : g.direct[n]!,
        requirers: this.requirersIn(p, id),
      })
    }
    return out
  }

  async unsatisfied(q: ProjectScope = {}): Promise<UnsatisfiedRange[]> {
    const out: UnsatisfiedRange[] = []
    for (const p of this.scope(q)) {
      const g = this.graph(p)
      const ref = this.ref(p)
      const rows: UnsatisfiedRange[] = []
      const check = (id: string, requirer: string, range: string, optional: boolean) => {
        const n = g.index.get(id)
        if (n === undefined) {
          if (!optional) rows.push({project: ref, id, locked: null, requirer, range})
        } else if (!satisfies(g.versions[n]!, range)) {
          rows.push({project: ref, id, locked: g.versions[n]!, requirer, range})
        }
      }
      const seen = new Set<string>()
      for (const r of p.requires) {
        if (seen.has(r.id)) continue
        seen.add(r.id)
        check(r.id, PROJECT_REQUIRER, r.range, r.optional === true)
      }
      for (let i = 0; i < g.order; i++) {
        const declared = this.declared(g.ids[i]!, g.versions[i]!)
        if (declared.length === 0) continue
        const requirer = versionKey(g.ids[i]!, g.versions[i]!)
        for (const [dep, range] of declared) check(dep, requirer, range, false)
      }
      rows.sort((a, b) => cmp(a.id, b.id) || compareRequirers(a.requirer, b.requirer))
      out.push(...rows)
    }
    return out
  }

  async cycles(q: ProjectScope = {}): Promise<DependencyCycle[]> {
    const out: DependencyCycle[] = []
    for (const p of this.scope(q)) {
      const g = this.graph(p)
      if (g.order === 0) continue
      forEachCycle(g, (c) => {
        out.push({project: this.ref(p), cycle: c.cycle.map((n) => ({id: g.ids[n]!, version: g.versions[n]!})), members: c.members.map((n) => g.ids[n]!)})
      })
    }
    return out
  }

  async unreachable(q: ProjectScope = {}): Promise<UnreachableLock[]> {
    const out: UnreachableLock[] = []
    for (const p of this.scope(q)) {
      if (p.requires.length === 0) continue
      const g = this.graph(p)
      const depth = depths(g)
      for (let i = 0; i < g.order; i++) if (depth[i] === 0) out.push({project: this.ref(p), id: g.ids[i]!, version: g.versions[i]!})
    }
    return out
  }

  async drift(q: DriftQuery = {}): Promise<Drift[]> {
    const only = q.ids ? new Set(q.ids) : undefined
    const selected = this.projects.filter((p) => !(q.machine && p.machine !== q.machine) && !(q.team && p.team !== q.team) && !(q.owner && p.owner !== q.owner))
    // pass 1: which ids are locked at more than one version
    const firstVersion = new Map<string, string>()
    const drifting = new Set<string>()
    for (const p of selected) {
      for (const l of p.locks) {
        if (only && !only.has(l.id)) continue
        const v = firstVersion.get(l.id)
        if (v === undefined) firstVersion.set(l.id, l.version)
        else if (v !== l.version) drifting.add(l.id)
      }
    }
    if (drifting.size === 0) return []
    // pass 2: the projects on each version of those ids (projects arrive in machine, path order)
    const byId = new Map<string, Map<string, ProjectRef[]>>()
    for (const p of selected) {
      let seen: Set<string> | undefined
      for (const l of p.locks) {
        if (!drifting.has(l.id)) continue
        // a project locks one version per id: the first row wins, as in its LockGraph
        if ((seen ??= new Set()).has(l.id)) continue
        seen.add(l.id)
        let versions = byId.get(l.id)
        if (!versions) byId.set(l.id, (versions = new Map()))
        let list = versions.get(l.version)
        if (!list) versions.set(l.version, (list = []))
        list.push(this.ref(p))
      }
    }
    const out: Drift[] = []
    for (const [id, versions] of byId) {
      if (versions.size < 2) continue
      out.push({id, versions: [...versions].sort(([a], [b]) => compareVersions(a, b)).map(([version, projects]) => ({version, projects: [...projects]}))})
    }
    return out.sort((a, b) => cmp(a.id, b.id))
  }
}
