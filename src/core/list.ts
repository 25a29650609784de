/**
 * `packs list`: every installed version on the machine (or, on neo4j, the team), one row per
 * version with the projects using it, where it came from and where it sits in the store;
 * filters (id globs, quality, production-ready, author, project) and multi-key sorting.
 *
 * Rows come from the graph alone (the store index metadata the snapshot carries): no registry
 * is read and no file is stat'ed per row. `location` is a path on the machine running the
 * command: its store entry for the version (the entry the store index records), null when this
 * machine's store does not hold it (on neo4j too: another machine's store paths are not shown).
 */
import {sep} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {SecurityStatus, Severity} from '../domain/scan.js'
import type {InstalledVersion, ProjectRef} from '../graph/graph-store.js'
import {chooseBackend} from '../graph/open.js'
import {applyToRows, teamRecords, type DeprecationRecord} from '../registry/deprecations.js'
import {byIdThenVersion, compareVersions} from '../resolve/versions.js'
import {globMatcher} from '../util/glob.js'
import {requireProjectDir} from '../workspace/project-dir.js'
import type {PacksContext} from './context.js'
import {deprecationInputs, keepList, keptList} from './list-view.js'
import {atLeast, lastScanPath, readLastScan, statusOf, type LastScanStatus} from './security-status.js'
import {comparator, parseSortSpec, type SortField} from './sort.js'
import type {ProjectProblem} from './workspace-stat.js'

export interface ListRow {
  id: string
  name: string
  version: string
  /** what the package is (store index metadata, or the registry's on a synced team graph); null when unknown */
  description: string | null
  size: number | null
  quality_score: number | null
  production_ready: boolean
  author: string | null
  license: string | null
  last_used: string | null
  deprecated: string | null
  yanked: boolean
  /** where it was installed from: the lockfile entry's source (registry URL, local path, github:org/repo) */
  source: string | null
  /** this machine's store entry for the version ($GGEN_HOME/store/v1/<algo>-<hex>); null when not in this machine's store */
  location: string | null
  projects: {name: string; path: string; machine?: string}[]
  /** the security status from the last scan ($GGEN_HOME/advisories/last-scan.json); null when no scan has run */
  security: SecurityStatus | null
}

/** the `--sort` keys: name (the package id) and id are the same key */
export const LIST_SORT_FIELDS: Record<'name' | 'id' | 'version' | 'size' | 'last-used' | 'quality' | 'author' | 'license' | 'projects', SortField<ListRow>> = {
  name: {get: (r) => r.id, compareText: codePoint},
  id: {get: (r) => r.id, compareText: codePoint},
  version: {get: (r) => r.version, compareText: compareVersions},
  size: {get: (r) => r.size},
  'last-used': {get: (r) => r.last_used, compareText: codePoint},
  quality: {get: (r) => r.quality_score},
  author: {get: (r) => r.author},
  license: {get: (r) => r.license},
  projects: {get: (r) => r.projects.length},
}
export type ListSortKey = keyof typeof LIST_SORT_FIELDS

function codePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export interface ListOptions {
  backend?: string
  roots?: string[]
  /** sort keys in order (`size`, `-last-used`; each value may hold several, comma-separated); default id, then version */
  sort?: string[]
  /** id globs (`io.ggen.rust.*`); a row matching any of them is kept */
  names?: string[]
  minQuality?: number
  productionReady?: boolean
  author?: string
  /** only versions used by this project directory */
  project?: string
  machine?: string
  /** only versions the last scan found vulnerable */
  vulnerable?: boolean
  /** with `vulnerable`: only those whose highest severity is at least this (unknown counts as high) */
  minSeverity?: Severity
}

export interface ListResult {
  rows: ListRow[]
  problems: ProjectProblem[]
  backend: string
}

/** a store entry directory name as the store writes them (`sha512-<hex>`): nothing else becomes a path */
export const ENTRY_DIR = /^[a-z0-9]+-[0-9a-f]+$/

/**
 * ENTRY_DIR.test(s), by hand: it runs once per row, and a fresh process spends ~15 ms on the
 * regular expression's first 6,000 runs (interpreted before V8 compiles it) against ~1 ms here.
 * test/unit/listing.test.ts checks both agree.
 */
export function isEntryDir(s: string): boolean {
  const dash = s.indexOf('-')
  if (dash < 1 || dash === s.length - 1) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102)
    if (i < dash ? !(hex || (c >= 103 && c <= 122)) : i > dash && !hex) return false
  }
  return true
}

/** join(storeRoot, entry) for a normalized root (HomePaths are joined) and an ENTRY_DIR name: a concatenation, as this runs per row */
const entryPath = (storeRoot: string, entry: string): string => (storeRoot.endsWith(sep) ? storeRoot + entry : storeRoot + sep + entry)

type ListProject = ListRow['projects'][number]

/**
 * A project as list rows show it, one object per project for all its rows (`shown`, per answer):
 * a project locks ~25 versions, and 240,000 fresh objects at 100k/10k were a tenth of `list`.
 */
function shownProject(p: ProjectRef, withMachine: boolean, shown?: Map<ProjectRef, ListProject>): ListProject {
  let out = shown?.get(p)
  if (!out) {
    out = withMachine ? {name: p.name, path: p.path, machine: p.machine} : {name: p.name, path: p.path}
    shown?.set(p, out)
  }
  return out
}

export function toRow(v: InstalledVersion, withMachine: boolean, storeRoot?: string, last: LastScanStatus | null = null, shown?: Map<ProjectRef, ListProject>): ListRow {
  return {
    id: v.id,
    name: v.name,
    version: v.version,
    description: v.description ?? null,
    size: v.size ?? null,
    quality_score: v.quality_score ?? null,
    production_ready: v.production_ready ?? false,
    author: v.author ?? null,
    license: v.license ?? null,
    last_used: v.last_used ?? null,
    deprecated: v.deprecated ?? null,
    yanked: v.yanked ?? false,
    source: v.source ?? null,
    location: storeRoot && v.store_entry && isEntryDir(v.store_entry) ? entryPath(storeRoot, v.store_entry) : null,
    projects: v.projects.map((p) => shownProject(p, withMachine, shown)),
    security: statusOf(last, v.id, v.version),
  }
}

async function rowFilter(o: ListOptions): Promise<(r: ListRow) => boolean> {
  const tests: ((r: ListRow) => boolean)[] = []
  if (o.names?.length) {
    const match = await globMatcher(o.names)
    tests.push((r) => match(r.id))
  }
  if (o.minQuality !== undefined) tests.push((r) => (r.quality_score ?? 0) >= o.minQuality!)
  if (o.productionReady) tests.push((r) => r.production_ready)
  if (o.author) {
    const a = o.author.toLowerCase()
    tests.push((r) => (r.author ?? '').toLowerCase().includes(a))
  }
  if (o.project) {
    const dir = requireProjectDir(o.project)
    tests.push((r) => r.projects.some((x) => x.path === dir))
  }
  if (o.vulnerable || o.minSeverity) tests.push((r) => atLeast(r.security, o.minSeverity ?? 'low'))
  return (r) => tests.every((t) => t(r))
}

/** the last scan; `--vulnerable` without one refuses (an empty answer would read as "nothing is vulnerable") */
function lastScanFor(ctx: PacksContext, o: ListOptions): LastScanStatus | null {
  const last = readLastScan(ctx)
  if (!last && (o.vulnerable || o.minSeverity)) {
    throw new PacksError('E_USAGE', `list --vulnerable needs the result of a security scan, and there is none usable (${lastScanPath(ctx)})`, {
      hint: 'Run `ggen packs security-scan` first (it records what it finds there), then list again.',
    })
  }
  return last
}

export async function listInstalled(ctx: PacksContext, o: ListOptions = {}): Promise<ListResult> {
  const order = parseSortSpec(o.sort, LIST_SORT_FIELDS)
  const keep = await rowFilter(o)
  const last = lastScanFor(ctx, o)
  const finish = (installed: InstalledVersion[], multi: boolean, team: DeprecationRecord[]): ListRow[] => {
    const shown = new Map<ProjectRef, ListProject>()
    const rows = applyToRows(installed.map((v) => toRow(v, multi, ctx.paths.store, last, shown)), team).filter(keep)
    // the store answers by id, then semver: with no keys that is already the order
    if (order.length) rows.sort(comparator(order, LIST_SORT_FIELDS, byIdThenVersion))
    return rows
  }
  // this machine on the embedded store: the rows kept for the current snapshot, when there are (src/core/list-view.ts)
  const keepable = chooseBackend(o.backend, ctx.config, ctx.env) === 'memory' && o.machine === undefined
  const deprecations = keepable ? deprecationInputs(ctx) : ''
  const {kept, stats} = keepable ? keptList(ctx, o.roots, deprecations) : {kept: null, stats: undefined}
  if (kept) return {rows: finish(kept.installed, false, []), problems: kept.problems, backend: 'memory'}
  // a few projects changed: their rows patched into the kept ones, when they can be (src/core/list-patch.ts)
  const listPatch = keepable ? await import('./list-patch.js') : null
  const patched = listPatch && stats ? await listPatch.patchedList(ctx, stats, deprecations) : null
  if (patched) return {rows: finish(patched.installed, false, []), problems: patched.problems, backend: 'memory'}
  const {openWorkspaceGraph} = await import('./workspace-graph.js')
  const g = await openWorkspaceGraph(ctx, {backend: o.backend, roots: o.roots, withProjects: false, stats})
  try {
    const installed = await g.store.listInstalled({machine: o.machine, localMachine: ctx.machine})
    if (keepable && g.snapshotId) {
      keepList(ctx, g.snapshotId, deprecations, installed)
      const aid = g.parts ? listPatch!.aidOf(installed, g.parts) : null
      if (aid) listPatch!.keepAid(ctx, {snapshot: g.snapshotId, rows: aid})
    }
    return {rows: finish(installed, g.store.capabilities.scope === 'team', await teamRecords(g.store)), problems: g.problems, backend: g.store.name}
  } finally {
    await g.store.close()
  }
}
