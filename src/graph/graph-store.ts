/**
 * The GraphStore port. Both adapters (memory: src/graph/memory, neo4j: src/graph/neo4j) answer
 * these questions identically; test/contract runs one suite against both. Results are plain
 * domain rows, sorted deterministically (documented per method) so answers compare equal.
 */
import type {GraphSnapshot} from './model.js'

export interface ProjectRef {
  key: string
  name: string
  path: string
  machine: string
  team?: string
  owner?: string
}

/** one installed version with every project that locks it (list); an optional field the version lacks is absent or undefined (JSON and toEqual treat both alike) */
export interface InstalledVersion {
  id: string
  version: string
  name: string
  author?: string
  license?: string
  quality_score?: number
  production_ready?: boolean
  size?: number
  deprecated?: string | null
  yanked?: boolean
  last_used?: string
  integrity?: string
  description?: string
  /** where it was installed from (VersionRow.source; machines merged in order, first non-empty wins) */
  source?: string
  /**
   * the store entry directory of `ListQuery.localMachine` for the version (VersionRow.store_entry:
   * that machine's own report, never another machine's), null when that machine's store does not
   * hold it; present only when the query names a local machine
   */
  store_entry?: string | null
  /** sorted by machine, path */
  projects: ProjectRef[]
}

export interface ListQuery {
  machine?: string
  /** the machine running the query: listInstalled reports `store_entry` as this machine's store knows it */
  localMachine?: string
}

export interface DependentsQuery {
  /** only consumers of versions satisfying this semver range */
  range?: string
  /** include projects that reach the package only through other packages */
  transitive?: boolean
  team?: string
  owner?: string
  machine?: string
}

export interface ProjectDependent {
  project: ProjectRef
  version: string
  direct: boolean
}

export interface PackageDependent {
  /** a registry/known version that declares a range on the package */
  id: string
  version: string
  range: string
}

export interface DependentsResult {
  /** sorted by project machine, path */
  projects: ProjectDependent[]
  /** sorted by id, version */
  packages: PackageDependent[]
}

export interface SyncStats {
  machine: string
  projects: number
  versions: number
  packages: number
  edges: number
  pruned: number
}

/** the projects `projectLocks` answers about: one (projectKey), one machine's, one team's, or all */
export interface ProjectLocksQuery extends ProjectScope {
  team?: string
}

export interface ProjectLocks {
  project: ProjectRef
  /** sorted by id; `direct`: required by the project's ggen.toml */
  locks: {id: string; version: string; direct: boolean}[]
}

/**
 * What a backend is and can do. Use-cases branch on these, never on the store's name (which is
 * for display only: the `backend` field of JSON answers).
 */
export interface StoreCapabilities {
  /**
   * whose projects an opened store answers for: `machine` = this machine's snapshot (memory,
   * built from the local scan), `team` = every machine that synced (neo4j). Answers name each
   * project's machine only in `team` scope.
   */
  scope: 'machine' | 'team'
  /** load() keeps several machines' snapshots side by side (each load replaces one machine's rows) */
  multiMachine: boolean
  /** runQuery: ad-hoc read-only Cypher (neo4j only) */
  query: boolean
  /** keeps each machine's audit anchor (auditAnchor / writeAuditAnchor: neo4j only) */
  auditAnchors: boolean
  /** what to tell a user whose project is not in the graph */
  syncHint: string
}

/** one locked version an advisory affects (Advisory-AFFECTS->Version), and who locks it */
export interface AdvisoryHit {
  /** the advisory (vulnerability) id */
  id: string
  summary?: string
  severity?: string
  /** its other ids, sorted */
  aliases: string[]
  score?: number
  package: string
  version: string
  /** projects in scope locking package@version; sorted by machine, path */
  projects: ProjectRef[]
}

/** the result of runQuery: columns in RETURN order, rows keyed by column, values plain JSON */
export interface QueryResult {
  columns: string[]
  rows: Record<string, unknown>[]
  /** server-side time (ms) */
  serverMs: number
}

/** the graph as snapshots, for export */
export interface GraphSnapshots {
  /** one per machine, in the order the machines first loaded/synced (the Cypher script replays them in turn) */
  snapshots: GraphSnapshot[]
  /** the same graph as one snapshot (GraphML, JSON); for one machine, that machine's snapshot */
  merged: GraphSnapshot
}

/** the port: the base questions and the dependency analysis (AnalysisQueries, below) */
export interface GraphStore extends AnalysisQueries {
  /** for display (the `backend` field of answers); branch on `capabilities` instead */
  readonly name: 'memory' | 'neo4j'
  readonly capabilities: StoreCapabilities
  /** replace everything this snapshot's machine contributed with the snapshot (idempotent) */
  load(snapshot: GraphSnapshot): Promise<SyncStats>
  /** installed versions with their projects; sorted by id, then semver */
  listInstalled(q?: ListQuery): Promise<InstalledVersion[]>
  /** who uses a package */
  dependents(id: string, q?: DependentsQuery): Promise<DependentsResult>
  /** every project (sorted by machine, path) */
  projects(q?: ListQuery): Promise<ProjectRef[]>
  /** what the store holds, as snapshots (every machine, or only `machine`'s) */
  snapshots(q?: {machine?: string}): Promise<GraphSnapshots>
  /**
   * ad-hoc read-only Cypher with parameters (`capabilities.query`); a store without the
   * capability refuses with E_USAGE
   */
  runQuery(cypher: string, params?: Record<string, unknown>): Promise<QueryResult>
  /** each project in scope with what it locks (compliance: bundle apply --validate-all-projects); sorted by machine, path; locks by id */
  projectLocks(q?: ProjectLocksQuery): Promise<ProjectLocks[]>
  /**
   * every Advisory-AFFECTS->Version edge whose version a project in scope locks, with those
   * projects (the security scan); sorted by package, version (semver), advisory id; projects by
   * machine, path
   */
  advisoryHits(q?: ProjectScope): Promise<AdvisoryHit[]>
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Dependency analysis (issue #4): tree, why, requirers (impact / resolve), unsatisfied ranges,
// cycles, unreachable locks, drift. Part of GraphStore (which extends it); both adapters answer
// them (memory: src/graph/memory/analysis.ts; neo4j: cypher/read/analysis-*.cypher finished by
// src/graph/neo4j/analysis.ts with the same code), and test/contract/analysis-cases.ts runs on both.
//
// Conventions shared by every answer below:
//  - a project's resolved graph: each lock L of project P depends on P's lock of every id in
//    L.dependencies (the lockfile's resolved ids); an id P does not lock is a dangling dependency;
//  - "direct" locks are the ids the project's ggen.toml requires; depth 1 = direct;
//  - a requirer is `ggen.toml` (the project's own range) or a locked version `id@version` whose
//    declared ranges (Version-REQUIRES; first machine that knows the version wins) name the id;
//  - projects sort by machine, then path; ids by code point; versions by semver (non-semver
//    versions after valid ones, by string); requirers `ggen.toml` first, then by id, semver.
// ---------------------------------------------------------------------------------------------

/** a package version as analysis answers name it */
export interface VersionRef {
  id: string
  version: string
}

/** which projects a question covers: one project (by key), one machine's, or all */
export interface ProjectScope {
  /** `machine:path`; when set, `machine` is ignored */
  projectKey?: string
  machine?: string
}

/** a resolved dependency of a lock: the version the same project locks, null when it locks none (dangling) */
export interface ResolvedDependency {
  id: string
  version: string | null
}

export interface ResolvedLock {
  id: string
  version: string
  /** required by the project's ggen.toml */
  direct: boolean
  /** fewest resolved edges from the project to this lock (direct locks: 1); null when unreachable */
  depth: number | null
  /** sorted by id */
  dependencies: ResolvedDependency[]
}

export interface ProjectRequirement {
  id: string
  range: string
  optional: boolean
}

/** one project's resolved graph, the rows `packs tree` nests */
export interface ProjectGraph {
  project: ProjectRef
  /** the project's ggen.toml requirements, sorted by id */
  requires: ProjectRequirement[]
  /** sorted by id; with `depth`, only locks whose depth is at most `depth` */
  locks: ResolvedLock[]
}

export interface TreeQuery {
  /** keep locks at most this many levels below the project (1 = direct only) */
  depth?: number
}

export interface WhyQuery extends ProjectScope {
  /** at most this many paths per project (default 100; the shortest are kept) */
  limit?: number
  /** stop counting paths at this many (default 10,000); `limit: 1, cap: 1` asks for the shortest path alone (dependents) */
  cap?: number
}

export interface WhyProject {
  project: ProjectRef
  /** the version of the package this project locks */
  version: string
  direct: boolean
  /**
   * simple paths of resolved edges from a direct lock to the package, both ends included (a direct
   * package has the path [itself]); sorted by length, then element by element by id
   */
  paths: VersionRef[][]
  /** how many paths there are (counted up to `cap`, default 10,000) */
  count: number
  /** paths were cut at `limit` */
  truncated: boolean
}

export interface Requirer {
  /** `ggen.toml`, or `id@version` of the locked version declaring the range */
  requirer: string
  range: string
}

/** how one project uses a package: what it locks and everything in it that constrains the package */
export interface PackageUse {
  project: ProjectRef
  /** the locked version; null when the project requires the package but does not lock it */
  version: string | null
  direct: boolean
  /** `ggen.toml` first, then locked requirers by id, semver */
  requirers: Requirer[]
}

export interface RequirersQuery extends ProjectScope {
  team?: string
  owner?: string
}

/** a range some requirer declares that the project's lock does not satisfy */
export interface UnsatisfiedRange {
  project: ProjectRef
  /** the required package */
  id: string
  /** what the project locks; null when it locks nothing for a required (non-optional) id */
  locked: string | null
  requirer: string
  range: string
}

export interface DependencyCycle {
  project: ProjectRef
  /** one cycle through the strongly connected component, from its smallest id; the last element depends on the first */
  cycle: VersionRef[]
  /** every lock in the component (ids, sorted) */
  members: string[]
}

export interface UnreachableLock {
  project: ProjectRef
  id: string
  version: string
}

export interface DriftQuery {
  machine?: string
  team?: string
  owner?: string
  /** only these package ids */
  ids?: string[]
}

/** a package locked at more than one version across projects */
export interface Drift {
  id: string
  /** sorted by semver; projects sorted by machine, path */
  versions: {version: string; projects: ProjectRef[]}[]
}

export interface AnalysisQueries {
  /** one project's resolved graph; null when no project has this key */
  tree(projectKey: string, q?: TreeQuery): Promise<ProjectGraph | null>
  /** projects locking `id`, with the paths through which it comes in; sorted by machine, path */
  why(id: string, q?: WhyQuery): Promise<WhyProject[]>
  /** projects that lock or require `id`, with every requirer's range on it; sorted by machine, path */
  requirers(id: string, q?: RequirersQuery): Promise<PackageUse[]>
  /** ranges the locks do not satisfy; sorted by machine, path, id, then requirer */
  unsatisfied(q?: ProjectScope): Promise<UnsatisfiedRange[]>
  /** dependency cycles among a project's locks (one per strongly connected component); sorted by machine, path, first member */
  cycles(q?: ProjectScope): Promise<DependencyCycle[]>
  /** locks no path from the project's direct requirements reaches (projects without requirements report none); sorted by machine, path, id */
  unreachable(q?: ProjectScope): Promise<UnreachableLock[]>
  /** packages locked at two or more versions across the selected projects; sorted by id */
  drift(q?: DriftQuery): Promise<Drift[]>
}
