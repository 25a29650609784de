/**
 * History generations: every mutation saves the project's files before and after under
 * $GGEN_HOME/history/<project-hash>/<NNNNNN>.json, so any earlier state can be restored
 * (`packs rollback`, `packs undo`). Store entries referenced by a generation are named in it.
 *
 * Each generation also records the audit anchor as it was when the generation was written
 * (`audit_anchor`: entry count and head hash). runTransaction writes the generation before it
 * appends the transaction's audit entry, so this is the log's head just before that entry.
 * `audit --verify` checks every generation's point against the log: a log rewritten together
 * with its anchor still disagrees with the history.
 *
 * $GGEN_HOME state, read by src/ops (transaction, rollback) and src/audit (verify); the writer
 * (src/ops/transaction.ts) fills in `audit_anchor`.
 */
import {createHash} from 'node:crypto'
import {readdirSync, rmSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {checkFormat, checkShape, parseJsonText, shapeError, type ShapeSpec} from '../formats/parse.js'
import type {HomePaths} from './home.js'

export interface ProjectFiles {
  /** ggen.toml text, null when absent */
  toml: string | null
  /** .ggen/packs.lock text, null when absent */
  lock: string | null
}

export interface Generation {
  format: 'ggen-packs-history/1'
  gen: number
  project: string
  at: string
  action: string
  details: string
  user: string
  before: ProjectFiles
  after: ProjectFiles
  /** the audit anchor when this generation was written (before its own entry); null: no anchor then; absent: written by a version before anchors */
  audit_anchor?: HistoryAnchor | null
}

/** an audit anchor point as a generation records it (src/audit/anchor.ts AnchorPoint) */
export interface HistoryAnchor {
  count: number
  head: string
}

export const historyDir = (paths: HomePaths, projectDir: string): string =>
  join(paths.history, createHash('sha256').update(resolve(projectDir)).digest('hex').slice(0, 16))

const genFile = (dir: string, gen: number) => join(dir, `${String(gen).padStart(6, '0')}.json`)

export function listGenerations(paths: HomePaths, projectDir: string): Generation[] {
  return generationsIn(historyDir(paths, projectDir))
}

/** every generation of every project (for `audit --verify`) */
export function listAllGenerations(paths: HomePaths): Generation[] {
  let dirs: string[]
  try {
    dirs = readdirSync(paths.history, {withFileTypes: true}).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  } catch {
    return []
  }
  return dirs.flatMap((d) => generationsIn(join(paths.history, d)))
}

function generationsIn(dir: string): Generation[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => /^\d{6}\.json$/.test(n)).sort()
  } catch {
    return []
  }
  return names.map((n) => parseGeneration(readTextOrNull(join(dir, n)) ?? '', join(dir, n), Number(n.slice(0, 6))))
}

const FILES_SHAPE: ShapeSpec = {toml: 'string|null', lock: 'string|null'}

/**
 * A generation file, checked: the fields rollback and undo read must have their types (a broken
 * one is E_PARSE / E_SCHEMA naming the file and field, and the history is left as it is).
 */
export function parseGeneration(text: string, file: string, gen: number): Generation {
  const hint = `${file} is one step of this project's history; it was left as it is. Restore it from a backup, or move it away (that step can then no longer be rolled back to).`
  const g = checkShape(parseJsonText(text, file), {format: 'string', gen: 'integer', project: 'string', at: 'string', action: 'string', details: 'string', user: 'string', before: 'object', after: 'object'}, file, '', hint)
  checkFormat(g, 'ggen-packs-history/1', file, hint)
  if (g.gen !== gen) throw shapeError(file, 'gen', `${gen} (the number in the file name)`, g.gen, hint)
  checkShape(g.before, FILES_SHAPE, file, 'before', hint)
  checkShape(g.after, FILES_SHAPE, file, 'after', hint)
  return g as unknown as Generation
}

export function nextGeneration(paths: HomePaths, projectDir: string): number {
  const gens = listGenerations(paths, projectDir)
  return gens.length ? gens[gens.length - 1]!.gen + 1 : 1
}

/** write a generation (`audit_anchor`: the audit anchor as it is now, null when there is none) */
export function writeGeneration(paths: HomePaths, g: Generation & {audit_anchor: HistoryAnchor | null}): string {
  const file = genFile(historyDir(paths, g.project), g.gen)
  writeJsonAtomic(file, g)
  return file
}

export function removeGeneration(paths: HomePaths, projectDir: string, gen: number): void {
  rmSync(genFile(historyDir(paths, projectDir), gen), {force: true})
}

export function getGeneration(paths: HomePaths, projectDir: string, gen: number): Generation {
  const file = genFile(historyDir(paths, projectDir), gen)
  const text = readTextOrNull(file)
  if (text === null) {
    const have = listGenerations(paths, projectDir).map((g) => g.gen)
    throw new PacksError('E_HISTORY', `generation ${gen} does not exist for ${resolve(projectDir)}`, {
      hint: have.length ? `Generations: ${have.join(', ')} (see \`ggen packs rollback --list\`).` : 'This project has no history yet.',
    })
  }
  return parseGeneration(text, file, gen)
}
