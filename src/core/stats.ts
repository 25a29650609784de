/**
 * `packs stats`: the numbers of the machine (memory) or the team (neo4j: every machine that
 * synced). A graph question over the port: every answer is computed from the store's snapshots
 * (one per machine), so both backends give the same shape.
 *
 * - totals per machine and overall: projects, packages, versions, the store's size and what the
 *   deduplicated store saves (what each project keeping its own copy of every locked version
 *   would take, minus the store). This machine's store size is its store index; another
 *   machine's is the sum of the distinct versions its projects lock (`store_basis: locked`).
 * - adoption per package: projects per version, share on the newest version (the registries'
 *   newest when one is configured, else the newest in use), outdated share, drift (the analysis'
 *   drift: several versions in use);
 * - unused: this machine's store entries no project locks (gc's candidates, Store unusedEntries),
 *   packages whose newest install is older than N days (`last_used`), projects locking nothing;
 * - with an author, the maintenance report (src/core/stats-maintainer.ts);
 * - with a span, the timeline (src/core/stats-timeline.ts).
 */
import {readAudit} from '../audit/log.js'
import {sinceToIso} from '../audit/query.js'
import {parseEntry} from '../audit/chain.js'
import type {AuditEntry} from '../domain/schemas.js'
import {PacksError} from '../domain/errors.js'
import type {GraphStore} from '../graph/graph-store.js'
import {versionKey, type GraphSnapshot, type VersionRow} from '../graph/model.js'
import type {Catalog} from '../registry/catalog.js'
import {applyToRows, teamRecords} from '../registry/deprecations.js'
import {compareVersions} from '../resolve/versions.js'
import {Store, unusedEntries} from '../store/store.js'
import {now as clock} from '../util/environment.js'
import {listAllGenerations} from '../workspace/history.js'
import {holdsTeamAnchors} from './audit-team.js'
import type {PacksContext} from './context.js'
import {optionalCatalog} from './impact.js'
import {resolvePackageName} from './package-name.js'
import {newestOf, projectOf, usage, versionRows, versionState, type StatsGraph as Graph, type StatsProject} from './stats-graph.js'
import {maintenanceReport, type MaintenanceReport} from './stats-maintainer.js'
import {buildTimeline, collectEvents, type Period, type Timeline} from './stats-timeline.js'
import {openWorkspaceGraph, workspaceSnapshot} from './workspace-graph.js'

export interface StatsTotals {
  projects: number
  /** package ids some project locks */
  packages: number
  /** distinct package versions some project locks */
  versions: number
  /** lockfile entries over every project */
  locks: number
  store_entries: number
  store_bytes: number
  /** what every project keeping its own copy of each version it locks would take */
  copied_bytes: number
  /** copied_bytes - store_bytes: what sharing one store entry per version saves (negative when the store holds more unused entries than sharing saves) */
  saved_bytes: number
}

export interface MachineTotals extends StatsTotals {
  machine: string
  /** index: this machine's store index; locked: the distinct versions the machine's projects lock (another machine's store is not visible) */
  store_basis: 'index' | 'locked'
}

export interface VersionAdoption {
  version: string
  projects: number
  /** of the package's projects, 0..1 */
  share: number
  deprecated: string | null
  yanked: boolean
}

export interface PackageAdoption {
  id: string
  name: string
  author: string | null
  /** the newest version: the registries' when one is configured, else the newest in use */
  newest: string | null
  /** projects locking it */
  projects: number
  /** by semver */
  versions: VersionAdoption[]
  /** share of its projects on the newest version, 0..1 */
  newest_share: number
  /** share of its projects on an older version, 0..1 */
  outdated_share: number
  /** several versions in use across projects */
  drift: boolean
}

export interface UnusedEntry {
  id: string
  version: string
  integrity: string
  size: number
}

export interface StalePackage {
  id: string
  /** the newest `installed_at` of its locks; null when no lock records one */
  last_used: string | null
  /** whole days since then; null when unknown */
  days: number | null
  projects: number
}


export interface UnusedReport {
  /** this machine's store entries no project on it locks (what `gc` would remove) */
  store_entries: UnusedEntry[]
  store_bytes: number
  /** the --unused-days threshold */
  days: number
  /** packages locked somewhere whose last use is at least `days` ago */
  stale_packages: StalePackage[]
  /** projects that lock nothing */
  empty_projects: StatsProject[]
}

export interface StatsResult {
  backend: 'memory' | 'neo4j'
  scope: 'machine' | 'team'
  /** when the numbers were taken */
  generated_at: string
  /** with --package, the package (the whole answer is about it) */
  package: string | null
  totals: StatsTotals
  /** by machine name */
  machines: MachineTotals[]
  /** by id */
  adoption: PackageAdoption[]
  unused: UnusedReport
  /** with --timeline */
  timeline?: Timeline
  /** with --author */
  maintainer?: MaintenanceReport
}

export interface StatsOptions {
  backend?: string
  roots?: string[]
  /** one package (an id or a short name) */
  package?: string
  /** a span back from now (90d, 12w, 6m = months, 1y) or a date */
  timeline?: string
  by?: Period
  /** days without use before a package counts as unused (default 90) */
  unusedDays?: number
  /** the maintenance report of this author */
  author?: string
}

export const DEFAULT_UNUSED_DAYS = 90
const DAY = 86_400_000

function machineTotals(s: GraphSnapshot, sizes: Map<string, VersionRow>, local: {machine: string; entries: number; bytes: number}): MachineTotals {
  const ids = new Set<string>()
  const versions = new Map<string, number>()
  let locks = 0
  let copied = 0
  for (const p of s.projects) {
    for (const l of p.locks) {
      const k = versionKey(l.id, l.version)
      const size = sizes.get(k)?.size ?? 0
      ids.add(l.id)
      versions.set(k, size)
      locks++
      copied += size
    }
  }
  const isLocal = s.machine === local.machine
  const storeBytes = isLocal ? local.bytes : [...versions.values()].reduce((n, x) => n + x, 0)
  return {
    machine: s.machine,
    projects: s.projects.length,
    packages: ids.size,
    versions: versions.size,
    locks,
    store_entries: isLocal ? local.entries : versions.size,
    store_bytes: storeBytes,
    copied_bytes: copied,
    saved_bytes: copied - storeBytes,
    store_basis: isLocal ? 'index' : 'locked',
  }
}

function overallTotals(snapshots: GraphSnapshot[], machines: MachineTotals[]): StatsTotals {
  const ids = new Set<string>()
  const versions = new Set<string>()
  for (const s of snapshots) for (const p of s.projects) for (const l of p.locks) {
    ids.add(l.id)
    versions.add(versionKey(l.id, l.version))
  }
  const sum = (k: 'projects' | 'locks' | 'store_entries' | 'store_bytes' | 'copied_bytes') => machines.reduce((n, m) => n + m[k], 0)
  return {
    projects: sum('projects'),
    packages: ids.size,
    versions: versions.size,
    locks: sum('locks'),
    store_entries: sum('store_entries'),
    store_bytes: sum('store_bytes'),
    copied_bytes: sum('copied_bytes'),
    saved_bytes: sum('copied_bytes') - sum('store_bytes'),
  }
}

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10_000) / 10_000)

function adoption(g: Graph, drifting: Set<string>, only?: string): PackageAdoption[] {
  const out: PackageAdoption[] = []
  for (const [id, byVersion] of [...usage(g.snapshots, g.multi)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (only && id !== only) continue
    const total = [...byVersion.values()].reduce((n, ps) => n + ps.length, 0)
    const newest = newestOf(id, g.catalog, g.rows)
    const onNewest = (newest && byVersion.get(newest)?.length) || 0
    const versions = [...byVersion].sort(([a], [b]) => compareVersions(a, b)).map(([version, ps]) => ({version, projects: ps.length, share: share(ps.length, total), ...versionState(id, version, g.catalog, g.rows)}))
    const meta = g.names.get(id)
    out.push({id, name: meta?.name ?? id, author: meta?.author ?? null, newest, projects: total, versions, newest_share: share(onNewest, total), outdated_share: share(total - onNewest, total), drift: drifting.has(id)})
  }
  return out
}

function unusedReport(g: Graph, local: GraphSnapshot, storeIndex: ReturnType<Store['readIndex']>, days: number, nowMs: number, only?: string): UnusedReport {
  const keep = local.projects.flatMap((p) => p.locks.map((l) => l.integrity ?? g.rows.get(versionKey(l.id, l.version))?.integrity ?? ''))
  const unused = unusedEntries(storeIndex, keep)
  const entries = unused.entries.filter((e) => !only || e.id === only).map((e) => ({id: e.id, version: e.version, integrity: e.integrity, size: e.size}))
  const last = new Map<string, {at: string | null; projects: Set<string>}>()
  for (const s of g.snapshots) {
    for (const p of s.projects) {
      for (const l of p.locks) {
        const x = last.get(l.id) ?? {at: null, projects: new Set<string>()}
        x.projects.add(`${p.machine}\0${p.path}`)
        if (l.installed_at && (!x.at || l.installed_at > x.at)) x.at = l.installed_at
        last.set(l.id, x)
      }
    }
  }
  const stale: StalePackage[] = []
  for (const [id, x] of [...last].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (only && id !== only) continue
    const age = x.at ? Math.floor((nowMs - Date.parse(x.at)) / DAY) : null
    if (age === null || age >= days) stale.push({id, last_used: x.at, days: age, projects: x.projects.size})
  }
  const empty = g.snapshots.flatMap((s) => s.projects.filter((p) => p.locks.length === 0).map((p) => projectOf(p, g.multi)))
  return {store_entries: entries, store_bytes: entries.reduce((n, e) => n + e.size, 0), days, stale_packages: stale, empty_projects: empty}
}

/** the audit entries the timeline reads: the team trail on a store that keeps one, else this machine's log */
async function auditEntries(ctx: PacksContext, store: GraphStore): Promise<AuditEntry[]> {
  if (store.capabilities.scope === 'team' && holdsTeamAnchors(store)) {
    const rows = await store.auditTrail({})
    return rows.flatMap((r) => {
      const e = parseEntry(r.json)
      return e ? [e] : []
    })
  }
  return readAudit(ctx.paths).entries
}

/** the timeline's first instant: the shared duration parser (the audit filters' own), where a bare `m` is months */
function timelineStart(span: string, nowMs: number): number {
  const iso = sinceToIso(span, {now: nowMs, m: 'months'})
  if (!iso) throw new PacksError('E_USAGE', `--timeline ${span} is neither a duration (30d, 12w, 6m, 1y) nor a date`, {hint: 'Example: --timeline 90d, --timeline 6m (months), or --timeline 2026-01-01'})
  return Date.parse(iso)
}

/** the package ids a name may mean: every package the graph or the registries know */
function knownPackages(g: Graph): {id: string; name?: string}[] {
  const out = new Map<string, {id: string; name?: string}>()
  for (const [id, m] of g.names) out.set(id, {id, name: m.name})
  for (const p of g.catalog?.all() ?? []) if (!out.has(p.id)) out.set(p.id, {id: p.id, name: p.name})
  return [...out.values()]
}

function packageNames(snapshots: GraphSnapshot[], catalog: Catalog | null): Map<string, {name: string; author: string | null}> {
  const out = new Map<string, {name: string; author: string | null}>()
  for (const s of snapshots) for (const p of s.packages) if (!out.has(p.id) || !out.get(p.id)!.author) out.set(p.id, {name: p.name, author: p.author ?? catalog?.get(p.id)?.author ?? null})
  return out
}

export async function packStats(ctx: PacksContext, o: StatsOptions = {}): Promise<StatsResult> {
  const nowMs = clock().getTime()
  const start = o.timeline !== undefined ? timelineStart(o.timeline, nowMs) : undefined
  const ws = await openWorkspaceGraph(ctx, {backend: o.backend, roots: o.roots, withProjects: false})
  try {
    const {snapshots} = await ws.store.snapshots()
    const records = await teamRecords(ws.store)
    for (const s of snapshots) applyToRows(s.versions, records)
    const local = ws.snapshot ?? (await workspaceSnapshot(ctx, o.roots)).snapshot
    const catalog = ctx.registries.length > 0 ? await optionalCatalog(ctx, 'the newest versions are the newest in use') : null
    const g: Graph = {multi: ws.store.capabilities.scope === 'team', snapshots, rows: versionRows(snapshots), catalog, names: packageNames(snapshots, catalog)}
    const only = o.package === undefined ? undefined : resolvePackageName(o.package, knownPackages(g), 'the graph or any configured registry')
    const storeIndex = new Store(ctx.paths).readIndex()
    const localStore = {machine: ctx.machine, entries: Object.keys(storeIndex.entries).length, bytes: Object.values(storeIndex.entries).reduce((n, e) => n + e.size, 0)}
    const machines = snapshots.map((s) => machineTotals(s, g.rows, localStore)).sort((a, b) => (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : 0))
    const drifting = new Set((await ws.store.drift(only ? {ids: [only]} : {})).map((d) => d.id))
    const result: StatsResult = {
      backend: ws.store.name,
      scope: ws.store.capabilities.scope,
      generated_at: new Date(nowMs).toISOString(),
      package: only ?? null,
      totals: overallTotals(snapshots, machines),
      machines,
      adoption: adoption(g, drifting, only),
      unused: unusedReport(g, local, storeIndex, o.unusedDays ?? DEFAULT_UNUSED_DAYS, nowMs, only),
    }
    if (start !== undefined) {
      const events = collectEvents({entries: await auditEntries(ctx, ws.store), generations: listAllGenerations(ctx.paths), machine: ctx.machine})
      result.timeline = buildTimeline(events, snapshots, {sinceMs: start, untilMs: nowMs, by: o.by, package: only, team: g.multi})
    }
    if (o.author !== undefined) result.maintainer = maintenanceReport(g, o.author)
    return result
  } finally {
    await ws.store.close()
  }
}

export type {StatsProject}
