/**
 * The embedded GraphStore: compact in-process indexes (maps and arrays) built from the snapshot
 * in one pass. It answers the port's questions without a server; the rows it returns are the
 * same, in the same order, as the Neo4j adapter's (test/contract).
 */
import {byIdThenVersion, compareVersions, rangesIntersect, satisfies} from '../../resolve/versions.js'
import type {
  AdvisoryHit,
  AnalysisQueries,
  DependencyCycle,
  DependentsQuery,
  DependentsResult,
  Drift,
  DriftQuery,
  GraphSnapshots,
  GraphStore,
  InstalledVersion,
  ListQuery,
  PackageDependent,
  PackageUse,
  ProjectDependent,
  ProjectGraph,
  ProjectLocks,
  ProjectLocksQuery,
  ProjectRef,
  ProjectScope,
  QueryResult,
  RequirersQuery,
  StoreCapabilities,
  SyncStats,
  TreeQuery,
  UnreachableLock,
  UnsatisfiedRange,
  WhyProject,
  WhyQuery,
} from '../graph-store.js'
import {PacksError} from '../../domain/errors.js'
import {VersionMap, versionKey, type AdvisoryRow, type GraphSnapshot, type PackageRow, type ProjectRow, type VersionRow} from '../model.js'
import {MemoryAnalysis, refOf} from './analysis.js'
import {byHit} from './version-order.js'
const emptySnapshot = (machine: string): GraphSnapshot => ({machine, packages: [], versions: [], projects: [], advisories: []})
const byMachinePath = (a: {machine: string; path: string}, b: {machine: string; path: string}) => (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

/**
 * A list row from its version row. Every row gets the same fields in the same order (those the
 * version lacks are undefined, which JSON and the answers' comparisons leave out): one object
 * shape for 100,000 rows. Built field by field (by a loop over names, or by named assignments)
 * they took half of `list` on the 100k bench set (8.5 s against 4.8 s, 890 against 720 MB).
 * `store_entry` only when a local machine was named (absent otherwise, not undefined).
 */
function installedRow(id: string, version: string, v: VersionRow | undefined, storeEntry: string | null | undefined): InstalledVersion {
  const row: InstalledVersion = {
    id,
    version,
    name: v?.name ?? id,
    author: v?.author,
    license: v?.license,
    quality_score: v?.quality_score,
    production_ready: v?.production_ready,
    size: v?.size,
    integrity: v?.integrity,
    description: v?.description,
    source: v?.source,
    deprecated: v?.deprecated ?? null,
    yanked: v?.yanked ?? false,
    projects: [],
    last_used: undefined,
  }
  if (storeEntry !== undefined) row.store_entry = storeEntry
  return row
}

export class MemoryGraphStore implements GraphStore, AnalysisQueries {
  readonly name = 'memory' as const
  readonly capabilities: StoreCapabilities = {
    scope: 'machine',
    multiMachine: true,
    query: false,
    auditAnchors: false,
    syncHint: 'Install into it first (ggen packs install), or add its folder with --root DIR.',
  }
  private byMachine = new Map<string, GraphSnapshot>()
  private versions = new Map<string, VersionRow>()
  private projectsList: ProjectRow[] = []
  private analysisIndex?: MemoryAnalysis

  async load(snapshot: GraphSnapshot): Promise<SyncStats> {
    const before = this.byMachine.get(snapshot.machine)
    this.byMachine.set(snapshot.machine, snapshot)
    this.reindex()
    let edges = 0
    for (const v of snapshot.versions) edges += 1 + Object.keys(v.requires).length
    for (const p of snapshot.projects) {
      edges += p.requires.length + p.locks.length
      for (const l of p.locks) edges += l.dependencies.length
    }
    const keep = new Set(snapshot.projects.map((p) => p.key))
    const pruned = before ? before.projects.filter((p) => !keep.has(p.key)).length : 0
    return {machine: snapshot.machine, projects: snapshot.projects.length, versions: snapshot.versions.length, packages: snapshot.packages.length, edges, pruned}
  }

  private reindex(): void {
    this.versions = new Map()
    this.projectsList = []
    for (const s of this.byMachine.values()) {
      for (const v of s.versions) {
        const k = versionKey(v.id, v.version)
        const prev = this.versions.get(k)
        // machines may know different metadata for a version; merge, first non-empty wins
        this.versions.set(k, prev ? {...v, ...Object.fromEntries(Object.entries(prev).filter(([, x]) => x !== undefined && x !== null))} as VersionRow : v)
      }
      this.projectsList.push(...s.projects)
    }
    this.projectsList.sort(byMachinePath)
    this.analysisIndex = undefined
  }

  /** analysis indexes, built on first use after a load */
  private get analysis(): MemoryAnalysis {
    return (this.analysisIndex ??= new MemoryAnalysis(this.projectsList, this.versions))
  }

  private selected(machine?: string): ProjectRow[] {
    return machine ? this.projectsList.filter((p) => p.machine === machine) : this.projectsList
  }

  /** version key -> store entry, as the store of `machine` holds them (that machine's own snapshot, never merged) */
  private storeEntriesOf(machine: string): Map<string, string> {
    const out = new Map<string, string>()
    for (const v of this.byMachine.get(machine)?.versions ?? []) if (v.store_entry) out.set(versionKey(v.id, v.version), v.store_entry)
    return out
  }

  async listInstalled(q: ListQuery = {}): Promise<InstalledVersion[]> {
    const rows = new Map<string, InstalledVersion>()
    const entries = q.localMachine !== undefined ? this.storeEntriesOf(q.localMachine) : undefined
    for (const p of this.selected(q.machine)) {
      const ref = refOf(p)
      for (const l of p.locks) {
        const k = versionKey(l.id, l.version)
        let row = rows.get(k)
        if (!row) {
          row = installedRow(l.id, l.version, this.versions.get(k), entries ? (entries.get(k) ?? null) : undefined)
          rows.set(k, row)
        }
        row.projects.push(ref)
        if (l.installed_at && (!row.last_used || l.installed_at > row.last_used)) row.last_used = l.installed_at
      }
    }
    const out = [...rows.values()].sort(byIdThenVersion)
    for (const r of out) r.projects.sort(byMachinePath)
    return out
  }

  async dependents(id: string, q: DependentsQuery = {}): Promise<DependentsResult> {
    const projects: ProjectDependent[] = []
    for (const p of this.selected(q.machine)) {
      if (q.team && p.team !== q.team) continue
      if (q.owner && p.owner !== q.owner) continue
      const lock = p.locks.find((l) => l.id === id)
      if (!lock) continue
      if (!lock.direct && !q.transitive) continue
      if (q.range && !satisfies(lock.version, q.range)) continue
      projects.push({project: refOf(p), version: lock.version, direct: lock.direct})
    }
    const packages: PackageDependent[] = []
    for (const v of this.versions.values()) {
      const range = v.requires[id]
      if (range === undefined) continue
      if (q.range && !rangesIntersect(range, q.range)) continue
      packages.push({id: v.id, version: v.version, range})
    }
    packages.sort((a, b) => byIdThenVersion(a, b) || compareVersions(a.range, b.range))
    return {projects, packages}
  }

  async projects(q: ListQuery = {}): Promise<ProjectRef[]> {
    return this.selected(q.machine).map(refOf)
  }

  async snapshots(q: {machine?: string} = {}): Promise<GraphSnapshots> {
    // projects sorted by machine, path (as every answer), the rest as loaded
    const snapshots = [...this.byMachine.values()].filter((s) => !q.machine || s.machine === q.machine).map((s) => ({...s, projects: [...s.projects].sort((a, b) => byMachinePath(refOf(a), refOf(b)))}))
    if (snapshots.length === 1) return {snapshots, merged: snapshots[0]!}
    return {snapshots, merged: snapshots.length === 0 ? emptySnapshot(q.machine ?? '*') : this.merged()}
  }

  /** every machine's snapshot as one (metadata merged as listInstalled merges it: first non-empty wins) */
  private merged(): GraphSnapshot {
    const packages = new Map<string, PackageRow>()
    for (const s of this.byMachine.values()) for (const p of s.packages) if (!packages.has(p.id)) packages.set(p.id, p)
    const byId = <T extends {id: string}>(m: Map<string, T>) => [...m.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return {machine: '*', packages: byId(packages), versions: [...this.versions.values()].sort(byIdThenVersion), projects: this.projectsList, advisories: byId(this.mergedAdvisories())}
  }

  /** every machine's Advisory rows by id, the versions each affects merged */
  private mergedAdvisories(): Map<string, AdvisoryRow> {
    const advisories = new Map<string, AdvisoryRow>()
    for (const s of this.byMachine.values()) {
      for (const a of s.advisories ?? []) {
        const prev = advisories.get(a.id)
        advisories.set(a.id, prev ? {...prev, affects: [...new Set([...prev.affects, ...a.affects])].sort()} : a)
      }
    }
    return advisories
  }

  async runQuery(): Promise<QueryResult> {
    throw new PacksError('E_USAGE', 'the memory backend cannot run Cypher: it lacks the `query` capability (only the team Neo4j graph answers raw queries)', {
      hint: 'Run it against Neo4j: --backend neo4j (or GGEN_BACKEND=neo4j, GGEN_NEO4J_URI), after `ggen packs graph sync` has pushed this machine.',
    })
  }

  async projectLocks(q: ProjectLocksQuery = {}): Promise<ProjectLocks[]> {
    const rows = q.projectKey !== undefined ? this.projectsList.filter((p) => p.key === q.projectKey) : this.selected(q.machine)
    return rows
      .filter((p) => !q.team || p.team === q.team)
      .map((p) => ({project: refOf(p), locks: p.locks.map((l) => ({id: l.id, version: l.version, direct: l.direct})).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))}))
  }

  async advisoryHits(q: ProjectScope = {}): Promise<AdvisoryHit[]> {
    const inScope = q.projectKey !== undefined ? this.projectsList.filter((p) => p.key === q.projectKey) : this.selected(q.machine)
    // by id, then version (no `id@version` string per lock row: 24,000 of them at 10k versions); the
    // projects come in machine, path order (projectsList is sorted so), each list already as the port sorts it
    const lockers = new VersionMap<ProjectRef[]>()
    for (const p of inScope) {
      const ref = refOf(p)
      for (const l of p.locks) {
        const list = lockers.get(l.id, l.version)
        if (list) list.push(ref)
        else lockers.set(l.id, l.version, [ref])
      }
    }
    const out: AdvisoryHit[] = []
    for (const a of this.mergedAdvisories().values()) {
      for (const key of new Set(a.affects)) {
        const v = this.versions.get(key)
        if (!v) continue
        const projects = lockers.get(v.id, v.version)
        if (!projects) continue
        out.push({
          id: a.id,
          ...(a.summary ? {summary: a.summary} : {}),
          ...(a.severity ? {severity: a.severity} : {}),
          aliases: a.aliases ?? [],
          ...(a.score !== undefined ? {score: a.score} : {}),
          package: v.id,
          version: v.version,
          projects: projects.slice(),
        })
      }
    }
    return out.sort(byHit)
  }

  // ---- analysis (AnalysisQueries; answers in src/graph/memory/analysis.ts)

  tree(projectKey: string, q?: TreeQuery): Promise<ProjectGraph | null> {
    return this.analysis.tree(projectKey, q)
  }

  why(id: string, q?: WhyQuery): Promise<WhyProject[]> {
    return this.analysis.why(id, q)
  }

  requirers(id: string, q?: RequirersQuery): Promise<PackageUse[]> {
    return this.analysis.requirers(id, q)
  }

  unsatisfied(q?: ProjectScope): Promise<UnsatisfiedRange[]> {
    return this.analysis.unsatisfied(q)
  }

  cycles(q?: ProjectScope): Promise<DependencyCycle[]> {
    return this.analysis.cycles(q)
  }

  unreachable(q?: ProjectScope): Promise<UnreachableLock[]> {
    return this.analysis.unreachable(q)
  }

  drift(q?: DriftQuery): Promise<Drift[]> {
    return this.analysis.drift(q)
  }

  async close(): Promise<void> {}
}
