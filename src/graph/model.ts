/**
 * The graph snapshot: domain objects flattened into the rows both GraphStore adapters load.
 * Nodes: Package{id}, Version{id, version}, Project{key, path, name, team, owner, machine},
 * Advisory{id}, Bundle{name}. Edges: Version-OF->Package, Version-REQUIRES{range}->Package,
 * Project-REQUIRES{range, env}->Package, Project-LOCKS{direct}->Version,
 * Version-DEPENDS_ON->Version (resolved, per project), Advisory-AFFECTS->Version.
 */
import type {DeprecationRecord} from '../registry/deprecations.js'

/** `${id}@${version}` — the key of a Version node */
import {splitAt} from '../domain/spec.js'
export type VersionKey = string
export const versionKey = (id: string, version: string): VersionKey => `${id}@${version}`
export function splitVersionKey(key: VersionKey): {id: string; version: string} {
  const {id, rest} = splitAt(key)
  return {id, version: rest ?? ''}
}

/**
 * Rows by id, then version: two lookups of strings the rows already hold. A `versionKey` per
 * lookup costs a new string, its flattening and its hash: at 240,000 lock rows (the 100k bench
 * set) that is 2-3x slower than this.
 */
export class VersionMap<T> {
  private byId = new Map<string, Map<string, T>>()

  static of<R extends {id: string; version: string}>(rows: Iterable<R>): VersionMap<R> {
    const m = new VersionMap<R>()
    for (const r of rows) m.set(r.id, r.version, r)
    return m
  }

  get(id: string, version: string): T | undefined {
    return this.byId.get(id)?.get(version)
  }

  set(id: string, version: string, value: T): void {
    let versions = this.byId.get(id)
    if (!versions) this.byId.set(id, (versions = new Map()))
    versions.set(version, value)
  }
}

/** `${machine}:${path}` — projects are keyed by machine and absolute path */
export const projectKey = (machine: string, path: string): string => `${machine}:${path}`

export interface PackageRow {
  id: string
  name: string
  description?: string
  author?: string
  license?: string
  category?: string
  keywords?: string[]
}

export interface VersionRow {
  id: string
  version: string
  /** ranges this version declares: Version-REQUIRES{range}->Package */
  requires: Record<string, string>
  integrity?: string
  license?: string
  quality_score?: number
  production_ready?: boolean
  deprecated?: string | null
  yanked?: boolean
  published_at?: string
  size?: number
  author?: string
  name?: string
  /** what the version is (its registry entry's, or the store index's description) */
  description?: string
  /**
   * where this machine's projects installed it from: a lockfile entry's source (a registry's
   * `url`, a Local source's `path`, `github:org/repo#branch`); the first project, by path, wins
   */
  source?: string
  /**
   * the directory of this machine's store entry for the version (`sha512-<hex>` under
   * $GGEN_HOME/store/v1, from the store index); absent when this machine's store does not hold it
   */
  store_entry?: string
}

export interface ProjectRequire {
  id: string
  range: string
  optional?: boolean
  tier?: string
  env?: string[]
}

export interface ProjectLock {
  id: string
  version: string
  direct: boolean
  integrity?: string
  installed_at?: string
  /** resolved dependency ids (the locked version of each is this project's lock of that id) */
  dependencies: string[]
  /** lockfile source type (Registry, Local, GitHub, ...) when not Registry; embedded backend only */
  source?: string
}

export interface ProjectRow {
  key: string
  path: string
  name: string
  team?: string
  owner?: string
  environment?: string
  machine: string
  requires: ProjectRequire[]
  locks: ProjectLock[]
  /**
   * What the project's files are (embedded backend only; lets file-level checks such as
   * `verify --all` run from the cached snapshot): ggen.toml present, the lockfile's ggen_version.
   */
  files?: {config: boolean; lock: boolean; ggen_version?: string}
}

export interface AdvisoryRow {
  id: string
  summary?: string
  severity?: string
  package: string
  /** version keys affected */
  affects: string[]
  /** the other ids of the vulnerability (CVE, GHSA...), sorted */
  aliases?: string[]
  /** CVSS base score */
  score?: number
}

export interface GraphSnapshot {
  machine: string
  packages: PackageRow[]
  versions: VersionRow[]
  projects: ProjectRow[]
  advisories?: AdvisoryRow[]
  /** this machine's deprecation/yank overlay records (shared through the team graph) */
  deprecations?: DeprecationRecord[]
}
