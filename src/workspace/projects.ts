/**
 * Known projects: $GGEN_HOME/projects.json lists every project an install touched; `--root DIR`
 * adds projects found on disk. scanWorkspace reads each project's ggen.toml + lockfile, reusing a
 * cache keyed by file size and mtime so a nothing-changed rescan only stats files.
 * A broken project file is reported (path + error) and the rest is still read. Each project is
 * read as its last committed state (src/formats/journal.ts): a pending journal's `before`.
 */
import {statSync} from 'node:fs'
import {basename, join} from 'node:path'
import {isPacksError} from '../domain/errors.js'
import {ioError} from '../domain/io-errors.js'
import type {Lockfile, ProjectConfig} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic} from '../formats/fs.js'
import {lockfilePath, parseLockfile} from '../formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import type {HomePaths} from './home.js'
import {projectDirs} from './project-index.js'
import {LEGACY_LOCKFILE, parseLegacyLockfile} from '../formats/legacy-lockfile.js'
import {journalPath, readCommittedFiles} from '../formats/journal.js'
import {isPlainObject} from '../formats/parse.js'

export {discoverProjects, projectDirs, readProjectsFile, registerProject, unregisterProject, type ProjectsFile} from './project-index.js'

export interface ScannedProject {
  path: string
  config: ProjectConfig | null
  lock: Lockfile | null
  /** a problem reading this project's files (the project is still listed with what could be read) */
  error?: {code: string; message: string; file?: string; field?: string; hint?: string}
}

/**
 * mtime, size, inode and ctime of a file (null when absent): a rewrite through rename changes the
 * inode, and any write changes the ctime, which (unlike the mtime) nobody can set back
 */
type Stat = [number, number, number, number] | null

interface CacheEntry {
  t: Stat
  l: Stat
  /** the journal (.ggen/txn.json): while it exists the committed files are its `before` */
  j: Stat
  config: ProjectConfig | null
  lock: Lockfile | null
  error?: ScannedProject['error']
}

const CACHE_FORMAT = 'ggen-packs-workspace/2'

interface WorkspaceCache {
  format: typeof CACHE_FORMAT
  entries: Record<string, CacheEntry>
}

const statKey = (file: string): Stat => {
  try {
    const s = statSync(file)
    return [s.mtimeMs, s.size, s.ino, s.ctimeMs]
  } catch {
    return null
  }
}
const sameStat = (a: Stat, b: Stat) => (a === null ? b === null : b !== null && a.every((n, i) => n === b[i]))

const isStat = (v: unknown): v is Stat => v === null || (Array.isArray(v) && v.length === 4 && v.every((n) => typeof n === 'number'))
const objOrNull = (v: unknown) => v === null || isPlainObject(v)

/**
 * A cache entry of the right shape (anything else is re-read: the cache is ours, a damaged one
 * costs a rebuild, never a wrong answer or a crash).
 */
function usableEntry(e: unknown): e is CacheEntry {
  if (!isPlainObject(e) || !isStat(e.t) || !isStat(e.l) || !isStat(e.j) || !objOrNull(e.config) || !objOrNull(e.lock)) return false
  const c = e.config as Record<string, unknown> | null
  const l = e.lock as Record<string, unknown> | null
  return (c === null || (isPlainObject(c.project) && isPlainObject(c.packs))) && (l === null || isPlainObject(l.packs)) && (e.error === undefined || isPlainObject(e.error))
}

function readCache(file: string): WorkspaceCache {
  const empty: WorkspaceCache = {format: CACHE_FORMAT, entries: {}}
  try {
    const c = JSON.parse(readTextOrNull(file) ?? 'null') as unknown
    return isPlainObject(c) && c.format === CACHE_FORMAT && isPlainObject(c.entries) ? (c as unknown as WorkspaceCache) : empty
  } catch {
    return empty
  }
}

/** a reading problem as the scan reports it; a file-system fault gets its code (E_PERMISSION, ...); anything else is a bug */
function asProblem(e: unknown): NonNullable<ScannedProject['error']> {
  const p = isPacksError(e) ? e : ioError(e)
  if (!p) throw e
  return {code: p.code, message: p.message, ...(p.file ? {file: p.file} : {}), ...(p.field ? {field: p.field} : {}), ...(p.hint ? {hint: p.hint} : {})}
}

const parseConfig = (dir: string, text: string | null): ProjectConfig | null => (text === null ? null : parseProjectToml(text, projectFilePath(dir), basename(dir)))

function parseLock(dir: string, text: string | null): Lockfile | null {
  if (text !== null) return parseLockfile(text, lockfilePath(dir))
  // real ggen projects may only have a legacy TOML ggen.lock: read it (never rewritten here)
  const legacy = readTextOrNull(join(dir, LEGACY_LOCKFILE))
  return legacy === null ? null : parseLegacyLockfile(legacy, join(dir, LEGACY_LOCKFILE))
}

/**
 * A project's committed ggen.toml and lockfile, parsed (the journal's `before` while an operation
 * is pending: see src/formats/journal.ts). Throws the first problem.
 */
export function readProjectState(dir: string): {config: ProjectConfig | null; lock: Lockfile | null} {
  const files = readCommittedFiles(dir)
  return {config: parseConfig(dir, files.toml), lock: parseLock(dir, files.lock)}
}

/** the same, for scans: each file's problem is reported and the rest is still read */
export function readProjectForScan(dir: string): Pick<ScannedProject, 'config' | 'lock' | 'error'> {
  let files
  try {
    files = readCommittedFiles(dir)
  } catch (e) {
    return {config: null, lock: null, error: asProblem(e)}
  }
  let config: ProjectConfig | null = null
  let lock: Lockfile | null = null
  let error: ScannedProject['error']
  try {
    config = parseConfig(dir, files.toml)
  } catch (e) {
    error = asProblem(e)
  }
  try {
    lock = parseLock(dir, files.lock)
  } catch (e) {
    error ??= asProblem(e)
  }
  return {config, lock, ...(error ? {error} : {})}
}

export interface ScanResult {
  projects: ScannedProject[]
  /** how many projects were re-read (not served from the cache) */
  reread: number
}

export function scanWorkspace(paths: HomePaths, roots: string[] = [], opts: {useCache?: boolean} = {}): ScanResult {
  const useCache = opts.useCache ?? true
  const dirs = projectDirs(paths, roots)
  const cache: WorkspaceCache = useCache ? readCache(paths.workspaceCache) : {format: CACHE_FORMAT, entries: {}}
  const next: WorkspaceCache = {format: CACHE_FORMAT, entries: {}}
  const projects: ScannedProject[] = []
  let reread = 0
  let changed = Object.keys(cache.entries).length !== dirs.length
  for (const dir of dirs) {
    const t = statKey(projectFilePath(dir))
    const l = statKey(lockfilePath(dir)) ?? statKey(join(dir, LEGACY_LOCKFILE))
    const j = statKey(journalPath(dir))
    let e: unknown = cache.entries[dir]
    if (!usableEntry(e) || !sameStat(e.t, t) || !sameStat(e.l, l) || !sameStat(e.j, j)) {
      e = {t, l, j, ...readProjectForScan(dir)}
      reread++
      changed = true
    }
    const entry = e as CacheEntry
    next.entries[dir] = entry
    if (t === null && l === null && j === null) {
      projects.push({path: dir, config: null, lock: null, error: {code: 'E_NO_PROJECT', message: `${dir}: no ggen.toml or .ggen/packs.lock any more (moved or deleted?)`}})
      continue
    }
    projects.push({path: dir, config: entry.config, lock: entry.lock, ...(entry.error ? {error: entry.error} : {})})
  }
  if (useCache && changed) {
    try {
      writeFileAtomic(paths.workspaceCache, JSON.stringify(next))
    } catch {
      // a read-only home still lists
    }
  }
  return {projects, reread}
}
