/**
 * `packs graph sync`: push this machine's view into the team graph. Scan the known projects
 * (plus --root trees), read the store index and the configured registries, build the snapshot
 * (projects keyed by machine and path, lockfiles, every registry version with its ranges) and
 * load it into the store, which replaces what this machine contributed before and prunes the rest.
 * Re-running with nothing changed changes nothing. Also gives the local snapshot to export.
 * A target that keeps team audit anchors (Neo4j) then gets this machine's audit anchor, moved
 * forward only when the local log verifies against the copy it holds (src/core/audit-team.ts).
 * This machine's deprecation overlay goes along (Deprecation nodes); the other machines' records
 * come back into $GGEN_HOME/overlay/team-deprecations.json, which every local reader applies.
 */
import {holdsTeamAnchors, syncAuditAnchor, type AuditAnchorSync} from './audit-team.js'
import {isPacksError} from '../domain/errors.js'
import type {RegistryIndex} from '../domain/schemas.js'
import type {StoreCapabilities, SyncStats} from '../graph/graph-store.js'
import type {GraphSnapshot} from '../graph/model.js'
import {buildSnapshot} from '../graph/snapshot.js'
import {applyToRows, holdsDeprecations, keepTeamRecords, readOverlay} from '../registry/deprecations.js'
import {loadRegistry, registryStamps} from '../registry/source.js'
import {Store} from '../store/store.js'
import {scanWorkspace} from '../workspace/projects.js'
import type {PacksContext} from './context.js'
import {advisoryDbFor, goneWarning, splitGone, statPart, workspaceFingerprint, type ProjectProblem} from './workspace-graph.js'
import {projectDirs} from '../workspace/project-index.js'
import {readTextOrNull, removeFile, writeFileAtomic} from '../formats/fs.js'
import {createHash} from 'node:crypto'

export interface RegistryUse {
  url: string
  /** versions the registry index lists */
  versions: number
  fromCache: boolean
  /** why it could not be read (its versions are then not synced from this machine) */
  error?: string
}

export interface LocalSnapshot {
  snapshot: GraphSnapshot
  problems: ProjectProblem[]
  registries: RegistryUse[]
  /** rows rewritten because they changed since this machine's last sync (neo4j) */
  written?: {versions: number; projects: number; versionsDropped: number; full: boolean}
  /** the team copy of this machine's audit anchor (targets that keep one) */
  audit?: AuditAnchorSync
}

/** what a graph store that keeps team bundles offers (the Neo4j store) */
interface TeamBundleStore {
  writeTeamBundles(machine: string, rows: {name: string; json: string; teams: string[]; enforcement: string; updated_at: string | null}[]): Promise<{written: number; pruned: number}>
}

const holdsTeamBundles = (s: object): s is TeamBundleStore => typeof (s as Partial<TeamBundleStore>).writeTeamBundles === 'function'

/** `graph sync` carries this machine's bundles: one Bundle node each (the bundle as JSON), owned by this machine */
async function syncBundles(ctx: PacksContext, store: TeamBundleStore): Promise<{written: number; pruned: number}> {
  const {listBundles} = await import('../policy/store.js')
  const {bundles, problems} = await listBundles(ctx.paths)
  for (const p of problems) ctx.warn(`bundle not synced: ${p.message}`)
  return store.writeTeamBundles(
    ctx.machine,
    bundles.map((b) => ({name: b.id, json: JSON.stringify(b), teams: b.teams, enforcement: b.enforcement, updated_at: b.updated_at ?? b.created_at})),
  )
}

/** what a sync target must accept: any GraphStore; the Neo4j store also reports write progress */
export interface SyncTarget {
  readonly name: string
  readonly capabilities?: StoreCapabilities
  load(snapshot: GraphSnapshot, opts?: {progress?: (phase: string, done: number, total: number) => void; full?: boolean}): Promise<SyncStats>
  /** what the last load wrote (the Neo4j store: rows rewritten because they changed) and its stamp in the team graph */
  readonly lastLoad?: {versionsWritten: number; versionsDropped: number; projectsWritten: number; full: boolean; runId?: string}
}

export interface GraphSyncResult extends SyncStats {
  backend: string
  durationMs: number
  problems: ProjectProblem[]
  registries: RegistryUse[]
  /** rows rewritten because they changed since this machine's last sync (neo4j) */
  written?: {versions: number; projects: number; versionsDropped: number; full: boolean}
  /** the team copy of this machine's audit anchor (targets that keep one) */
  audit?: AuditAnchorSync
  /** this machine's bundles written to the team graph, and those it owned there and no longer holds (targets that keep bundles) */
  bundles?: {written: number; pruned: number}
}

/**
 * This machine's snapshot: projects (registered + found under `roots`), store metadata, and the
 * registries of the context. A registry that cannot be read online falls back to its cache; one
 * that cannot be read at all is reported (and warned about), not fatal.
 */
export async function localSnapshot(ctx: PacksContext, roots: string[] = [], opts: {registries?: boolean} = {}): Promise<LocalSnapshot> {
  ctx.progress.step('Scanning projects')
  const scan = scanWorkspace(ctx.paths, roots)
  const split = splitGone(scan.projects.filter((p) => p.error).map((p) => ({path: p.path, ...p.error!})))
  const problems = split.problems
  const gone = goneWarning(split.gone)
  if (gone) ctx.warn(gone)
  const indexes: RegistryIndex[] = []
  const registries: RegistryUse[] = []
  if (opts.registries !== false) {
    for (const url of ctx.registries) {
      ctx.progress.step(`Reading registry ${url}`)
      const warnings: string[] = []
      const load = (offline: boolean) => loadRegistry(url, {cacheDir: ctx.paths.registryCache, offline, refresh: ctx.refresh, warn: (m) => warnings.push(m)})
      try {
        let loaded
        try {
          loaded = await load(ctx.offline)
        } catch (error) {
          if (ctx.offline || !isPacksError(error)) throw error
          loaded = await load(true)
          ctx.warn(`registry ${url}: ${error.message}; using the cached index`)
        }
        indexes.push(loaded.index)
        const versions = Object.values(loaded.index.packages).reduce((n, p) => n + Object.keys(p.versions).length, 0)
        registries.push({url, versions, fromCache: loaded.fromCache})
      } catch (error) {
        const message = (error as Error).message
        ctx.warn(`registry ${url} skipped: ${message}`)
        registries.push({url, versions: 0, fromCache: false, error: message})
      }
      for (const w of warnings) ctx.warn(w)
    }
  }
  ctx.progress.step('Building the graph')
  const snapshot = buildSnapshot({machine: ctx.machine, projects: scan.projects, store: new Store(ctx.paths).readIndex(), registries: indexes, advisories: advisoryDbFor(ctx)})
  // this machine's overlay: on its version rows and, as records, for the team's readers
  const own = readOverlay(ctx.paths)
  applyToRows(snapshot.versions, own)
  if (own.length) snapshot.deprecations = own
  return {snapshot, problems, registries}
}

/** what a target that can skip a nothing-changed sync offers (the Neo4j store) */
interface ResumableTarget {
  resumeSync(machine: string, runId: string): Promise<boolean>
}
const canResume = (t: object): t is ResumableTarget => typeof (t as Partial<ResumableTarget>).resumeSync === 'function'

const LAST_SYNC_FORMAT = 'ggen-packs-last-sync/1'

/** what a sync's local side reads, as one digest: every project's files, the store index, the advisory database, the overlay, the registries (null: a registry would be fetched) */
function syncInputs(ctx: PacksContext, roots: string[]): string | null {
  const h = createHash('sha256')
  h.update(`${LAST_SYNC_FORMAT}\n${ctx.machine}\n${workspaceFingerprint(ctx, projectDirs(ctx.paths, roots))}\noverlay ${statPart(ctx.paths.deprecations)}\n`)
  const stamps = registryStamps(ctx.registries, {cacheDir: ctx.paths.registryCache, offline: ctx.offline, refresh: ctx.refresh})
  if (stamps === null) return null
  for (const [url, stamp] of stamps) h.update(`registry ${url} ${stamp}\n`)
  return h.digest('hex')
}

/** the record of the last sync that wrote in full: its inputs, its stamp in the team graph, and what it reported */
interface LastSync {
  format: typeof LAST_SYNC_FORMAT
  inputs: string
  runId: string
  stats: SyncStats
  problems: ProjectProblem[]
  registries: RegistryUse[]
}

function readLastSync(ctx: PacksContext): LastSync | null {
  try {
    const raw = JSON.parse(readTextOrNull(ctx.paths.lastSync) ?? 'null') as LastSync | null
    return raw?.format === LAST_SYNC_FORMAT && typeof raw.inputs === 'string' && typeof raw.runId === 'string' && raw.stats && Array.isArray(raw.problems) && Array.isArray(raw.registries) ? raw : null
  } catch {
    return null // a cache: the sync runs in full
  }
}

function keepLastSync(ctx: PacksContext, record: LastSync | null): void {
  try {
    if (record) writeFileAtomic(ctx.paths.lastSync, JSON.stringify(record))
    else removeFile(ctx.paths.lastSync)
  } catch (error) {
    // a read-only $GGEN_HOME syncs in full every time; an injected fault counts as a write step
    if (isPacksError(error) && error.code === 'E_INJECTED') throw error
  }
}

/**
 * Sync this machine into `target`. Nothing changed since this machine's last sync (the same
 * project files, store index, advisories, overlay and registry indexes, and the team graph still
 * holding that very sync: resumeSync) writes no row and builds no snapshot; `full` always does.
 */
export async function syncGraph(ctx: PacksContext, target: SyncTarget, opts: {roots?: string[]; full?: boolean} = {}): Promise<GraphSyncResult> {
  const t0 = Date.now()
  const inputs = canResume(target) ? syncInputs(ctx, opts.roots ?? []) : null
  const last = inputs !== null && !opts.full ? readLastSync(ctx) : null
  let stats: SyncStats
  let local: Pick<LocalSnapshot, 'problems' | 'registries'>
  let resumed = false
  if (last && last.inputs === inputs && (await (target as unknown as ResumableTarget).resumeSync(ctx.machine, last.runId))) {
    resumed = true
    stats = {...last.stats, pruned: 0}
    local = {problems: last.problems, registries: last.registries.map((r) => ({...r, fromCache: true}))}
  } else {
    // the record is void until this sync has written in full
    if (canResume(target)) keepLastSync(ctx, null)
    const snap = await localSnapshot(ctx, opts.roots)
    stats = await target.load(snap.snapshot, {progress: (phase, done, total) => ctx.progress.step(phase, done, total), full: opts.full})
    local = snap
    const runId = target.lastLoad?.runId
    if (inputs !== null && runId && syncInputs(ctx, opts.roots ?? []) === inputs) keepLastSync(ctx, {format: LAST_SYNC_FORMAT, inputs, runId, stats, problems: snap.problems, registries: snap.registries})
  }
  if (holdsDeprecations(target)) {
    ctx.progress.step('Reading the team deprecations')
    await keepTeamRecords(ctx.paths, ctx.machine, target)
  }
  let audit: AuditAnchorSync | undefined
  if (holdsTeamAnchors(target)) {
    ctx.progress.step('Recording the audit anchor')
    audit = await syncAuditAnchor(ctx, target)
  }
  let bundles: {written: number; pruned: number} | undefined
  if (holdsTeamBundles(target)) {
    ctx.progress.step('Sharing bundles')
    bundles = await syncBundles(ctx, target)
  }
  ctx.progress.stop()
  const d = resumed ? {versionsWritten: 0, versionsDropped: 0, projectsWritten: 0, full: false} : target.lastLoad
  return {
    ...stats,
    backend: target.name,
    durationMs: Date.now() - t0,
    problems: local.problems,
    registries: local.registries,
    ...(d ? {written: {versions: d.versionsWritten, projects: d.projectsWritten, versionsDropped: d.versionsDropped, full: d.full}} : {}),
    ...(audit ? {audit} : {}),
    ...(bundles ? {bundles} : {}),
  }
}
