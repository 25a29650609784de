/**
 * `packs projects prune`: forget the known projects ($GGEN_HOME/projects.json) whose folder holds
 * neither ggen.toml nor a lockfile any more (moved or deleted) - what read commands warn about as
 * "known projects are gone". One atomic rewrite of projects.json under the home lock, and one
 * audit entry; the project folders themselves are never touched.
 */
import {appendAudit} from '../audit/log.js'
import {writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {readProjectsFile, type ProjectsFile} from '../workspace/project-index.js'
import {isProjectDir} from './analysis/graph.js'
import type {PacksContext} from './context.js'

export interface PruneProjectsResult {
  dry_run: boolean
  /** the forgotten folders (or those that would be), sorted */
  removed: string[]
  /** known projects left */
  kept: number
}

const goneIn = (pf: ProjectsFile): string[] => Object.keys(pf.projects).filter((dir) => !isProjectDir(dir)).sort()

export async function pruneProjects(ctx: PacksContext, o: {dryRun?: boolean} = {}): Promise<PruneProjectsResult> {
  if (o.dryRun) {
    const pf = readProjectsFile(ctx.paths)
    const removed = goneIn(pf)
    return {dry_run: true, removed, kept: Object.keys(pf.projects).length - removed.length}
  }
  return withLock(ctx.paths.homeLock, () => {
    const pf = readProjectsFile(ctx.paths)
    const removed = goneIn(pf)
    if (removed.length > 0) {
      for (const dir of removed) delete pf.projects[dir]
      writeJsonAtomic(ctx.paths.projects, pf)
      appendAudit(ctx.paths, {action: 'projects-prune', details: `forgot ${removed.length} known project(s) whose folder is gone: ${removed.slice(0, 20).join(', ')}${removed.length > 20 ? ', ...' : ''}`, affected_packages: [], result: 'success', project: null, machine: ctx.machine})
    }
    return {dry_run: false, removed, kept: Object.keys(pf.projects).length}
  })
}
