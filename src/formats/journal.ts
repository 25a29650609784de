/**
 * A project's committed files, as read commands see them.
 *
 * A transaction (src/ops/transaction.ts) writes `.ggen/txn.json` {before, after} before it touches
 * ggen.toml or the lockfile and removes it after the last write; a crash leaves it behind until
 * the next mutating command restores `before` under the project lock. Read commands never write
 * into a project (it may be another process's, mid-transaction, or read-only), so while a journal
 * exists — its writer alive or dead — they read the journal's `before`: the last committed state,
 * exactly what recovery restores. Without a journal the two files are read between two stamps
 * (inode, size, mtime and ctime of both files and of the journal); a transaction that started
 * or committed in between changes a stamp and the read is retried. Either way ggen.toml and the
 * lockfile come from one committed state, never a new ggen.toml with an old lockfile.
 */
import {statSync} from 'node:fs'
import {join} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {readTextOrNull} from './fs.js'
import {checkFormat, checkShape, type ShapeSpec} from './parse.js'
import {lockfilePath, projectFilePath} from './paths.js'

export const journalPath = (dir: string): string => join(dir, '.ggen', 'txn.json')

/** ggen.toml and .ggen/packs.lock texts (null when absent) */
export interface ProjectTexts {
  toml: string | null
  lock: string | null
}

export interface CommittedFiles extends ProjectTexts {
  /** a journal was pending: these are its `before` files (the files on disk may differ) */
  pending: boolean
}

const journalHint = (dir: string) =>
  `The journal of an interrupted operation is damaged; nothing was changed. Move it away after checking ${projectFilePath(dir)} and the lockfile by hand (\`ggen packs rollback --list --project ${dir}\` shows the history).`

/**
 * The `before` files of a pending journal; null when there is none, or when it does not parse (a
 * journal torn by a crash while it was written: no project file was touched yet). A journal that
 * parses but has the wrong shape is E_SCHEMA naming the field.
 */
export function readJournalBefore(dir: string): ProjectTexts | null {
  const file = journalPath(dir)
  const text = readTextOrNull(file)
  if (text === null) return null
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  const hint = journalHint(dir)
  const j = checkShape(raw, {format: 'string', gen: 'integer', action: 'string', before: 'object', after: 'object'}, file, '', hint)
  checkFormat(j, 'ggen-packs-journal/1', file, hint)
  const files: ShapeSpec = {toml: 'string|null', lock: 'string|null'}
  checkShape(j.after, files, file, 'after', hint)
  const before = checkShape(j.before, files, file, 'before', hint)
  return {toml: before.toml as string | null, lock: before.lock as string | null}
}

const stampOf = (file: string): string => {
  try {
    const s = statSync(file, {bigint: true})
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
  } catch {
    return '-'
  }
}

const stamp = (dir: string): {journal: boolean; all: string} => {
  const j = stampOf(journalPath(dir))
  return {journal: j !== '-', all: `${j}|${stampOf(projectFilePath(dir))}|${stampOf(lockfilePath(dir))}`}
}

const ATTEMPTS = 50

/** ggen.toml + lockfile of one committed state of the project (see the header); never writes */
export function readCommittedFiles(dir: string): CommittedFiles {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const s0 = stamp(dir)
    if (s0.journal) {
      const before = readJournalBefore(dir)
      if (before) return {...before, pending: true}
      // gone meanwhile (committed, or rolled back): look again
      if (stampOf(journalPath(dir)) === '-') continue
      // else a torn journal (the crash came while it was written): no project file was touched
    }
    const files = readFiles(dir)
    if (stamp(dir).all === s0.all) return {...files, pending: false}
  }
  throw new PacksError('E_LOCKED', `${dir} kept changing while it was read (${ATTEMPTS} tries)`, {
    file: projectFilePath(dir),
    hint: 'Another program is rewriting the project files in a loop; wait for it to finish and run again.',
  })
}

const readFiles = (dir: string): ProjectTexts => ({toml: readTextOrNull(projectFilePath(dir)), lock: readTextOrNull(lockfilePath(dir))})
