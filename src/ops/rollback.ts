/**
 * `packs rollback` / `packs undo`: restore an earlier state of a project from its history
 * generations ($GGEN_HOME/history, one per mutation, each holding the project files before and
 * after it).
 *
 *   rollback --to N   the project files become generation N's `after` state (what operation N
 *                     left behind); N = 0 is the state before the first recorded operation
 *                     (generation 1's `before`).
 *   rollback          (no --to) the same as undo.
 *   undo              the project files become the last generation's `before` state: the last
 *                     operation is reverted. An undo is itself a generation, so a second undo
 *                     reverts the first (redo); use rollback --to to step further back.
 *
 * Both run through the transaction helper (lock, journal, atomic writes, a new generation,
 * audit). Store entries the restored lockfile needs but `gc` removed are fetched again from the
 * registries (the configured ones, then those the lockfile records), verified against the
 * lockfile's integrity, before anything is written.
 */
import {existsSync} from 'node:fs'
import {isAbsolute, join} from 'node:path'
import {openStore, loadCatalog, type PacksContext} from '../core/context.js'
import {PacksError} from '../domain/errors.js'
import {emptyLockfile, lockfilePath, parseLockfile} from '../formats/lockfile.js'
import {acquireLock} from '../formats/lock.js'
import type {Lockfile} from '../domain/schemas.js'
import {isValidIntegrity} from '../store/integrity.js'
import type {StorePin} from '../store/store.js'
import {listGenerations, type Generation, type ProjectFiles} from '../workspace/history.js'
import {diffLocks, type PackageChange} from './install.js'
import {commitStoreEntries, prepareStoreEntries, type WantedEntry} from './manifest-fetch.js'
import {policyGate} from './policy-gate.js'
import {projectLockPath, readProjectFiles, recoverJournal, runTransaction} from './transaction.js'
import {requireProjectDir} from '../workspace/project-dir.js'

export interface HistoryEntry {
  gen: number
  at: string
  action: string
  details: string
  user: string
  /** the project's files are exactly this generation's `after` state (the newest such) */
  current: boolean
}

export interface HistoryList {
  project: string
  generations: HistoryEntry[]
  /** an interrupted operation's journal was found and the project restored from it */
  recovered: boolean
}

export interface RollbackResult {
  project: string
  action: 'rollback' | 'undo'
  /** the state restored: generation `generation`'s `before` or `after` files */
  target: {generation: number; state: 'before' | 'after'; action: string; at: string | null}
  changes: PackageChange[]
  toml_changed: boolean
  /** store entries fetched again (gc had removed them) */
  refetched: {id: string; version: string}[]
  /** the generation this rollback was recorded as (null: nothing changed) */
  generation: number | null
  changed: boolean
}

/** what `packs rollback` prints with --json: the restore, or the generations with --list */
export type RollbackOutput = RollbackResult | HistoryList

const sameFiles = (a: ProjectFiles, b: ProjectFiles) => a.toml === b.toml && a.lock === b.lock

/**
 * The generations of a project, oldest first. Takes the project lock briefly so an interrupted
 * transaction (a journal left by a crash) is recovered first: the list then shows what is true.
 */
export async function listHistory(ctx: PacksContext, projectDir: string): Promise<HistoryList> {
  const dir = requireProjectDir(projectDir)
  let recovered = false
  if (existsSync(join(dir, '.ggen'))) {
    const lock = acquireLock(projectLockPath(dir), {onWait: () => ctx.progress.step('Waiting for another ggen packs command on this project')})
    try {
      recovered = recoverJournal(ctx.paths, dir)
    } finally {
      lock.release()
    }
  }
  const gens = listGenerations(ctx.paths, dir)
  const now = readProjectFiles(dir)
  const current = [...gens].reverse().find((g) => sameFiles(g.after, now))?.gen
  return {
    project: dir,
    generations: gens.map((g) => ({gen: g.gen, at: g.at, action: g.action, details: g.details, user: g.user, current: g.gen === current})),
    recovered,
  }
}

function lockOf(text: string | null, file: string, ctx: PacksContext): Lockfile | null {
  if (text === null) return null
  try {
    return parseLockfile(text, file)
  } catch (error) {
    ctx.warn(`${(error as Error).message.split('\n')[0]} (restored as it was; its store entries are not checked)`)
    return null
  }
}

/** fetch the store entries `lock` needs that the store lacks; refuses (writing nothing) when one cannot be had */
async function restoreStoreEntries(ctx: PacksContext, lock: Lockfile, what: string, pins: StorePin[]): Promise<{id: string; version: string}[]> {
  const store = openStore(ctx)
  // pinned before the store is looked at: gc cannot remove what the restored lockfile needs
  pins.push(await store.pin(Object.values(lock.packs).map((e) => e.integrity)))
  const missing: WantedEntry[] = []
  for (const [id, e] of Object.entries(lock.packs)) {
    if (!isValidIntegrity(e.integrity)) {
      ctx.warn(`${id}@${e.version}: the lockfile's integrity \`${e.integrity}\` is not usable; its store entry is not checked`)
      continue
    }
    if (!store.has(e.integrity)) missing.push({id, version: e.version, integrity: e.integrity})
  }
  if (missing.length === 0) return []
  // the registries the lockfile came from are a fallback for the configured ones
  const recorded = Object.values(lock.packs)
    .map((e) => (e.source.type === 'Registry' && typeof (e.source as {url?: unknown}).url === 'string' ? ((e.source as {url: string}).url) : null))
    .filter((u): u is string => !!u && (isAbsolute(u) || /^(https?|file):/i.test(u)))
  const rctx: PacksContext = {...ctx, registries: [...new Set([...ctx.registries, ...recorded])]}
  const hint = `${what} needs ${missing.map((m) => `${m.id}@${m.version}`).join(', ')}, which \`gc\` removed from the store; they must be fetched again from a registry. Make the registry reachable (go online, mount the share, or pass --registry) and retry. Nothing was changed.`
  let catalog
  try {
    catalog = await loadCatalog(rctx)
  } catch (error) {
    const e = error as PacksError
    throw new PacksError(e.code ?? 'E_REGISTRY', `${e.message}`, {hint, cause: error})
  }
  const prepared = await prepareStoreEntries(rctx, catalog, missing, {unavailableHint: hint})
  await commitStoreEntries(rctx, prepared.entries)
  return missing.map((m) => ({id: m.id, version: m.version}))
}

interface Target {
  files: ProjectFiles
  generation: number
  state: 'before' | 'after'
  action: string
  at: string | null
}

async function restore(ctx: PacksContext, projectDir: string, action: 'rollback' | 'undo', pick: (gens: Generation[], dir: string) => Target): Promise<RollbackResult> {
  const pins: StorePin[] = []
  try {
    return await restoreUnpinned(ctx, projectDir, action, pick, pins)
  } finally {
    for (const pin of pins) pin.release()
  }
}

async function restoreUnpinned(ctx: PacksContext, projectDir: string, action: 'rollback' | 'undo', pick: (gens: Generation[], dir: string) => Target, pins: StorePin[]): Promise<RollbackResult> {
  const r = await runTransaction(ctx.paths, projectDir, {action, machine: ctx.machine, gate: policyGate(ctx, {mode: 'record'}), onWait: () => ctx.progress.step('Waiting for another ggen packs command on this project')}, async (txn) => {
    // chosen under the lock, after any interrupted transaction was recovered
    const t = pick(listGenerations(ctx.paths, txn.dir), txn.dir)
    const file = lockfilePath(txn.dir)
    const targetLock = lockOf(t.files.lock, file, ctx)
    const what = action === 'undo' ? `Undoing generation ${t.generation}` : `Rolling back to generation ${t.generation}`
    const refetched = sameFiles(t.files, txn.before) || !targetLock ? [] : await restoreStoreEntries(ctx, targetLock, what, pins)
    let currentLock: Lockfile | null = null
    try {
      currentLock = txn.before.lock === null ? null : parseLockfile(txn.before.lock, file)
    } catch {
      currentLock = null // a damaged lockfile is being replaced: its bytes are kept in the new generation
    }
    const changes = diffLocks(currentLock ?? emptyLockfile(), targetLock ?? emptyLockfile())
    const summary = changes.length ? changes.map((c) => `${c.id} ${c.from ?? '-'} -> ${c.to ?? '-'}`).join(', ') : t.files.toml === txn.before.toml ? 'nothing changed' : 'ggen.toml only'
    const details =
      action === 'undo'
        ? `undo generation ${t.generation} (${t.action}): ${summary}`
        : t.generation === 0
          ? `rollback to generation 0 (before any recorded operation): ${summary}`
          : `rollback to generation ${t.generation} (${t.action}): ${summary}`
    return {
      after: t.files,
      details,
      affected: changes.map((c) => c.id),
      result: {
        project: txn.dir,
        action,
        target: {generation: t.generation, state: t.state, action: t.action, at: t.at},
        changes,
        toml_changed: t.files.toml !== txn.before.toml,
        refetched,
      },
    }
  })
  return {...r, generation: r.generation}
}

const noHistory = (dir: string) =>
  new PacksError('E_HISTORY', `${dir} has no history: no operation has been recorded for this project yet`, {
    hint: 'History generations are recorded by install, uninstall, update, manifest apply, rollback and undo. Check the path (--project DIR).',
  })

/** restore generation `to`'s after state (0: before the first recorded operation); no `to`: undo */
export async function rollback(ctx: PacksContext, o: {projectDir: string; to?: number}): Promise<RollbackResult> {
  if (o.to === undefined) return restore(ctx, o.projectDir, 'rollback', lastBefore)
  const to = o.to
  if (!Number.isInteger(to) || to < 0) throw new PacksError('E_USAGE', `--to must be a generation number (0 or more), not ${to}`, {hint: 'See the generations with `ggen packs rollback --list`.'})
  return restore(ctx, o.projectDir, 'rollback', (gens, dir) => {
    if (gens.length === 0) throw noHistory(dir)
    if (to === 0) return {files: gens[0]!.before, generation: 0, state: 'before', action: '(before any recorded operation)', at: null}
    const g = gens.find((x) => x.gen === to)
    if (!g) {
      throw new PacksError('E_HISTORY', `generation ${to} does not exist for ${dir}`, {hint: `Generations: 0 (before the first), ${gens.map((x) => x.gen).join(', ')}. See \`ggen packs rollback --list\`.`})
    }
    return {files: g.after, generation: g.gen, state: 'after', action: g.action, at: g.at}
  })
}

function lastBefore(gens: Generation[], dir: string): Target {
  const last = gens[gens.length - 1]
  if (!last) throw noHistory(dir)
  return {files: last.before, generation: last.gen, state: 'before', action: last.action, at: last.at}
}

/** revert the last recorded operation (which may itself be an undo or a rollback) */
export async function undo(ctx: PacksContext, o: {projectDir: string}): Promise<RollbackResult> {
  return restore(ctx, o.projectDir, 'undo', lastBefore)
}
