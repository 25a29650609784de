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

/** one installed version with every project that locks it (list) */
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
  /** sorted by machine, path */
  projects: ProjectRef[]
}

export interface ListQuery {
  machine?: string
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

export interface StoreCapabilities {
  /** true when the store holds several machines' projects (neo4j) */
  multiMachine: boolean
}

export interface GraphStore {
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
  close(): Promise<void>
}
