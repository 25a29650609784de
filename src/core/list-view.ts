/**
 * list's rows, kept: $GGEN_HOME/cache/list-view.cache holds what the embedded store answered
 * `listInstalled` with (this machine, its store entries) for one snapshot, named by the id in the
 * snapshot's head (src/graph/snapshot-file.ts), with the deprecation files applied to them
 * (version-states.json and both overlays, by fileStamp). A `list` with nothing changed reads the
 * snapshot's head (is it current?) and these rows: neither the snapshot's body nor the graph.
 *
 * A cache like the snapshot: framed (format line, CRC-32, byte count); missing, damaged, of
 * another snapshot or of other deprecation files, it reads as absent and list answers from the
 * graph (and writes it again). The deprecation stamps are taken before the snapshot is read, so
 * a file changing meanwhile makes the kept rows stale, never wrong.
 *
 * Packed: the projects once, in a table (each row's projects are indexes into it); each row a
 * tuple in ROW_FIELDS order, null for a field the version lacks (list reads null and absent
 * alike: toRow in src/core/list.ts); the integrity, which list does not show, is not kept.
 */
import {fileStamp, writeFileAtomic} from '../formats/fs.js'
import {frame, readFramed} from '../formats/framed.js'
import type {InstalledVersion, ProjectRef} from '../graph/graph-store.js'
import type {PacksContext} from './context.js'
import {currentHead, headProblems, type ProjectProblem, type WorkspaceStats} from './workspace-stat.js'

export const LIST_VIEW_FORMAT = 'ggen-packs-list-view/2'

/** what list shows of a row (not its integrity: a fifth of the bytes, and no column) */
const ROW_FIELDS = ['id', 'version', 'name', 'author', 'license', 'quality_score', 'production_ready', 'size', 'description', 'source', 'deprecated', 'yanked', 'last_used', 'store_entry'] as const

export interface ListViewBody {
  snapshot: string
  deprecations: string
  projects: ProjectRef[]
  rows: unknown[][]
}

/** the stamps of the files whose deprecations the rows carry */
export function deprecationInputs(ctx: PacksContext): string {
  const p = ctx.paths
  return `${fileStamp(p.versionStates)}|${fileStamp(p.deprecations)}|${fileStamp(p.teamDeprecations)}`
}

export function encodeListView(snapshot: string, deprecations: string, rows: InstalledVersion[]): string {
  const projects: ProjectRef[] = []
  // by object: the store hands out one ProjectRef per project
  const index = new Map<ProjectRef, number>()
  const indexOf = (p: ProjectRef): number => {
    let i = index.get(p)
    if (i === undefined) {
      i = projects.push(p) - 1
      index.set(p, i)
    }
    return i
  }
  const packed: unknown[][] = new Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!
    const refs: number[] = new Array(r.projects.length)
    for (let j = 0; j < refs.length; j++) refs[j] = indexOf(r.projects[j]!)
    // in ROW_FIELDS order, then the project indexes
    packed[i] = [r.id, r.version, r.name ?? null, r.author ?? null, r.license ?? null, r.quality_score ?? null, r.production_ready ?? null, r.size ?? null, r.description ?? null, r.source ?? null, r.deprecated ?? null, r.yanked ?? null, r.last_used ?? null, r.store_entry ?? null, refs]
  }
  return JSON.stringify({snapshot, deprecations, projects, rows: packed} satisfies ListViewBody)
}

export const frameListView = (body: string): Buffer => frame(LIST_VIEW_FORMAT, body)

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** the body, or null when missing, of another format, cut short, extended, damaged or of the wrong shape */
export function readListView(file: string): ListViewBody | null {
  const text = readFramed(file, LIST_VIEW_FORMAT)
  return text === null ? null : parseListView(text)
}

/** an encoded body (encodeListView), or null when it is not JSON of the right shape */
export function parseListView(text: string): ListViewBody | null {
  let b: unknown
  try {
    b = JSON.parse(text)
  } catch {
    return null
  }
  if (!isObj(b) || typeof b.snapshot !== 'string' || typeof b.deprecations !== 'string' || !Array.isArray(b.projects) || !Array.isArray(b.rows)) return null
  return b as unknown as ListViewBody
}

const orUndefined = <T>(x: T | null): T | undefined => (x === null ? undefined : x)

/** the rows unpacked (each in one object shape, as the store makes them), or null when one is of the wrong shape */
export function decodeRows(b: ListViewBody): InstalledVersion[] | null {
  const n = ROW_FIELDS.length
  const out: InstalledVersion[] = new Array(b.rows.length)
  for (let i = 0; i < b.rows.length; i++) {
    const t = b.rows[i] as never[]
    if (!Array.isArray(t) || t.length !== n + 1 || typeof t[0] !== 'string' || typeof t[1] !== 'string' || !Array.isArray(t[n])) return null
    const refs = t[n] as unknown[]
    const projects: ProjectRef[] = new Array(refs.length)
    for (let j = 0; j < refs.length; j++) {
      const p = b.projects[refs[j] as number] as ProjectRef | undefined
      if (!isObj(p)) return null
      projects[j] = p
    }
    // in ROW_FIELDS order
    out[i] = {
      id: t[0],
      version: t[1],
      name: t[2] ?? t[0],
      author: orUndefined(t[3]),
      license: orUndefined(t[4]),
      quality_score: orUndefined(t[5]),
      production_ready: orUndefined(t[6]),
      size: orUndefined(t[7]),
      integrity: undefined,
      description: orUndefined(t[8]),
      source: orUndefined(t[9]),
      deprecated: t[10] ?? null,
      yanked: t[11] ?? false,
      projects,
      last_used: orUndefined(t[12]),
      store_entry: t[13] ?? null,
    }
  }
  return out
}

export interface KeptList {
  installed: InstalledVersion[]
  problems: ProjectProblem[]
}

/**
 * The kept rows (`kept`) when the snapshot is current (no project file, no store index changed)
 * and the rows are of that snapshot and of these deprecation files; else null, with the `stats`
 * taken (for the graph to be opened without taking them again). Warns about gone projects as
 * opening the graph does.
 */
export function keptList(ctx: PacksContext, roots: string[] | undefined, deprecations: string): {kept: KeptList | null; stats: WorkspaceStats} {
  const {head, stats} = currentHead(ctx, roots ?? [])
  const b = head ? readListView(ctx.paths.listView) : null
  const installed = b && b.snapshot === head!.id && b.deprecations === deprecations ? decodeRows(b) : null
  if (!installed) return {kept: null, stats}
  return {kept: {installed, problems: headProblems(ctx, head!)}, stats}
}

/** keep the rows of snapshot `id` (best effort: a read-only $GGEN_HOME still answers) */
export function keepList(ctx: PacksContext, id: string, deprecations: string, rows: InstalledVersion[]): void {
  try {
    writeFileAtomic(ctx.paths.listView, frameListView(encodeListView(id, deprecations, rows)), {force: true, cache: true})
  } catch {
    // not kept: the next list builds the graph again
  }
}
