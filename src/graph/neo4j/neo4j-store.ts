/**
 * The Neo4j GraphStore: the team graph every machine syncs into. It answers the port's questions
 * with the same rows, in the same order, as the memory adapter (test/contract runs one suite on
 * both, plus a property test on random graphs). This folder is the only place that imports
 * neo4j-driver; src/graph/open.ts imports this module lazily.
 *
 * Model (cypher/ holds every statement, one per file, with a header comment):
 *   (:Machine {name, seq, auditCount, auditHead, auditAnchoredAt})-[:KNOWS {machine, digest, name, license, ...}]->(:Version {key, id, version})
 *   (:Version)-[:OF]->(:Package {id}), (:Version)-[:REQUIRES {range, machine}]->(:Package)
 *   (:Project {key, path, name, team, owner, machine, digest})-[:REQUIRES {range, optional, tier, env}]->(:Package)
 *   (:Project)-[:LOCKS {direct, integrity, installed_at, dependencies}]->(:Version)
 *   (:Version)-[:DEPENDS_ON {project, machine}]->(:Version)   resolved, one edge per project
 *   (:Advisory {id})-[:AFFECTS {machine}]->(:Version)
 * Version and Package nodes are shared; what a machine says about a version (metadata, ranges)
 * is kept on its own KNOWS / REQUIRES edges and merged when read: machines in order of their first
 * sync, first non-empty value wins - the memory adapter's rule. A resolved edge belongs to the
 * project whose key it carries (traversals for one project follow its DEPENDS_ON edges).
 *
 * load() (= `packs graph sync`): nodes go in as `UNWIND $rows MERGE` batches behind uniqueness
 * constraints; the edges a version or a project owns are replaced as a whole (deleted from the
 * owner's side, then created: MERGE of edges into dense nodes grows quadratic in a transaction).
 * One read first gives the digests of what this machine synced last time, so only versions and
 * projects that changed are rewritten. Every project node is stamped with the run id; prune
 * statements then delete this machine's projects the run did not stamp, the versions it no longer
 * knows, and shared nodes nothing refers to any more. Other machines' rows are never touched.
 * Managed transactions retry transient errors only; every batch is idempotent.
 * (:Deprecation {key, machine, kind, id, range, message, replacement, user, at}) holds each
 * machine's deprecation overlay records (pruned like the rest); deprecations() reads them all.
 * The Machine node also holds the team copy of the machine's audit anchor (src/core/audit-team.ts):
 * written after load() by `graph sync`, forward only.
 *
 * Semver work (sorting versions, range satisfaction and intersection) happens here in TypeScript
 * with the same helpers the memory adapter uses; Cypher only selects rows. The analysis questions
 * (AnalysisQueries) go further: ./analysis.ts turns their rows into project rows and runs the
 * memory adapter's own finishing code (MemoryAnalysis) on them, so both answer alike by
 * construction.
 */
import {randomUUID} from 'node:crypto'
import neo4j, {type Driver, type ManagedTransaction, type Record as Neo4jRecord, type Session} from 'neo4j-driver'
import type {AnchorPoint, TeamAnchor} from '../../audit/anchor.js'
import {PacksError} from '../../domain/errors.js'
import type {DeprecationRecord} from '../../registry/deprecations.js'
import {byIdThenVersion, compareVersions, rangesIntersect, satisfies} from '../../resolve/versions.js'
import type {
  AdvisoryHit,
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
  QueryResult as PortQueryResult,
  RequirersQuery,
  StoreCapabilities,
  SyncStats,
  TreeQuery,
  UnreachableLock,
  UnsatisfiedRange,
  WhyProject,
  WhyQuery,
} from '../graph-store.js'
import type {AdvisoryRow, GraphSnapshot, PackageRow, ProjectRow, VersionRow} from '../model.js'
import type {Neo4jSettings} from '../open.js'
import {environment} from '../../util/environment.js'
import {byHit} from '../memory/version-order.js'
import {cyclesFrom, driftFrom, projectOf, refFrom, requirersFrom, treeFrom, unreachableFrom, unsatisfiedFrom, whyFrom} from './analysis.js'
import {bodyOf, cypher, cypherFolder, type Statement, type StatementName} from './cypher.js'
import {connectionError, queryError} from './errors.js'
import {byMachineOrder, mergeMeta, snapshotRows, snapshotStats, VERSION_META, writePhases, type MachineMeta, type VersionMeta} from './rows.js'
import {asBoolean, asList, asMap, asNumber, asString, asStringList, field, toParam, toPlain, type Plain} from './values.js'

/** rows per write transaction */
export const BATCH_SIZE = environment().neo4j.batchSize

export interface LoadProgress {
  (phase: string, done: number, total: number): void
}

export interface LoadOptions {
  /** progress of the write phases (rows written / rows to write) */
  progress?: LoadProgress
  /** rewrite every row, even those unchanged since the machine's last sync */
  full?: boolean
}

/** what the last load() wrote */
export interface LoadDetails {
  versionsWritten: number
  versionsDropped: number
  projectsWritten: number
  full: boolean
  /** the stamp of this sync (Machine.lastSynced); resumeSync takes it back */
  runId: string
}

/** the port's QueryResult with the values as the adapter converts them; serverMs: until the first record was available + until all were consumed */
export interface QueryResult extends PortQueryResult {
  rows: Record<string, Plain>[]
}

export interface MachineInfo {
  name: string
  seq: number
  syncedAt?: string
  projects: number
  versions: number
}

type Params = Record<string, unknown>

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const byMachinePath = (a: ProjectRef, b: ProjectRef) => cmp(a.machine, b.machine) || cmp(a.path, b.path)

/** a ProjectScope as the analysis statements' $project / $machine (a project key wins; an empty machine is any) */
const scopeParams = (q: ProjectScope): {project: string | null; machine: string | null} => ({project: q.projectKey ?? null, machine: q.projectKey !== undefined ? null : q.machine || null})

/** KNOWS-edge maps (`k {.name, ..., _seq, _machine}`) -> per-machine metadata */
function machineMetas(list: Plain[]): MachineMeta[] {
  return list.map((x) => {
    const m = asMap(x)
    const meta: Record<string, unknown> = {}
    for (const f of VERSION_META) {
      const v = m[f]
      if (v === null || v === undefined) continue
      meta[f] = f === 'quality_score' || f === 'size' ? asNumber(v) : f === 'production_ready' || f === 'yanked' ? asBoolean(v) : String(v)
    }
    return {seq: asNumber(m._seq) ?? 0, machine: String(m._machine ?? ''), meta: meta as VersionMeta}
  })
}

export class Neo4jGraphStore implements GraphStore {
  readonly name = 'neo4j' as const
  readonly capabilities: StoreCapabilities = {
    scope: 'team',
    multiMachine: true,
    query: true,
    auditAnchors: true,
    syncHint: 'Sync this machine first: ggen packs graph sync',
  }
  /** server-side time (ms) of the last run of each statement, for benchmarks */
  readonly timings = new Map<string, number>()
  /** wall time (ms) spent in each write statement since connect, summed over batches, for benchmarks */
  readonly writeTimings = new Map<string, number>()
  lastLoad?: LoadDetails

  private constructor(
    private readonly driver: Driver,
    readonly settings: Neo4jSettings,
  ) {}

  /** connect, verify credentials, and apply the schema migrations (idempotent) */
  static async connect(settings: Neo4jSettings): Promise<Neo4jGraphStore> {
    let driver: Driver
    try {
      driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
        connectionTimeout: environment().neo4j.connectTimeoutMs,
        connectionAcquisitionTimeout: 60_000,
        maxTransactionRetryTime: 30_000,
        userAgent: 'ggen-packs',
      })
    } catch (e) {
      throw connectionError(e, settings) ?? new PacksError('E_NEO4J', `cannot use Neo4j at ${settings.uri}: ${(e as Error).message}`, {hint: 'Check GGEN_NEO4J_URI (bolt://HOST:7687).', cause: e})
    }
    const store = new Neo4jGraphStore(driver, settings)
    try {
      // fails fast: managed transactions would retry an unreachable server for maxTransactionRetryTime
      await driver.verifyConnectivity({database: settings.database})
      await store.migrate()
    } catch (e) {
      await driver.close().catch(() => {})
      throw connectionError(e, settings) ?? e
    }
    return store
  }

  /**
   * Apply cypher/schema/* in file order (constraints and indexes, all IF NOT EXISTS). One read
   * first: when every index the files name exists and is online, nothing is run.
   */
  async migrate(): Promise<void> {
    const files = cypherFolder('schema')
    const present = new Map((await this.read('read/schema-indexes')).map((r) => [String(field(r, 'name')), String(field(r, 'state'))]))
    const done = files.every((f) => {
      const s = schemaChange(f)
      return !s || (s.drop ? !present.has(s.name) : present.get(s.name) === 'ONLINE')
    })
    if (done) return
    const session = this.session('WRITE')
    try {
      for (const s of files) await session.executeWrite((tx) => tx.run(s.text))
    } finally {
      await session.close()
    }
  }

  private session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({database: this.settings.database, defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE})
  }

  /** run one read statement; records are read by alias by the caller */
  private async read(name: StatementName, params: Params = {}): Promise<Neo4jRecord[]> {
    const s = cypher(name)
    const session = this.session('READ')
    try {
      const res = await session.executeRead((tx) => tx.run(s.text, params))
      this.timings.set(name, Number(res.summary.resultAvailableAfter) + Number(res.summary.resultConsumedAfter))
      return res.records
    } catch (e) {
      throw connectionError(e, this.settings) ?? e
    } finally {
      await session.close()
    }
  }

  private async writeIn(tx: ManagedTransaction, s: Statement, params: Params): Promise<Neo4jRecord[]> {
    const t0 = Date.now()
    const res = await tx.run(s.text, params)
    this.writeTimings.set(s.name, (this.writeTimings.get(s.name) ?? 0) + Date.now() - t0)
    return res.records
  }

  /** run a write statement over `rows` in batches, one managed transaction per batch */
  private async writeBatches(session: Session, name: StatementName, rows: Record<string, unknown>[], params: Params, progress?: (done: number) => void): Promise<void> {
    const s = cypher(name)
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      const batch = rows.slice(i, i + BATCH_SIZE)
      await session.executeWrite((tx) => this.writeIn(tx, s, {...params, rows: batch}))
      progress?.(Math.min(i + BATCH_SIZE, rows.length))
    }
  }

  private async writeOne(session: Session, name: StatementName, params: Params): Promise<Neo4jRecord[]> {
    const s = cypher(name)
    return session.executeWrite((tx) => this.writeIn(tx, s, params))
  }

  /**
   * Sync: replace everything `snapshot.machine` contributed with the snapshot. Other machines'
   * projects and knowledge are untouched. One read first (what this machine synced last time, with
   * digests): versions and projects whose digest is unchanged are not rewritten, so re-running with
   * nothing changed writes only the project stamps. `full` rewrites every row regardless.
   * Statistics are counted from the snapshot, as the memory adapter counts them; `pruned` is the
   * number of this machine's projects removed. `lastLoad` tells what was written.
   */
  async load(snapshot: GraphSnapshot, opts: LoadOptions = {}): Promise<SyncStats> {
    const machine = snapshot.machine
    const runId = `${new Date().toISOString()}#${randomUUID()}`
    const base = {machine, runId}
    const rows = snapshotRows(snapshot)
    const before = {projects: new Map<string, string | undefined>(), versions: new Map<string, string | undefined>()}
    for (const r of await this.read('read/machine-state', {machine})) {
      const kind = field(r, 'kind') === 'project' ? before.projects : before.versions
      kind.set(String(field(r, 'key')), asString(field(r, 'digest')))
    }
    const changed = <T extends {key: string; digest: string}>(list: T[], prev: Map<string, string | undefined>) => (opts.full ? list : list.filter((x) => prev.get(x.key) !== x.digest))
    const versions = changed(rows.versions, before.versions)
    const projects = changed(rows.projects, before.projects)
    const current = new Set(rows.versions.map((v) => v.key))
    const staleVersions = [...before.versions.keys()].filter((k) => !current.has(k))
    const phases = writePhases(rows, versions, projects)
    const total = phases.reduce((n, [, r]) => n + r.length, 0)
    let done = 0
    const session = this.session('WRITE')
    try {
      await this.writeOne(session, 'write/010-machine', {...base, syncedAt: new Date().toISOString()})
      for (const [name, r, label] of phases) {
        const offset = done
        await this.writeBatches(session, name, r, paramsFor(name, base), (n) => {
          done = offset + n
          opts.progress?.(`writing ${label}`, done, total)
        })
      }
      opts.progress?.('pruning stale rows', done, total)
      for (let i = 0; i < staleVersions.length; i += BATCH_SIZE) await this.writeOne(session, 'write/091-prune-versions', {machine, keys: staleVersions.slice(i, i + BATCH_SIZE)})
      let pruned = 0
      for (const name of PRUNE) {
        const recs = await this.writeOne(session, name, paramsFor(name, base))
        if (name === 'write/095-prune-projects') pruned = asNumber(field(recs[0]!, 'pruned')) ?? 0
      }
      this.lastLoad = {versionsWritten: versions.length, versionsDropped: staleVersions.length, projectsWritten: projects.length, full: opts.full === true, runId}
      return snapshotStats(snapshot, pruned)
    } catch (e) {
      throw connectionError(e, this.settings) ?? e
    } finally {
      await session.close()
    }
  }

  /**
   * A sync with nothing to write (graph sync's nothing-changed check): true, with the machine
   * marked as seen, when its last sync in the team graph is still the one stamped `runId`; false
   * when another sync of this machine name came after it, or none is known (then sync in full).
   */
  async resumeSync(machine: string, runId: string): Promise<boolean> {
    const session = this.session('WRITE')
    try {
      const recs = await this.writeOne(session, 'write/012-machine-resume', {machine, runId, syncedAt: new Date().toISOString()})
      return recs.length > 0
    } catch (e) {
      throw connectionError(e, this.settings) ?? e
    } finally {
      await session.close()
    }
  }

  async projects(q: ListQuery = {}): Promise<ProjectRef[]> {
    const recs = await this.read('read/projects', {machine: q.machine ?? null})
    return recs.map(projectOf).sort(byMachinePath)
  }

  async listInstalled(q: ListQuery = {}): Promise<InstalledVersion[]> {
    const machine = q.machine ?? null
    const refs = new Map((await this.read('read/projects', {machine})).map((r) => [String(field(r, 'key')), projectOf(r)]))
    const recs = await this.read('read/installed', {machine})
    const out: InstalledVersion[] = []
    for (const rec of recs) {
      const id = String(field(rec, 'id'))
      const version = String(field(rec, 'version'))
      const metas = machineMetas(asList(field(rec, 'meta')))
      const meta = mergeMeta(metas)
      const projects: ProjectRef[] = []
      let lastUsed: string | undefined
      for (const u of asList(field(rec, 'uses')).map(asMap)) {
        const ref = refs.get(String(u.key))
        if (ref) projects.push(ref)
        const at = asString(u.at)
        if (at && (!lastUsed || at > lastUsed)) lastUsed = at
      }
      out.push({
        id,
        version,
        name: meta.name ?? id,
        ...(meta.author !== undefined ? {author: meta.author} : {}),
        ...(meta.license !== undefined ? {license: meta.license} : {}),
        ...(meta.quality_score !== undefined ? {quality_score: meta.quality_score} : {}),
        ...(meta.production_ready !== undefined ? {production_ready: meta.production_ready} : {}),
        ...(meta.size !== undefined ? {size: meta.size} : {}),
        ...(meta.integrity !== undefined ? {integrity: meta.integrity} : {}),
        ...(meta.description !== undefined ? {description: meta.description} : {}),
        ...(meta.source !== undefined ? {source: meta.source} : {}),
        ...(q.localMachine !== undefined ? {store_entry: metas.find((m) => m.machine === q.localMachine)?.meta.store_entry ?? null} : {}),
        deprecated: meta.deprecated ?? null,
        yanked: meta.yanked ?? false,
        projects: projects.sort(byMachinePath),
        ...(lastUsed ? {last_used: lastUsed} : {}),
      })
    }
    return out.sort(byIdThenVersion)
  }

  async dependents(id: string, q: DependentsQuery = {}): Promise<DependentsResult> {
    // sequential on purpose: one pooled connection serves both (a second would cost a handshake)
    const projRecs = await this.read('read/dependent-projects', {id, machine: q.machine || null, team: q.team || null, owner: q.owner || null, transitive: q.transitive === true})
    const pkgRecs = await this.read('read/dependent-packages', {id})
    const projects: ProjectDependent[] = []
    for (const rec of projRecs) {
      const version = String(field(rec, 'version'))
      if (q.range && !satisfies(version, q.range)) continue
      projects.push({project: projectOf(rec), version, direct: field(rec, 'direct') === true})
    }
    projects.sort((a, b) => byMachinePath(a.project, b.project))
    const packages: PackageDependent[] = []
    for (const rec of pkgRecs) {
      const range = String(field(rec, 'range'))
      if (q.range && !rangesIntersect(range, q.range)) continue
      packages.push({id: String(field(rec, 'id')), version: String(field(rec, 'version')), range})
    }
    packages.sort((a, b) => byIdThenVersion(a, b) || compareVersions(a.range, b.range))
    return {projects, packages}
  }

  async projectLocks(q: ProjectLocksQuery = {}): Promise<ProjectLocks[]> {
    const recs = await this.read('read/project-locks', {...scopeParams(q), team: q.team || null})
    const byId = (a: {id: string}, b: {id: string}) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    return recs
      .map((r) => ({project: projectOf(r), locks: asList(field(r, 'locks')).map(asMap).map((l) => ({id: String(l.id), version: String(l.version), direct: l.direct === true})).sort(byId)}))
      .sort((a, b) => byMachinePath(a.project, b.project))
  }

  async advisoryHits(q: ProjectScope = {}): Promise<AdvisoryHit[]> {
    const recs = await this.read('read/advisory-hits', scopeParams(q))
    return recs
      .map((r): AdvisoryHit => {
        const summary = asString(field(r, 'summary'))
        const severity = asString(field(r, 'severity'))
        const score = asNumber(field(r, 'score'))
        return {
          id: String(field(r, 'id')),
          ...(summary ? {summary} : {}),
          ...(severity ? {severity} : {}),
          aliases: asStringList(field(r, 'aliases')) ?? [],
          ...(score !== undefined ? {score} : {}),
          package: String(field(r, 'package')),
          version: String(field(r, 'version')),
          projects: asList(field(r, 'projects')).map(asMap).map(refFrom).sort(byMachinePath),
        }
      })
      .sort(byHit)
  }

  /** the team's bundles (src/core/bundle-sync.ts): name, the bundle as JSON text, the machine that owns it; by name */
  async teamBundles(): Promise<TeamBundleRow[]> {
    const recs = await this.read('read/bundles')
    return recs.map((r) => ({name: String(field(r, 'name')), json: String(field(r, 'json')), machine: String(field(r, 'machine'))})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** replace the bundles `machine` owns with `rows` (write, then prune what it no longer holds) */
  async writeTeamBundles(machine: string, rows: {name: string; json: string; teams: string[]; enforcement: string; updated_at: string | null}[]): Promise<{written: number; pruned: number}> {
    const runId = `${new Date().toISOString()}#${randomUUID()}`
    const session = this.session('WRITE')
    try {
      const w = rows.length ? await this.writeOne(session, 'write/060-bundles', {machine, runId, rows}) : []
      const p = await this.writeOne(session, 'write/061-prune-bundles', {machine, runId})
      return {written: asNumber(w[0] ? field(w[0], 'written') : 0) ?? 0, pruned: asNumber(field(p[0]!, 'pruned')) ?? 0}
    } catch (e) {
      throw connectionError(e, this.settings) ?? e
    } finally {
      await session.close()
    }
  }

  /** every machine's deprecation and yank records (synced from their overlays) */
  async deprecations(): Promise<DeprecationRecord[]> {
    return (await this.read('read/deprecations')).map((r) => ({
      kind: field(r, 'kind') === 'yank' ? 'yank' : 'deprecate',
      id: String(field(r, 'id')),
      range: String(field(r, 'range')),
      message: asString(field(r, 'message')) ?? null,
      replacement: asString(field(r, 'replacement')) ?? null,
      user: String(field(r, 'user')),
      at: String(field(r, 'at')),
      machine: String(field(r, 'machine')),
    }))
  }

  /** the team copy of a machine's audit anchor (src/core/audit-team.ts), null when it has none */
  async auditAnchor(machine: string): Promise<TeamAnchor | null> {
    const rec = (await this.read('read/audit-anchor', {machine}))[0]
    if (!rec) return null
    const anchoredAt = asString(field(rec, 'anchoredAt'))
    return {count: asNumber(field(rec, 'count')) ?? 0, head: String(field(rec, 'head')), ...(anchoredAt ? {anchoredAt} : {})}
  }

  /** the last entry of a machine in the team audit trail (null: none yet) */
  async auditTrailHead(machine: string): Promise<{seq: number; hash: string} | null> {
    const rec = (await this.read('read/audit-head', {machine}))[0]
    return rec ? {seq: asNumber(field(rec, 'seq')) ?? 0, hash: String(field(rec, 'hash'))} : null
  }

  /** the team audit trail: each entry's JSON text, by machine then seq */
  async auditTrail(q: {machine?: string; team?: string} = {}): Promise<{machine: string; seq: number; json: string}[]> {
    const recs = await this.read('read/audit-entries', {machine: q.machine ?? null, team: q.team ?? null})
    return recs.map((r) => ({machine: String(field(r, 'machine')), seq: asNumber(field(r, 'seq')) ?? 0, json: String(field(r, 'json'))}))
  }

  /** append entries to the team trail (existing keys are never rewritten); returns how many rows were sent */
  async appendAuditTrail(machine: string, rows: {seq: number; hash: string; prev_hash: string; timestamp: string; action: string; user: string; result: string; project: string | null; team: string | null; json: string}[]): Promise<number> {
    if (rows.length === 0) return 0
    const session = this.session('WRITE')
    try {
      await this.writeBatches(session, 'write/070-audit-entries', rows.map((r) => ({...r, key: `${machine}#${r.seq}`})), {machine})
      return rows.length
    } catch (e) {
      throw connectionError(e, this.settings) ?? e
    } finally {
      await session.close()
    }
  }

  /** move the team copy of a machine's audit anchor forward; false when the stored one is further along */
  async writeAuditAnchor(machine: string, point: AnchorPoint): Promise<boolean> {
    const session = this.session('WRITE')
    try {
      const recs = await this.writeOne(session, 'write/011-audit-anchor', toParam({machine, count: point.count, head: point.head, anchoredAt: new Date().toISOString()}) as Params)
      return recs.length > 0
    } catch (e) {
      throw connectionError(e, this.settings) ?? e
    } finally {
      await session.close()
    }
  }

  /** the machines that synced into this graph (first-synced first) */
  async machines(): Promise<MachineInfo[]> {
    const recs = await this.read('read/machines')
    return recs.map((r) => ({
      name: String(field(r, 'name')),
      seq: asNumber(field(r, 'seq')) ?? 0,
      ...(asString(field(r, 'syncedAt')) ? {syncedAt: asString(field(r, 'syncedAt'))} : {}),
      projects: asNumber(field(r, 'projects')) ?? 0,
      versions: asNumber(field(r, 'versions')) ?? 0,
    }))
  }

  /**
   * The graph read back as a snapshot (for export): one machine's projects and knowledge, or the
   * whole team graph (`machine: '*'`). Version metadata and ranges are merged in machine order.
   */
  async snapshot(q: ListQuery = {}): Promise<GraphSnapshot> {
    const machine = q.machine ?? null
    const [pkgRecs, verRecs, projRecs, advRecs] = [
      await this.read('read/snapshot-packages'),
      await this.read('read/snapshot-versions', {machine}),
      await this.read('read/snapshot-projects', {machine}),
      await this.read('read/snapshot-advisories'),
    ]
    const versions: VersionRow[] = verRecs.map((r) => {
      const metas = machineMetas(asList(field(r, 'meta')))
      const meta = mergeMeta(metas)
      const first = [...metas].sort(byMachineOrder)[0]?.machine
      const requires: Record<string, string> = {}
      for (const x of asList(field(r, 'requires')).map(asMap)) {
        if (x.package !== null && x.machine === first) requires[String(x.package)] = String(x.range)
      }
      const row: VersionRow = {id: String(field(r, 'id')), version: String(field(r, 'version')), requires}
      for (const [k, v] of Object.entries(meta)) if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v
      return row
    })
    const projects: ProjectRow[] = projRecs.map((r) => {
      const row: ProjectRow = {
        key: String(field(r, 'key')),
        path: String(field(r, 'path')),
        name: String(field(r, 'name')),
        machine: String(field(r, 'machine')),
        requires: asList(field(r, 'requires'))
          .map(asMap)
          .map((x) => ({
            id: String(x.id),
            range: String(x.range),
            ...(asBoolean(x.optional) !== undefined ? {optional: asBoolean(x.optional)} : {}),
            ...(asString(x.tier) ? {tier: asString(x.tier)} : {}),
            ...(asStringList(x.env) ? {env: asStringList(x.env)} : {}),
          }))
          .sort((a, b) => cmp(a.id, b.id)),
        locks: asList(field(r, 'locks'))
          .map(asMap)
          .map((x) => ({
            id: String(x.id),
            version: String(x.version),
            direct: x.direct === true,
            ...(asString(x.integrity) ? {integrity: asString(x.integrity)} : {}),
            ...(asString(x.installed_at) ? {installed_at: asString(x.installed_at)} : {}),
            dependencies: asStringList(x.dependencies) ?? [],
          }))
          .sort((a, b) => cmp(a.id, b.id)),
      }
      for (const k of ['team', 'owner', 'environment'] as const) {
        const v = asString(field(r, k))
        if (v) row[k] = v
      }
      return row
    })
    const wantedPackages = new Set<string>()
    for (const v of versions) {
      wantedPackages.add(v.id)
      for (const d of Object.keys(v.requires)) wantedPackages.add(d)
    }
    for (const p of projects) {
      for (const r of p.requires) wantedPackages.add(r.id)
      for (const l of p.locks) wantedPackages.add(l.id)
    }
    const packages: PackageRow[] = []
    for (const r of pkgRecs) {
      const id = String(field(r, 'id'))
      if (machine !== null && !wantedPackages.has(id)) continue
      const row: PackageRow = {id, name: asString(field(r, 'name')) ?? id}
      for (const k of ['description', 'author', 'license', 'category'] as const) {
        const v = asString(field(r, k))
        if (v !== undefined) row[k] = v
      }
      const kw = asStringList(field(r, 'keywords'))
      if (kw) row.keywords = kw
      packages.push(row)
    }
    const known = new Set(versions.map((v) => `${v.id}@${v.version}`))
    const advisories: AdvisoryRow[] = []
    for (const r of advRecs) {
      const affects = (asStringList(field(r, 'affects')) ?? []).filter((k) => machine === null || known.has(k)).sort()
      if (affects.length === 0) continue
      advisories.push({
        id: String(field(r, 'id')),
        package: String(field(r, 'package')),
        affects,
        ...(asString(field(r, 'summary')) ? {summary: asString(field(r, 'summary'))} : {}),
        ...(asString(field(r, 'severity')) ? {severity: asString(field(r, 'severity'))} : {}),
        ...(asStringList(field(r, 'aliases')) ? {aliases: asStringList(field(r, 'aliases'))} : {}),
        ...(asNumber(field(r, 'score')) !== undefined ? {score: asNumber(field(r, 'score'))} : {}),
      })
    }
    return {
      machine: machine ?? '*',
      packages: packages.sort((a, b) => cmp(a.id, b.id)),
      versions: versions.sort((a, b) => cmp(a.id, b.id) || cmp(a.version, b.version)),
      projects: projects.sort((a, b) => cmp(a.machine, b.machine) || cmp(a.path, b.path)),
      advisories: advisories.sort((a, b) => cmp(a.id, b.id)),
    }
  }

  // ---- analysis (AnalysisQueries): cypher/read/analysis-*.cypher select the rows, ./analysis.ts
  // finishes them with the memory adapter's code. Scopes follow the memory adapter: an empty
  // machine, team or owner filters nothing; a project key selects that project alone.

  async tree(projectKey: string, q: TreeQuery = {}): Promise<ProjectGraph | null> {
    return treeFrom(await this.read('read/analysis-tree', {project: projectKey}), projectKey, q)
  }

  async why(id: string, q: WhyQuery = {}): Promise<WhyProject[]> {
    return whyFrom(await this.read('read/analysis-why', {id, ...scopeParams(q)}), id, q)
  }

  async requirers(id: string, q: RequirersQuery = {}): Promise<PackageUse[]> {
    return requirersFrom(await this.read('read/analysis-requirers', {id, ...scopeParams(q), team: q.team || null, owner: q.owner || null}))
  }

  async unsatisfied(q: ProjectScope = {}): Promise<UnsatisfiedRange[]> {
    return unsatisfiedFrom(await this.read('read/analysis-unsatisfied', scopeParams(q)))
  }

  async cycles(q: ProjectScope = {}): Promise<DependencyCycle[]> {
    return cyclesFrom(await this.read('read/analysis-cycles', scopeParams(q)))
  }

  async unreachable(q: ProjectScope = {}): Promise<UnreachableLock[]> {
    return unreachableFrom(await this.read('read/analysis-unreachable', scopeParams(q)))
  }

  async drift(q: DriftQuery = {}): Promise<Drift[]> {
    return driftFrom(await this.read('read/analysis-drift', {machine: q.machine || null, team: q.team || null, owner: q.owner || null, ids: q.ids ?? null}))
  }

  /** the team graph as snapshots: one per machine in first-sync order, and the merged whole */
  async snapshots(q: {machine?: string} = {}): Promise<GraphSnapshots> {
    const machines = (await this.machines()).map((m) => m.name).filter((m) => !q.machine || m === q.machine)
    const snapshots: GraphSnapshot[] = []
    for (const machine of machines) snapshots.push(await this.snapshot({machine}))
    const merged = q.machine ? (snapshots[0] ?? (await this.snapshot({machine: q.machine}))) : await this.snapshot()
    return {snapshots, merged}
  }

  /** the port's ad-hoc query (capability `query`): see query() */
  runQuery(cypher: string, params: Params = {}): Promise<QueryResult> {
    return this.query(cypher, params)
  }

  /**
   * Ad-hoc read-only Cypher (`packs query`): a READ session and a read transaction, so the server
   * refuses any write; that refusal becomes PacksError E_READ_ONLY. Values come back as plain JSON.
   */
  async query(text: string, params: Params = {}): Promise<QueryResult> {
    const session = this.session('READ')
    try {
      const res = await session.executeRead(async (tx) => {
        const result = tx.run(text, toParam(params) as Params)
        const keys = await result.keys()
        const {records, summary} = await result
        return {keys, records, summary}
      })
      const columns = res.keys.map(String)
      const rows = res.records.map((rec) => Object.fromEntries(columns.map((k) => [k, toPlain(rec.get(k))])))
      return {columns, rows, serverMs: Number(res.summary.resultAvailableAfter) + Number(res.summary.resultConsumedAfter)}
    } catch (e) {
      throw queryError(e, this.settings)
    } finally {
      await session.close()
    }
  }

  async close(): Promise<void> {
    await this.driver.close()
  }
}

export interface TeamBundleRow {
  name: string
  json: string
  machine: string
}

const PRUNE: StatementName[] = [
  'write/093-prune-affects',
  'write/094-prune-deprecations',
  'write/095-prune-projects',
  'write/096-prune-orphan-versions',
  'write/097-prune-orphan-advisories',
  'write/098-prune-orphan-packages',
]

/** the index or constraint a schema statement creates (`CREATE INDEX name IF NOT EXISTS`) or drops (`DROP INDEX name IF EXISTS`) */
function schemaChange(s: Statement): {name: string; drop: boolean} | undefined {
  const m = /\b(CREATE|DROP)\s+(?:CONSTRAINT|INDEX)\s+([A-Za-z_][A-Za-z0-9_]*)\s+IF\s+(?:NOT\s+)?EXISTS/i.exec(bodyOf(s))
  return m ? {name: m[2]!, drop: m[1]!.toUpperCase() === 'DROP'} : undefined
}

/** only the parameters a statement uses (Neo4j ignores extras, but explicit is clearer) */
function paramsFor(name: StatementName, base: {machine: string; runId: string}): Params {
  const text = bodyOf(cypher(name))
  const out: Params = {}
  if (text.includes('$machine')) out.machine = base.machine
  if (text.includes('$runId')) out.runId = base.runId
  return out
}
