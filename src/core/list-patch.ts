/**
 * `list` after a few projects' files changed, without the snapshot's body (issue 13: one changed
 * project among 1,000 costs about what nothing changed does). What list shows of a row is a function
 * of the projects locking that version and, for each, its lock's integrity (the store entry the
 * version's metadata comes from) and the origin it was installed from: the version row is made
 * from the first locking project by path and filled in from the next ones (lockRows in
 * src/graph/snapshot.ts). So when every project locking a version locked the same integrity from
 * the same origin (the row is *uniform*), which projects lock it changes only the row's projects
 * and its last_used, never its metadata.
 *
 * $GGEN_HOME/cache/list-aid.cache keeps, beside list's rows (src/core/list-view.ts) and for the same
 * snapshot id, each row's uniform signature (null: not uniform) and each of its projects' lock date.
 * A list whose snapshot head records other stats for a few projects (nothing else changed: the same
 * folders, the same store index and advisory database) reads those projects again and patches the
 * kept rows: a project leaves the rows it no longer locks and joins those it does. It declines (and
 * list answers from the graph as before) when a touched row is not uniform, a project joins a row with
 * another signature or a version no kept row has, a changed project cannot be read or is gone, or
 * more than PATCH_MAX projects changed. Then it writes the new head and the changed projects as the
 * snapshot's delta (cache/snapshot-delta.cache beside snapshot.cache, which is not rewritten:
 * src/graph/snapshot-file.ts; the next reader of the body applies it), and the rows and aid under
 * the new id. test/unit/list-patch.test.ts checks the patched
 * rows equal the store's rows for the new projects on random workspaces.
 */
import {createHash, randomUUID} from 'node:crypto'
import {writeFileAtomic} from '../formats/fs.js'
import {frame, readFramed} from '../formats/framed.js'
import type {InstalledVersion, ProjectRef} from '../graph/graph-store.js'
import {versionKey} from '../graph/model.js'
import {refOf} from '../graph/project-ref.js'
import {encodeDelta, readSnapshotHead, type SnapshotHead} from '../graph/snapshot-file.js'
import {lockOf, type LockOrigin, type ProjectPart} from '../graph/snapshot.js'
import type {PacksContext} from './context.js'
import {decodeRows, frameListView, readListView, type KeptList, type ListViewBody} from './list-view.js'
import {GONE_STAT, headProblems, usableHead, type WorkspaceStats} from './workspace-stat.js'

export const LIST_AID_FORMAT = 'ggen-packs-list-aid/1'

/** at most this many changed projects are patched in; more: list answers from the graph */
export const PATCH_MAX = 16

/** a row's aid: its signature when uniform (else null), and each of its projects' lock date (aligned with its project indexes) */
export type AidRow = [string | null, (string | null)[]]

export interface ListAid {
  snapshot: string
  rows: AidRow[]
}

/** on disk: each distinct date once (a project's locks mostly share one), rows naming them by index (-1: none) */
interface PackedAid {
  snapshot: string
  dates: string[]
  rows: [string | null, number[]][]
}

/** where the row's column of project indexes is (the last of each packed row: src/core/list-view.ts) */
const REFS = 14
const LAST_USED = 12

/**
 * what a project's lock of a version makes of the version's row: its integrity and its origin,
 * hashed (128 bits of SHA-256: an integrity and an origin path would take 150 bytes a row)
 */
const signature = (integrity: string | undefined, origin: LockOrigin | undefined): string =>
  createHash('sha256')
    .update(JSON.stringify([integrity ?? null, origin?.source ?? null]))
    .digest('base64')
    .slice(0, 22)

/** the aid of the store's rows, from every project's part (null when a row's project has no part: the aid is not kept) */
export function aidOf(rows: InstalledVersion[], parts: Map<string, ProjectPart>): AidRow[] | null {
  const out: AidRow[] = new Array(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    // the first project's integrity and origin, compared with the others' as they are (hashed once, when all agree)
    let integrity: string | undefined
    let origin: LockOrigin | undefined
    let uniform = true
    const dates: (string | null)[] = new Array(row.projects.length)
    for (let j = 0; j < row.projects.length; j++) {
      const part = parts.get(row.projects[j]!.path)
      const i = part ? lockOf(part, row.id) : -1
      const lock = i < 0 ? undefined : part!.row.locks[i]!
      if (!lock || lock.version !== row.version) return null
      if (j === 0) {
        integrity = lock.integrity
        origin = part!.origins[i]
      } else if (uniform && (lock.integrity !== integrity || part!.origins[i]?.source !== origin?.source)) uniform = false
      dates[j] = lock.installed_at ?? null
    }
    out[r] = [uniform && row.projects.length > 0 ? signature(integrity, origin) : null, dates]
  }
  return out
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** the aid, or null when missing, damaged or of the wrong shape */
export function readAid(file: string): ListAid | null {
  const text = readFramed(file, LIST_AID_FORMAT)
  if (text === null) return null
  let a: unknown
  try {
    a = JSON.parse(text)
  } catch {
    return null
  }
  if (!isObj(a) || typeof a.snapshot !== 'string' || !Array.isArray(a.dates) || !Array.isArray(a.rows) || !a.dates.every((d) => typeof d === 'string')) return null
  const dates = a.dates as string[]
  const rows: AidRow[] = new Array(a.rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = (a.rows as unknown[])[r]
    if (!Array.isArray(row) || row.length !== 2 || !(row[0] === null || typeof row[0] === 'string') || !Array.isArray(row[1])) return null
    const at = row[1] as unknown[]
    const out: (string | null)[] = new Array(at.length)
    for (let j = 0; j < at.length; j++) {
      const i = at[j]
      if (!Number.isInteger(i) || (i as number) < -1 || (i as number) >= dates.length) return null
      out[j] = i === -1 ? null : dates[i as number]!
    }
    rows[r] = [row[0] as string | null, out]
  }
  return {snapshot: a.snapshot, rows}
}

function packAid(aid: ListAid): PackedAid {
  const dates: string[] = []
  const index = new Map<string, number>()
  const at = (d: string | null): number => {
    if (d === null) return -1
    let i = index.get(d)
    if (i === undefined) index.set(d, (i = dates.push(d) - 1))
    return i
  }
  return {snapshot: aid.snapshot, dates, rows: aid.rows.map(([sig, ds]) => [sig, ds.map(at)])}
}

/** keep the aid of snapshot `id` (best effort, as the rows) */
export function keepAid(ctx: PacksContext, aid: ListAid): void {
  try {
    writeFileAtomic(ctx.paths.listAid, frame(LIST_AID_FORMAT, JSON.stringify(packAid(aid))), {force: true, cache: true})
  } catch {
    // not kept: the next changed project is answered from the graph
  }
}

const latest = (dates: (string | null)[]): string | null => {
  let best: string | null = null
  for (const d of dates) if (d && (best === null || d > best)) best = d
  return best
}

/**
 * The kept rows with `changes` (project path -> its new part) patched in, or null when a row they
 * touch cannot be patched (see the module's comment). Pure: `view` and `aid` are not changed.
 */
export function patchListView(view: ListViewBody, aid: AidRow[], changes: Map<string, ProjectPart>): {view: ListViewBody; aid: AidRow[]} | null {
  if (aid.length !== view.rows.length) return null
  const projects = view.projects.slice()
  const byPath = new Map(projects.map((p, i) => [p.path, i]))
  const rows = view.rows.slice()
  const aids = aid.slice()
  const byKey = new Map<string, number>()
  for (let r = 0; r < rows.length; r++) byKey.set(versionKey(rows[r]![0] as string, rows[r]![1] as string), r)
  const copied = new Set<number>()
  /** row r, copied before its first change */
  const edit = (r: number): {row: unknown[]; refs: number[]; dates: (string | null)[]} => {
    if (!copied.has(r)) {
      copied.add(r)
      rows[r] = [...rows[r]!]
      rows[r]![REFS] = [...(rows[r]![REFS] as number[])]
      aids[r] = [aids[r]![0], [...aids[r]![1]]]
    }
    return {row: rows[r]!, refs: rows[r]![REFS] as number[], dates: aids[r]![1]}
  }
  const pathOf = (i: number): string => projects[i]!.path
  for (const [path, part] of changes) {
    if (part.row.path !== path) return null
    let pi = byPath.get(path)
    if (pi === undefined) byPath.set(path, (pi = projects.push(refOf(part.row)) - 1))
    else projects[pi] = refOf(part.row)
    const locks = new Map(part.row.locks.map((l, i) => [versionKey(l.id, l.version), i]))
    // the rows it leaves
    for (let r = 0; r < rows.length; r++) {
      const refs = rows[r]?.[REFS] as number[] | undefined
      if (!refs?.includes(pi) || locks.has(versionKey(rows[r]![0] as string, rows[r]![1] as string))) continue
      if (aids[r]![0] === null) return null
      const e = edit(r)
      const at = e.refs.indexOf(pi)
      e.refs.splice(at, 1)
      e.dates.splice(at, 1)
    }
    // the rows it locks (the same or joined)
    for (const [key, i] of locks) {
      const r = byKey.get(key)
      if (r === undefined) return null
      const lock = part.row.locks[i]!
      if (aids[r]![0] !== signature(lock.integrity, part.origins[i])) return null
      const e = edit(r)
      const date = lock.installed_at ?? null
      const at = e.refs.indexOf(pi)
      if (at >= 0) e.dates[at] = date
      else {
        // projects in path order (one machine: this one's)
        let j = 0
        while (j < e.refs.length && pathOf(e.refs[j]!) < path) j++
        e.refs.splice(j, 0, pi)
        e.dates.splice(j, 0, date)
      }
    }
  }
  const keptRows: unknown[][] = []
  const keptAid: AidRow[] = []
  for (let r = 0; r < rows.length; r++) {
    const refs = rows[r]![REFS] as number[]
    if (refs.length === 0) continue // no project locks it any more
    if (copied.has(r)) rows[r]![LAST_USED] = latest(aids[r]![1])
    keptRows.push(rows[r]!)
    keptAid.push(aids[r]!)
  }
  return {view: {...view, projects, rows: keptRows}, aid: keptAid}
}

/**
 * list's rows after a few projects changed, patched (see the module's comment), or null when they
 * cannot be: list then answers from the graph. `stats`: taken before anything was read (keptList).
 */
export async function patchedList(ctx: PacksContext, stats: WorkspaceStats, deprecations: string): Promise<KeptList | null> {
  const file = ctx.paths.snapshotCache
  const h = readSnapshotHead(file, ctx.paths.snapshotDelta)
  if (!usableHead(ctx, h) || h.store !== stats.storeStat || h.dirs.length !== stats.dirs.length) return null
  const changed: number[] = []
  for (let i = 0; i < h.dirs.length; i++) {
    if (h.dirs[i]![0] !== stats.dirs[i]) return null
    if (h.dirs[i]![1] !== stats.stats[i]) changed.push(i)
  }
  if (changed.length === 0 || changed.length > PATCH_MAX || changed.some((i) => stats.stats[i] === GONE_STAT)) return null
  const view = readListView(ctx.paths.listView)
  if (!view || view.snapshot !== h.id || view.deprecations !== deprecations) return null
  const aid = readAid(ctx.paths.listAid)
  if (!aid || aid.snapshot !== h.id) return null
  // the parsers load only now: a project file must really be read
  const [{readProjectForScan}, {projectPart}] = await Promise.all([import('../workspace/projects.js'), import('../graph/snapshot.js')])
  const changes = new Map<string, ProjectPart>()
  for (const i of changed) {
    const dir = stats.dirs[i]!
    const read = readProjectForScan(dir)
    const part = read.error ? null : projectPart(ctx.machine, {path: dir, ...read})
    if (!part) return null // a problem to report, or nothing to read: the graph answers
    changes.set(dir, part)
  }
  const patched = patchListView(view, aid.rows, changes)
  const installed = patched ? decodeRows(patched.view) : null
  if (!patched || !installed) return null
  const id = randomUUID()
  const head: SnapshotHead = {...h, id, dirs: h.dirs.map(([d, st, p], i) => (changes.has(d) ? [d, stats.stats[i]!, 0] : [d, st, p]))}
  const bytes = encodeDelta(file, ctx.paths.snapshotDelta, head, changes)
  if (!bytes) return null
  try {
    writeFileAtomic(ctx.paths.snapshotDelta, bytes, {force: true, cache: true})
  } catch {
    return null // a read-only $GGEN_HOME: the graph answers, as it did
  }
  try {
    writeFileAtomic(ctx.paths.listView, frameListView(JSON.stringify({...patched.view, snapshot: id} satisfies ListViewBody)), {force: true, cache: true})
  } catch {
    // not kept: the next list answers from the graph
  }
  keepAid(ctx, {snapshot: id, rows: patched.aid})
  return {installed, problems: headProblems(ctx, head)}
}

/** the projects a row names, by path (for tests and the aid) */
export const rowPaths = (view: ListViewBody, r: number): string[] => (view.rows[r]![REFS] as number[]).map((i) => (view.projects[i] as ProjectRef).path)
