/**
 * Open the graph for read commands: scan this machine's projects (cached), build the snapshot,
 * load the chosen backend. Shared by list, info, dependents and the analysis commands.
 *
 * The hot path is a nothing-changed run: the snapshot itself is cached in
 * $GGEN_HOME/cache/snapshot.json under a fingerprint of every project file's size and mtime, the
 * store index's and the machine name. When the fingerprint matches, no project file is read and
 * no snapshot is rebuilt; the parsed projects are only scanned if a caller asks for them.
 */
import {createHash} from 'node:crypto'
import {advisoryDbStamp, readAdvisoryDb, type AdvisoryDb} from '../advisories/db.js'
import {statSync} from 'node:fs'
import {join} from 'node:path'
import {readTextOrNull, writeFileAtomic} from '../formats/fs.js'
import {journalPath} from '../formats/journal.js'
import {LEGACY_LOCKFILE, lockfilePath, projectFilePath} from '../formats/paths.js'
import {buildSnapshot} from '../graph/snapshot.js'
import type {GraphStore} from '../graph/graph-store.js'
import {versionKey, type GraphSnapshot, type ProjectLock} from '../graph/model.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import {applyStatesAndRecords, effectiveRecords, readStates} from '../registry/deprecations.js'
import {Store} from '../store/store.js'
import {projectDirs} from '../workspace/project-index.js'
import type {ScannedProject} from '../workspace/projects.js'
import type {PacksContext} from './context.js'

export interface ProjectProblem {
  path: string
  code: string
  message: string
  file?: string
  field?: string
  hint?: string
}

export interface WorkspaceGraph {
  store: GraphStore
  /** the parsed projects (scanned on first access when the snapshot came from the cache) */
  projects: ScannedProject[]
  /** projects whose files cannot be read (known projects that are gone are in `gone` instead) */
  problems: ProjectProblem[]
  /** known projects (projects.json) whose folder holds neither ggen.toml nor a lockfile any more; warned about once */
  gone: string[]
  snapshot?: GraphSnapshot
}

/** a known project whose files are gone (the scan's E_NO_PROJECT) is no reading problem: split them off */
export function splitGone(all: ProjectProblem[]): {problems: ProjectProblem[]; gone: string[]} {
  const problems: ProjectProblem[] = []
  const gone: string[] = []
  for (const p of all) {
    if (p.code === 'E_NO_PROJECT') gone.push(p.path)
    else problems.push(p)
  }
  return {problems, gone}
}

const GONE_EXAMPLES = 3

/** one warning for every known project that is gone, however many */
export function goneWarning(gone: string[]): string | null {
  if (gone.length === 0) return null
  const fix = 'remove them from the known projects with `ggen packs projects prune`'
  if (gone.length === 1) return `1 known project is gone: ${gone[0]} (no ggen.toml or .ggen/packs.lock any more); ${fix.replace('them', 'it')}`
  const shown = gone.slice(0, GONE_EXAMPLES).join(', ')
  return `${gone.length} known projects are gone (e.g. ${shown}${gone.length > GONE_EXAMPLES ? ', …' : ''}): no ggen.toml or .ggen/packs.lock any more; ${fix}`
}

interface SnapshotCache {
  format: 'ggen-packs-snapshot/3'
  fingerprint: string
  snapshot: GraphSnapshot
  problems: ProjectProblem[]
}

/** a lock row in the cache: [id, version, direct, installed_at, dependencies, integrity (null when the version's), source type (non-Registry)] */
type PackedLock = [string, string, 0 | 1, string | null, string[], (string | null)?, string?]

/** shrink the cached snapshot (~40%): lock rows as tuples, integrity only where it differs from the version row's */
function packSnapshot(s: GraphSnapshot): GraphSnapshot {
  const integ = new Map(s.versions.map((v) => [versionKey(v.id, v.version), v.integrity]))
  return {
    ...s,
    projects: s.projects.map((p) => ({
      ...p,
      locks: p.locks.map((l): PackedLock => {
        const row: PackedLock = [l.id, l.version, l.direct ? 1 : 0, l.installed_at ?? null, l.dependencies]
        const own = l.integrity !== undefined && l.integrity !== integ.get(versionKey(l.id, l.version))
        if (own || l.source) row.push(own ? l.integrity! : null)
        if (l.source) row.push(l.source)
        return row
      }) as unknown as ProjectLock[],
    })),
  }
}

function unpackSnapshot(s: GraphSnapshot): GraphSnapshot {
  const integ = new Map(s.versions.map((v) => [versionKey(v.id, v.version), v.integrity]))
  for (const p of s.projects) {
    p.locks = (p.locks as unknown as PackedLock[]).map(([id, version, direct, installed_at, dependencies, integrity, source]) => {
      const l: ProjectLock = {id, version, direct: direct === 1, dependencies, integrity: integrity ?? integ.get(versionKey(id, version))}
      if (installed_at !== null) l.installed_at = installed_at
      if (source) l.source = source
      return l
    })
  }
  return s
}

const statPart = (file: string): string => {
  try {
    const s = statSync(file)
    return `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}`
  } catch {
    return '-'
  }
}

/** size+mtime of every file the snapshot is built from, hashed */
export function workspaceFingerprint(ctx: PacksContext, dirs: string[]): string {
  const h = createHash('sha1')
  h.update(`${ctx.machine}\n${statPart(ctx.paths.storeIndex)}\nadvisories ${advisoryDbStamp(ctx.paths)}\n`)
  for (const d of dirs) {
    const lock = statPart(lockfilePath(d))
    // the journal too: while it exists the projects are read as its `before` (src/formats/journal.ts)
    h.update(`${d}\n${statPart(projectFilePath(d))}\n${lock === '-' ? `L${statPart(join(d, LEGACY_LOCKFILE))}` : lock}\n${statPart(journalPath(d))}\n`)
  }
  return h.digest('hex')
}

export interface WorkspaceSnapshot {
  snapshot: GraphSnapshot
  projects: ScannedProject[]
  /** readable problems only; gone projects are in `gone` */
  problems: ProjectProblem[]
  gone: string[]
  cached: boolean
}

/**
 * The parsed projects as the snapshot recorded them (requirements, locks with version, integrity,
 * source type and dependencies, ggen_version, problems): what read commands need of the files,
 * without reading them. Fields the snapshot does not keep (a Local source's path, other
 * ggen.toml tables) are absent; commands that need them read the files themselves.
 */
export function projectsFromSnapshot(s: GraphSnapshot, problems: ProjectProblem[]): ScannedProject[] {
  const requiresOf = new Map(s.versions.map((v) => [versionKey(v.id, v.version), v.requires]))
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
      const packs: NonNullable<ScannedProject['lock']>['packs'] = {}
      for (const l of p.locks) {
        packs[l.id] = {version: l.version, source: {type: l.source ?? 'Registry'}, integrity: l.integrity ?? '', installed_at: l.installed_at ?? '', dependencies: l.dependencies, requires: requiresOf.get(versionKey(l.id, l.version))}
      }
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

/** a cached snapshot of the right shape (a damaged one is rebuilt) */
const usableSnapshot = (c: SnapshotCache): boolean =>
  !!c.snapshot && ['packages', 'versions', 'projects'].every((k) => Array.isArray((c.snapshot as unknown as Record<string, unknown>)[k])) && Array.isArray(c.problems)

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

export async function workspaceSnapshot(ctx: PacksContext, roots: string[] = [], _o: {withProjects?: boolean} = {}): Promise<WorkspaceSnapshot> {
  const dirs = projectDirs(ctx.paths, roots)
  const fingerprint = workspaceFingerprint(ctx, dirs)
  const cacheFile = join(ctx.paths.cache, 'snapshot.json')
  const text = readTextOrNull(cacheFile)
  if (text !== null) {
    try {
      const c = JSON.parse(text) as SnapshotCache
      if (c.format === 'ggen-packs-snapshot/3' && c.fingerprint === fingerprint && usableSnapshot(c)) {
        let scanned: ScannedProject[] | undefined
        const snapshot = withDeprecations(ctx, unpackSnapshot(c.snapshot))
        const {problems, gone} = splitGone(c.problems)
        return {
          snapshot,
          problems,
          gone,
          cached: true,
          get projects() {
            return (scanned ??= projectsFromSnapshot(snapshot, problems))
          },
        }
      }
    } catch {
      // a damaged cache is rebuilt
    }
  }
  const scan = (await loadScanner()).scanWorkspace(ctx.paths, roots)
  const all = scan.projects.filter((p) => p.error).map((p) => ({path: p.path, ...p.error!}))
  const snapshot = buildSnapshot({machine: ctx.machine, projects: scan.projects, store: new Store(ctx.paths).readIndex(), advisories: advisoryDbFor(ctx)})
  try {
    writeFileAtomic(cacheFile, JSON.stringify({format: 'ggen-packs-snapshot/3', fingerprint, snapshot: packSnapshot(snapshot), problems: all} satisfies SnapshotCache))
  } catch {
    // a read-only $GGEN_HOME still answers
  }
  withDeprecations(ctx, snapshot)
  const {problems, gone} = splitGone(all)
  const goneSet = new Set(gone)
  return {snapshot, projects: gone.length ? scan.projects.filter((p) => !goneSet.has(p.path)) : scan.projects, problems, gone, cached: false}
}

export interface OpenWorkspaceOptions {
  backend?: string
  roots?: string[]
  /** the caller reads `projects` (the parsed files); false keeps the parsers unloaded on a cache hit */
  withProjects?: boolean
}

export async function openWorkspaceGraph(ctx: PacksContext, opts: OpenWorkspaceOptions = {}): Promise<WorkspaceGraph> {
  const backend = chooseBackend(opts.backend, ctx.config, ctx.env)
  if (backend === 'neo4j') {
    const store = await openGraphStore('neo4j', ctx)
    return {store, projects: [], problems: [], gone: []}
  }
  const ws = await workspaceSnapshot(ctx, opts.roots, {withProjects: opts.withProjects})
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
  }
}
