/**
 * The one transaction helper every mutation goes through:
 *   project lock -> recover an interrupted transaction -> read current files -> plan (pure; may
 *   throw: nothing written) -> journal {before, after} -> write ggen.toml + lockfile atomically ->
 *   history generation -> drop journal -> audit entry -> unlock.
 * A failure at any step leaves the project exactly as before: in-process failures restore the
 * old bytes; a crash (SIGKILL) leaves the journal, and the next command that takes the lock
 * restores the old files from it. The project is therefore always wholly old or wholly new once
 * any command has run, and the journal names both states until then.
 */
import {existsSync, mkdirSync} from 'node:fs'
import {basename, join} from 'node:path'
import {anchorPoint} from '../audit/anchor.js'
import {appendAudit, currentUser} from '../audit/log.js'
import {isPacksError, PacksError} from '../domain/errors.js'
import {readTextOrNull, removeFile, writeFileAtomic, writeJsonAtomic} from '../formats/fs.js'
import {acquireLock} from '../formats/lock.js'
import {now} from '../util/environment.js'
import {lockfilePath} from '../formats/lockfile.js'
import {parseJsonText} from '../formats/parse.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import {machineName, type HomePaths} from '../workspace/home.js'
import {readProjectsFile, registerProject} from '../workspace/projects.js'
import {requireProjectDir} from '../workspace/project-dir.js'
import {journalPath, readJournalBefore} from '../formats/journal.js'
import type {TxnGate} from './policy-gate.js'
import {listGenerations, nextGeneration, removeGeneration, writeGeneration, type ProjectFiles} from '../workspace/history.js'

export {journalPath}
export const projectLockPath = (dir: string): string => join(dir, '.ggen', '.packs.lck')

interface Journal {
  format: 'ggen-packs-journal/1'
  gen: number
  action: string
  before: ProjectFiles
  after: ProjectFiles
}

export function readProjectFiles(dir: string): ProjectFiles {
  return {toml: readTextOrNull(projectFilePath(dir)), lock: readTextOrNull(lockfilePath(dir))}
}

function putFiles(dir: string, files: ProjectFiles): void {
  if (files.toml === null) removeFile(projectFilePath(dir))
  else writeFileAtomic(projectFilePath(dir), files.toml)
  if (files.lock === null) removeFile(lockfilePath(dir))
  else writeFileAtomic(lockfilePath(dir), files.lock)
}

/** restore the old files from an interrupted transaction's journal (caller holds the lock) */
export function recoverJournal(paths: HomePaths, dir: string): boolean {
  const jf = journalPath(dir)
  const text = readTextOrNull(jf)
  if (text === null) return false
  let j: Journal
  try {
    j = parseJsonText(text, jf) as Journal
  } catch {
    // a torn journal means the crash came before the journal was complete: no project file was touched
    removeFile(jf)
    return true
  }
  readJournalBefore(dir) // one of the wrong shape is E_SCHEMA naming the field, never acted on
  putFiles(dir, j.before)
  removeGeneration(paths, dir, j.gen)
  removeFile(jf)
  appendAudit(paths, {action: j.action, details: `interrupted ${j.action} rolled back: the project was restored to its state before it`, affected_packages: [], result: 'failure', project: dir, machine: machineName()})
  process.stderr.write(`ggen packs: restored ${dir} after an interrupted \`${j.action}\`\n`)
  return true
}

export interface TxnContext {
  dir: string
  before: ProjectFiles
}

export interface TxnPlan<R> {
  after: ProjectFiles
  result: R
  /** audit */
  details: string
  affected: string[]
}

export interface TxnOptions {
  action: string
  machine: string
  /** register the project in $GGEN_HOME's index of projects (default true) */
  register?: boolean
  /** called when another process holds the project lock */
  onWait?: () => void
  /** the policy gate (src/ops/policy-gate.ts): may refuse (nothing written); what it returns is added to the audit entry */
  gate?: TxnGate
}

/** the project's team ([project] team of ggen.toml) for its audit entries; none when unreadable */
function teamOf(dir: string, ...texts: (string | null | undefined)[]): {team?: string} {
  for (const t of texts) {
    if (!t) continue
    try {
      const team = parseProjectToml(t, projectFilePath(dir)).project.team
      return team ? {team} : {}
    } catch {
      // a broken ggen.toml has no team to report; the operation reports the file itself
    }
  }
  return {}
}

/**
 * Run a mutation of one project. `plan` sees the current files and returns the new ones; it may
 * do slow work (resolution, downloads into the store) since it runs under the project lock.
 */
export async function runTransaction<R>(paths: HomePaths, projectDir: string, opts: TxnOptions, plan: (ctx: TxnContext) => Promise<TxnPlan<R>>): Promise<R & {generation: number | null; changed: boolean}> {
  // the project folder must exist (never created here: install --init does that); a broken
  // projects.json or history refuses the operation before anything is fetched or written
  const dir = requireProjectDir(projectDir)
  if (opts.register !== false) readProjectsFile(paths)
  listGenerations(paths, dir)
  mkdirSync(join(dir, '.ggen'), {recursive: true})
  const lock = acquireLock(projectLockPath(dir), {onWait: opts.onWait})
  let affected: string[] = []
  let details = ''
  let team: {team?: string} = {}
  try {
    recoverJournal(paths, dir)
    const before = readProjectFiles(dir)
    team = teamOf(dir, before.toml)
    const p = await plan({dir, before})
    affected = p.affected
    details = p.details
    team = teamOf(dir, p.after.toml, before.toml)
    const breach = opts.gate && (p.after.toml !== before.toml || p.after.lock !== before.lock) ? await opts.gate({dir, before, after: p.after}) : null
    if (breach) p.details = details = `${p.details}; ${breach}`
    const changed = p.after.toml !== before.toml || p.after.lock !== before.lock
    if (!changed) {
      appendAudit(paths, {action: opts.action, details: `${p.details} (no change)`, affected_packages: p.affected, result: 'success', project: dir, machine: opts.machine, ...team})
      return {...p.result, generation: null, changed: false}
    }
    const gen = nextGeneration(paths, dir)
    const journal: Journal = {format: 'ggen-packs-journal/1', gen, action: opts.action, before, after: p.after}
    writeJsonAtomic(journalPath(dir), journal)
    try {
      putFiles(dir, p.after)
      writeGeneration(paths, {format: 'ggen-packs-history/1', gen, project: dir, at: now().toISOString(), action: opts.action, details: p.details, user: currentUser(), before, after: p.after, audit_anchor: anchorPoint(paths)})
      if (opts.register !== false && existsSync(projectFilePath(dir))) await registerProject(paths, dir)
      // the audit entry is part of the commit: written before the journal goes, so a crash between
      // the two is rolled back (and recorded as interrupted) instead of losing the entry
      appendAudit(paths, {action: opts.action, details: p.details, affected_packages: p.affected, result: 'success', project: dir, machine: opts.machine, ...team})
      removeFile(journalPath(dir))
    } catch (error) {
      // restore the old bytes, then drop the journal
      try {
        putFiles(dir, before)
        removeGeneration(paths, dir, gen)
        removeFile(journalPath(dir))
      } catch {
        // the journal stays: the next command restores from it
      }
      throw error
    }
    return {...p.result, generation: gen, changed: true}
  } catch (error) {
    try {
      appendAudit(paths, {
        action: opts.action,
        details: `${details || basename(dir)}: ${isPacksError(error) ? `[${error.code}] ` : ''}${(error as Error).message.split('\n')[0]}`,
        affected_packages: affected,
        result: 'failure',
        project: dir,
        machine: opts.machine,
        ...team,
      })
    } catch {
      // auditing a failure must not hide it
    }
    throw error
  } finally {
    lock.release()
  }
}

export {PacksError}
