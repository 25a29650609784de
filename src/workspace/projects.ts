/**
 * Known projects: $GGEN_HOME/projects.json lists every project an install touched; `--root DIR`
 * adds projects found on disk. scanWorkspace reads each project's ggen.toml + lockfile, reusing a
 * cache keyed by file size and mtime so a nothing-changed rescan only stats files.
 * A broken project file is reported (path + error) and the rest is still read.
 */
import {statSync} from 'node:fs'
import {basename, join} from 'node:path'
import {isPacksError} from '../domain/errors.js'
import type {Lockfile, ProjectConfig} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic} from '../formats/fs.js'
import {lockfilePath, parseLockfile} from '../formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import type {HomePaths} from './home.js'
import {projectDirs} from './project-index.js'
import {LEGACY_LOCKFILE, parseLegacyLockfile} from '../formats/legacy-lockfile.js'

export {discoverProjects, projectDirs, readProjectsFile, registerProject, unregisterProject, type ProjectsFile} from './project-index.js'

export interface ScannedProject {
  path: string
  config: ProjectConfig | null
  lock: Lockfile | null
  /** a problem reading this project's files (the project is still listed with what could be read) */
  error?: {code: string; message: string; file?: string; field?: string}
}

interface CacheEntry {
  t: [number, number] | null
  l: [number, number] | null
  config: ProjectConfig | null
  lock: Lockfile | null
  error?: ScannedProject['error']
}

interface WorkspaceCache {
  format: 'ggen-packs-workspace/1'
  entries: Record<string, CacheEntry>
}

const statKey = (file: string): [number, number] | null => {
  try {
    const s = statSync(file)
    return [s.mtimeMs, s.size]
  } catch {
    return null
  }
}
const sameStat = (a: [number, number] | null, b: [number, number] | null) => (a === null ? b === null : b !== null && a[0] === b[0] && a[1] === b[1])

function readProject(dir: string): Omit<CacheEntry, 't' | 'l'> {
  let config: ProjectConfig | null = null
  let lock: Lockfile | null = null
  let error: ScannedProject['error']
  const asErr = (e: unknown) => {
    if (isPacksError(e)) return {code: e.code, message: e.message, file: e.file, field: e.field}
    return {code: 'E_IO', message: (e as Error).message}
  }
  try {
    const text = readTextOrNull(projectFilePath(dir))
    if (text !== null) config = parseProjectToml(text, projectFilePath(dir), basename(dir))
  } catch (e) {
    error = asErr(e)
  }
  try {
    const text = readTextOrNull(lockfilePath(dir))
    if (text !== null) lock = parseLockfile(text, lockfilePath(dir))
    else {
      // real ggen projects may only have a legacy TOML ggen.lock: read it (never rewritten here)
      const legacy = readTextOrNull(join(dir, LEGACY_LOCKFILE))
      if (legacy !== null) lock = parseLegacyLockfile(legacy, join(dir, LEGACY_LOCKFILE))
    }
  } catch (e) {
    error ??= asErr(e)
  }
  return {config, lock, error}
}

export interface ScanResult {
  projects: ScannedProject[]
  /** how many projects were re-read (not served from the cache) */
  reread: number
}

export function scanWorkspace(paths: HomePaths, roots: string[] = [], opts: {useCache?: boolean} = {}): ScanResult {
  const useCache = opts.useCache ?? true
  const dirs = projectDirs(paths, roots)
  let cache: WorkspaceCache = {format: 'ggen-packs-workspace/1', entries: {}}
  if (useCache) {
    try {
      const text = readTextOrNull(paths.workspaceCache)
      if (text) cache = JSON.parse(text) as WorkspaceCache
      if (cache.format !== 'ggen-packs-workspace/1') cache = {format: 'ggen-packs-workspace/1', entries: {}}
    } catch {
      cache = {format: 'ggen-packs-workspace/1', entries: {}}
    }
  }
  const next: WorkspaceCache = {format: 'ggen-packs-workspace/1', entries: {}}
  const projects: ScannedProject[] = []
  let reread = 0
  let changed = Object.keys(cache.entries).length !== dirs.length
  for (const dir of dirs) {
    const t = statKey(projectFilePath(dir))
    const l = statKey(lockfilePath(dir)) ?? statKey(join(dir, LEGACY_LOCKFILE))
    let e = cache.entries[dir]
    if (!e || !sameStat(e.t, t) || !sameStat(e.l, l)) {
      e = {t, l, ...readProject(dir)}
      reread++
      changed = true
    }
    next.entries[dir] = e
    if (t === null && l === null) {
      projects.push({path: dir, config: null, lock: null, error: {code: 'E_NO_PROJECT', message: `${dir}: no ggen.toml or .ggen/packs.lock any more (moved or deleted?)`}})
      continue
    }
    projects.push({path: dir, config: e.config, lock: e.lock, ...(e.error ? {error: e.error} : {})})
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
