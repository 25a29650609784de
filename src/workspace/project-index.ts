/**
 * The index of known projects ($GGEN_HOME/projects.json) and project discovery under --root.
 * No parser imports: read commands that hit the snapshot cache load only this.
 */
import {readdirSync} from 'node:fs'
import {isAbsolute, join, resolve} from 'node:path'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {checkFormat, checkShape, parseJsonText, shapeError, subField} from '../formats/parse.js'
import {PROJECT_FILE} from '../formats/paths.js'
import type {HomePaths} from './home.js'

export interface ProjectsFile {
  format: 'ggen-packs-projects/1'
  projects: Record<string, {registered_at: string}>
}

const projectsHint = (file: string) =>
  `${file} is the list of projects ggen packs knows; it was left as it is. Fix the field named above, restore the file from a backup, or move it away (each project is registered again by its next install).`

/**
 * $GGEN_HOME/projects.json; a missing file is an empty list. Anything else that is not
 * {format, projects: {<absolute path>: {registered_at}}} is E_PARSE / E_SCHEMA naming the field:
 * never read as empty (gc would then collect every store entry) and never overwritten.
 */
export function readProjectsFile(paths: HomePaths): ProjectsFile {
  const file = paths.projects
  const text = readTextOrNull(file)
  if (text === null) return {format: 'ggen-packs-projects/1', projects: {}}
  const hint = projectsHint(file)
  const raw = checkShape(parseJsonText(text, file), {format: 'string', projects: 'object'}, file, '', hint)
  checkFormat(raw, 'ggen-packs-projects/1', file, hint)
  for (const [dir, entry] of Object.entries(raw.projects as Record<string, unknown>)) {
    const field = subField('projects', dir)
    if (!isAbsolute(dir)) throw shapeError(file, field, 'an absolute project path as the key', dir, hint)
    checkShape(entry, {registered_at: 'string'}, file, field, hint)
  }
  return raw as unknown as ProjectsFile
}

export async function registerProject(paths: HomePaths, dir: string): Promise<void> {
  const abs = resolve(dir)
  const now = readProjectsFile(paths)
  if (now.projects[abs]) return
  await withLock(paths.homeLock, () => {
    const pf = readProjectsFile(paths)
    if (pf.projects[abs]) return
    pf.projects[abs] = {registered_at: new Date().toISOString()}
    writeJsonAtomic(paths.projects, pf)
  })
}

export async function unregisterProject(paths: HomePaths, dir: string): Promise<void> {
  const abs = resolve(dir)
  await withLock(paths.homeLock, () => {
    const pf = readProjectsFile(paths)
    if (!pf.projects[abs]) return
    delete pf.projects[abs]
    writeJsonAtomic(paths.projects, pf)
  })
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.ggen', 'dist', 'target', '.neo4j'])

/** find directories holding a ggen.toml below `root` (depth-limited) */
export function discoverProjects(root: string, maxDepth = 8): string[] {
  const out: string[] = []
  const walk = (dir: string, depth: number) => {
    let entries
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch {
      return
    }
    if (entries.some((e) => e.isFile() && e.name === PROJECT_FILE)) out.push(dir)
    if (depth >= maxDepth) return
    for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name), depth + 1)
  }
  walk(resolve(root), 0)
  return out.sort()
}

export function projectDirs(paths: HomePaths, roots: string[] = []): string[] {
  const set = new Set(Object.keys(readProjectsFile(paths).projects))
  for (const r of roots) for (const d of discoverProjects(r)) set.add(d)
  return [...set].sort()
}
