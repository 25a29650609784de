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
import {loadRegistry} from '../registry/source.js'
import {Store} from '../store/store.js'
import {scanWorkspace} from '../workspace/projects.js'
import type {PacksContext} from './context.js'
import {advisoryDbFor, goneWarning, splitGone, type ProjectProblem} from './workspace-graph.js'

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
  /** what the last load wrote (the Neo4j store: rows rewritten because they changed) */
  readonly lastLoad?: {versionsWritten: number; versionsDropped: number; projectsWritten: number; full: boolean}
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

export async function syncGraph(ctx: PacksContext, target: SyncTarget, opts: {roots?: string[]; full?: boolean} = {}): Promise<GraphSyncResult> {
  const t0 = Date.now()
  const local = await localSnapshot(ctx, opts.roots)
  const stats = await target.load(local.snapshot, {progress: (phase, done, total) => ctx.progress.step(phase, done, total), full: opts.full})
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
  const d = target.lastLoad
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
