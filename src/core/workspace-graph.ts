/**
 * Open the graph for read commands: scan this machine's projects (cached), build the snapshot,
 * load the chosen backend. Shared by list, info, dependents and the analysis commands.
 *
 * The hot path is a nothing-changed run: the snapshot itself is cached in
 * $GGEN_HOME/cache/snapshot.json under a fingerprint of every project file's size and mtime, the
 * store index's and the machine name. When the fingerprint matches, no project file is read and
 * no snapshot is rebuilt; the parsed projects are only scanned if a caller asks for them.
 */
import {createHash, randomUUID} from 'node:crypto'
import {rmSync} from 'node:fs'
import {advisoryDbStamp, readAdvisoryDb, type AdvisoryDb} from '../advisories/db.js'
import {writeFileAtomic} from '../formats/fs.js'
import {assembleSnapshot, patchAdvisories, patchSnapshot, projectPart, withAdvisories, type ProjectPart} from '../graph/snapshot.js'
import {encodeSnapshotFile, frameSnapshotFile, readSnapshotFile, unpackSnapshot, type SnapshotFile} from '../graph/snapshot-file.js'
import {GONE_STAT, goneWarning, headIsCurrent, projectStat, splitGone, statPart, usableHead, workspaceStats, type ProjectProblem, type WorkspaceStats} from './workspace-stat.js'
import type {GraphStore} from '../graph/graph-store.js'
import {VersionMap, type GraphSnapshot} from '../graph/model.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import {applyStatesAndRecords, effectiveRecords, readStates} from '../registry/deprecations.js'
import {Store} from '../store/store.js'
import type {ScannedProject} from '../workspace/projects.js'
import type {PacksContext} from './context.js'

export {currentHead, goneWarning, projectStat, splitGone, statPart, type ProjectProblem} from './workspace-stat.js'

export interface WorkspaceGraph {
  store: GraphStore
  /** the parsed projects (scanned on first access when the snapshot came from the cache) */
  projects: ScannedProject[]
  /** projects whose files cannot be read (known projects that are gone are in `gone` instead) */
  problems: ProjectProblem[]
  /** known projects (projects.json) whose folder holds neither ggen.toml nor a lockfile any more; warned about once */
  gone: string[]
  snapshot?: GraphSnapshot
  /** memory: the id of the snapshot file the store was loaded from (null when it could not be written) */
  snapshotId?: string | null
  /** memory: every project's rows with their lock origins, when the snapshot was patched or built (not when read as it was) */
  parts?: Map<string, ProjectPart>
}

/** size+mtime of every file the snapshot is built from, hashed */
export function workspaceFingerprint(ctx: PacksContext, dirs: string[]): string {
  const h = createHash('sha1')
  h.update(`${ctx.machine}\n${statPart(ctx.paths.storeIndex)}\nadvisories ${advisoryDbStamp(ctx.paths)}\n`)
  for (const d of dirs) h.update(`${d}\n${projectStat(d)}\n`)
  return h.digest('hex')
}

export interface WorkspaceSnapshot {
  snapshot: GraphSnapshot
  projects: ScannedProject[]
  /** readable problems only; gone projects are in `gone` */
  problems: ProjectProblem[]
  gone: string[]
  cached: boolean
  /** the id of the snapshot file these rows are (read or written); null when none could be written */
  id: string | null
  /** every project's rows with their lock origins, when the snapshot was patched or built */
  parts?: Map<string, ProjectPart>
}

/**
 * The parsed projects as the snapshot recorded them (requirements, locks with version, integrity,
 * source type and dependencies, ggen_version, problems): what read commands need of the files,
 * without reading them. Fields the snapshot does not keep (a Local source's path, other
 * ggen.toml tables) are absent; commands that need them read the files themselves.
 */
export function projectsFromSnapshot(s: GraphSnapshot, problems: ProjectProblem[]): ScannedProject[] {
  const versionOf = VersionMap.of(s.versions)
  const errorOf = new Map(problems.map((p) => [p.path, p]))
  const out: ScannedProject[] = []
  const seen = new Set<string>()
  for (const p of s.projects) {
    seen.add(p.path)
    const files = p.files ?? {config: true, lock: true}
    const config: ScannedProject['config'] = files.config
      ? {
          project: {name: p.name, ...(p.team ? {team: p.team} : {}), ...(p.owner ? {owner: p.owner} : {}), ...(p.environment ? {environment: p.environment} : {})},
          packs: Object.fromEntries(p.requires.map((r) => [r.id, {version: r.range, optional: r.optional ?? false, tier: (r.tier ?? 'required') as 'required', ...(r.env ? {env: r.env} : {})}])),
          extra: {},
        }
      : null
    let lock: ScannedProject['lock'] = null
    if (files.lock) {
      // fromEntries: one object made with all its keys (as many as 24 package ids a project), not 24 shape transitions; 2x faster cold (1,000 projects)
      const packs: NonNullable<ScannedProject['lock']>['packs'] = Object.fromEntries(
        p.locks.map((l) => [l.id, {version: l.version, source: {type: l.source ?? 'Registry'}, integrity: l.integrity ?? '', installed_at: l.installed_at ?? '', dependencies: l.dependencies, requires: versionOf.get(l.id, l.version)?.requires}]),
      )
      lock = files.ggen_version ? {packs, ggen_version: files.ggen_version} : {packs}
    }
    const e = errorOf.get(p.path)
    out.push({path: p.path, config, lock, ...(e ? {error: {code: e.code, message: e.message, file: e.file, field: e.field}} : {})})
  }
  for (const e of problems) if (!seen.has(e.path)) out.push({path: e.path, config: null, lock: null, error: {code: e.code, message: e.message, file: e.file, field: e.field}})
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/**
 * The versions' deprecated/yanked state as the registries last said (src/registry/deprecations.ts:
 * kept by each catalog load) and the overlay records on top; applied after the snapshot cache, so
 * an undo shows at once.
 */
function withDeprecations(ctx: PacksContext, s: GraphSnapshot): GraphSnapshot {
  applyStatesAndRecords(s.versions, readStates(ctx.paths), effectiveRecords(ctx.paths))
  return s
}

/** the advisory database for the snapshot's Advisory rows; a damaged one is warned about and left out (the scan reports it) */
export function advisoryDbFor(ctx: PacksContext): AdvisoryDb | null {
  try {
    return readAdvisoryDb(ctx.paths)
  } catch (e) {
    ctx.warn(`${(e as Error).message}; advisories are left out of the graph`)
    return null
  }
}

/** the parsers (and zod) load only when a project file must really be read */
const loadScanner = () => import('../workspace/projects.js')

const goneProblem = (dir: string): ProjectProblem => ({path: dir, code: 'E_NO_PROJECT', message: `${dir}: no ggen.toml or .ggen/packs.lock any more (moved or deleted?)`})

/** one project folder read again: its rows (null when it has neither file) and its problem */
async function rescanProject(machine: string, dir: string, stat: string): Promise<{part: ProjectPart | null; problem: ProjectProblem | null; scanned: ScannedProject}> {
  if (stat === GONE_STAT) return {part: null, problem: goneProblem(dir), scanned: {path: dir, config: null, lock: null, error: goneProblem(dir)}}
  const read = (await loadScanner()).readProjectForScan(dir)
  const scanned: ScannedProject = {path: dir, ...read}
  return {part: projectPart(machine, scanned), problem: read.error ? {path: dir, ...read.error} : null, scanned}
}

function cachedResult(snapshot: GraphSnapshot, all: ProjectProblem[], ctx: PacksContext, cached: boolean, id: string | null, parts?: Map<string, ProjectPart>): WorkspaceSnapshot {
  withDeprecations(ctx, snapshot)
  const {problems, gone} = splitGone(all)
  let scanned: ScannedProject[] | undefined
  return {
    snapshot,
    problems,
    gone,
    cached,
    id,
    ...(parts ? {parts} : {}),
    get projects() {
      return (scanned ??= projectsFromSnapshot(snapshot, problems))
    },
  }
}

/** the snapshot's id (new unless given: the same snapshot written again), or null when it could not be written */
function writeSnapshotCache(file: string, f: Omit<SnapshotFile, 'id' | 'delta'>, parts: Map<string, ProjectPart>, id: string = randomUUID()): string | null {
  try {
    writeFileAtomic(file, frameSnapshotFile(encodeSnapshotFile({...f, id}, parts)), {force: true, cache: true})
    return id
  } catch {
    return null // a read-only $GGEN_HOME still answers
  }
}

/**
 * This machine's snapshot, kept in $GGEN_HOME/cache/snapshot.cache (src/graph/snapshot-file.ts)
 * with the stat of every project's files and of the store index:
 * - nothing changed: the cached snapshot, no project file read;
 * - some projects changed, came or went: only those are read again and the snapshot is patched
 *   (patchSnapshot: their rows out, the new ones in, the version and package rows they touch
 *   recomputed); the store index changed: the derived rows are assembled again from the cached
 *   projects' rows, still without reading their files;
 * - no usable cache (missing, damaged, another machine's): every project is read.
 */
export async function workspaceSnapshot(ctx: PacksContext, roots: string[] = [], o: {withProjects?: boolean; stats?: WorkspaceStats} = {}): Promise<WorkspaceSnapshot> {
  // stats a caller took just before (of these roots) are as good as new ones: they are taken before the snapshot is read either way
  const w = o.stats ?? workspaceStats(ctx, roots)
  const {dirs, stats, storeStat} = w
  const file = ctx.paths.snapshotCache
  const cache = readSnapshotFile(file, ctx.paths.snapshotDelta)
  const usable = usableHead(ctx, cache)
  const unchanged = usable && headIsCurrent(cache, w)
  // a delta (projects list patched its rows for without reading the body): the head describes body + delta
  const delta = usable ? cache.delta : new Map<string, ProjectPart | null>()
  // the cached projects' rows (lock rows unpacked; with their origins when they are patched)
  let oldParts: Map<string, ProjectPart> | null = null
  try {
    if (usable) oldParts = unpackSnapshot(cache.snapshot, !unchanged || delta.size > 0)
  } catch {
    oldParts = null // a body of the wrong shape: every project is read again
  }
  if (unchanged && oldParts && delta.size === 0) return cachedResult(cache.snapshot, cache.dirs.flatMap(([, , p]) => (p ? [p] : [])), ctx, true, cache.id)

  const before = new Map(oldParts && cache ? cache.dirs.map(([d, st, p]) => [d, {st, p}]) : [])
  // the delta's projects differ from the body's as much as the projects changed since the head
  const changed = new Map<string, ProjectPart | null>(oldParts ? delta : [])
  const problems = new Map<string, ProjectProblem | null>()
  const scanned: ScannedProject[] = []
  for (let i = 0; i < dirs.length; i++) {
    const dir = dirs[i]!
    const was = before.get(dir)
    if (was && was.st === stats[i]) {
      problems.set(dir, was.p || null)
      continue
    }
    const r = await rescanProject(ctx.machine, dir, stats[i]!)
    changed.set(dir, r.part)
    problems.set(dir, r.problem)
    scanned.push(r.scanned)
  }
  for (const d of before.keys()) if (!problems.has(d)) changed.set(d, null)
  for (const d of changed.keys()) if (!problems.has(d)) changed.set(d, null) // a delta's project no longer known
  // a store index of the stamp the cache records was checked when the cache was made
  const storeIndex = new Store(ctx.paths).readIndex({alreadyChecked: usable && cache.store === storeStat})
  let snapshot: GraphSnapshot
  let parts: Map<string, ProjectPart>
  if (oldParts && cache!.store === storeStat) {
    let touched: Set<string>
    ;({snapshot, parts, touched} = patchSnapshot(cache!.snapshot, oldParts, changed, storeIndex))
    // the same database as the cached rows (its stamp is part of storeStat): only the touched versions are matched again
    const db = touched.size > 0 && cache!.snapshot.advisories ? advisoryDbFor(ctx) : null
    if (db) snapshot.advisories = patchAdvisories(cache!.snapshot.advisories!, db, snapshot.versions, touched)
    else if (touched.size > 0) withAdvisories(snapshot, advisoryDbFor(ctx))
  } else {
    // no cache, or the store index changed: the derived rows are assembled again (from the cached rows of unchanged projects)
    parts = oldParts ?? new Map()
    for (const [d, p] of changed) {
      if (p) parts.set(d, p)
      else parts.delete(d)
    }
    snapshot = withAdvisories(assembleSnapshot(ctx.machine, [...parts.values()], storeIndex), advisoryDbFor(ctx))
  }
  const all = dirs.flatMap((d) => (problems.get(d) ? [problems.get(d)!] : []))
  // the body and its delta made one (nothing else changed): the same snapshot, under the same id (what is kept for it stays good)
  const same = unchanged && delta.size > 0 && scanned.length === 0
  const id = writeSnapshotCache(file, {machine: ctx.machine, store: storeStat, dirs: dirs.map((d, i) => [d, stats[i]!, problems.get(d) ?? 0]), snapshot}, parts, same ? cache!.id : undefined)
  // a delta counts only beside the file it was written for: the new one (another id in its own head) leaves it behind
  if (id !== null) rmSync(ctx.paths.snapshotDelta, {force: true})
  if (oldParts) return cachedResult(snapshot, all, ctx, false, id, parts)
  // a full read: the callers get the parsed files themselves
  withDeprecations(ctx, snapshot)
  const {problems: readable, gone} = splitGone(all)
  const goneSet = new Set(gone)
  return {snapshot, projects: scanned.filter((p) => !goneSet.has(p.path)), problems: readable, gone, cached: false, id, parts}
}

export interface OpenWorkspaceOptions {
  backend?: string
  roots?: string[]
  /** the caller reads `projects` (the parsed files); false keeps the parsers unloaded on a cache hit */
  withProjects?: boolean
  /** the stats of these roots, when the caller took them just now (currentHead) */
  stats?: WorkspaceStats
}

export async function openWorkspaceGraph(ctx: PacksContext, opts: OpenWorkspaceOptions = {}): Promise<WorkspaceGraph> {
  const backend = chooseBackend(opts.backend, ctx.config, ctx.env)
  if (backend === 'neo4j') {
    const store = await openGraphStore('neo4j', ctx)
    return {store, projects: [], problems: [], gone: []}
  }
  const ws = await workspaceSnapshot(ctx, opts.roots, {withProjects: opts.withProjects, stats: opts.stats})
  const warning = goneWarning(ws.gone)
  if (warning) ctx.warn(warning)
  const store = await openGraphStore('memory', ctx, () => ws.snapshot)
  return {
    store,
    get projects() {
      return ws.projects
    },
    problems: ws.problems,
    gone: ws.gone,
    snapshot: ws.snapshot,
    snapshotId: ws.id,
    ...(ws.parts ? {parts: ws.parts} : {}),
  }
}
