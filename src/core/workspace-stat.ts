/**
 * Whether this machine's snapshot is current, without reading it: the stat of every known
 * project's files and of the store index, compared with what the snapshot's head recorded
 * (src/graph/snapshot-file.ts). Kept apart from src/core/workspace-graph.ts (which builds and
 * patches snapshots) so that an answer kept for a current snapshot (src/core/list-view.ts) loads
 * neither the snapshot code nor the graph.
 */
import {join} from 'node:path'
import {advisoryDbStamp} from '../advisories/db.js'
import {fileStamp} from '../formats/fs.js'
import {journalPath} from '../formats/journal.js'
import {LEGACY_LOCKFILE, lockfilePath, projectFilePath} from '../formats/paths.js'
import {readSnapshotHead, type CachedProblem, type SnapshotHead} from '../graph/snapshot-file.js'
import {projectDirs} from '../workspace/project-index.js'
import type {PacksContext} from './context.js'

/** a project folder that could not be read: path, error code, message (file, field, hint when known) */
export type ProjectProblem = CachedProblem

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

/** a missing file is '-' (no exception: this runs three times per project on every read) */
export const statPart = fileStamp

/**
 * mtime, ctime, size and inode of a project's files: ggen.toml, the lockfile (or the legacy one),
 * and the journal (while it exists the project is read as its `before`: src/formats/journal.ts).
 * A rewrite through rename changes the inode, any write the ctime, which nobody can set back.
 */
export function projectStat(dir: string): string {
  const lock = statPart(lockfilePath(dir))
  return `${statPart(projectFilePath(dir))}|${lock === '-' ? `L${statPart(join(dir, LEGACY_LOCKFILE))}` : lock}|${statPart(journalPath(dir))}`
}
export const GONE_STAT = '-|L-|-'

/** the project folders and the stat of each one's files and of the store index, as the snapshot head records them */
export interface WorkspaceStats {
  dirs: string[]
  stats: string[]
  storeStat: string
}

export function workspaceStats(ctx: PacksContext, roots: string[]): WorkspaceStats {
  const dirs = projectDirs(ctx.paths, roots)
  const stats = dirs.map(projectStat)
  // the advisory database is part of the derived rows' input: a new one reassembles them
  return {dirs, stats, storeStat: `${statPart(ctx.paths.storeIndex)}|advisories ${advisoryDbStamp(ctx.paths)}`}
}

/** the head's machine is ours */
export const usableHead = (ctx: PacksContext, h: SnapshotHead | null): h is SnapshotHead => h !== null && h.machine === ctx.machine

/** nothing the head records has changed since */
export const headIsCurrent = (h: SnapshotHead, w: WorkspaceStats): boolean =>
  h.store === w.storeStat && h.dirs.length === w.dirs.length && h.dirs.every(([d, st], i) => d === w.dirs[i] && st === w.stats[i])

/**
 * The head of the snapshot file (readSnapshotHead: without the body) when the
 * snapshot is this machine's and current: no project file and no store index changed since it was
 * written. What a kept answer (src/core/list-view.ts) checks before it is used. With the stats
 * taken (a caller that falls back to the snapshot hands them on: workspaceSnapshot's `stats`).
 */
export function currentHead(ctx: PacksContext, roots: string[]): {head: SnapshotHead | null; stats: WorkspaceStats} {
  const stats = workspaceStats(ctx, roots)
  const h = readSnapshotHead(ctx.paths.snapshotCache, ctx.paths.snapshotDelta)
  return {head: usableHead(ctx, h) && headIsCurrent(h, stats) ? h : null, stats}
}

/**
 * The problems a current head records, with the projects gone since warned about as opening the
 * graph does: what a command answering from something kept for that head (list's rows, the scan's
 * findings) says instead.
 */
export function headProblems(ctx: PacksContext, head: SnapshotHead): ProjectProblem[] {
  const {problems, gone} = splitGone(head.dirs.flatMap(([, , p]) => (p ? [p] : [])))
  const warning = goneWarning(gone)
  if (warning) ctx.warn(warning)
  return problems
}
