/**
 * The tamper-evident audit log: $GGEN_HOME/audit/audit.log, one JSON object per line, each
 * carrying the hash of the previous entry (prev_hash) and its own hash (sha256 over the entry
 * without `hash`, keys sorted). Appends hold the audit lock; each append is fsynced, then the
 * anchor ($GGEN_HOME/audit/anchor.json, see ./anchor.ts) is rewritten atomically under the same
 * lock: entry and anchor are one commit.
 *
 * A crash between the two leaves the log one entry beyond its anchor: an extension, accepted by
 * `audit --verify` and repaired by the next append. A log that does not extend its anchor
 * (truncated, emptied, deleted, rewritten) is never appended to: that would move the anchor over
 * the evidence. appendAudit refuses (E_INTEGRITY) until `audit --accept-anchor`.
 */
import {closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, writeSync} from 'node:fs'
import {hostname, platform, release, userInfo} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {AuditEntry} from '../domain/schemas.js'
import {readTextOrNull} from '../formats/fs.js'
import {acquireLock} from '../formats/lock.js'
import {environment, now} from '../util/environment.js'
import {faultPoint} from '../util/faults.js'
import type {HomePaths} from '../workspace/home.js'
import {ANCHOR_HINT, anchorPath, GENESIS, readAnchor, writeAnchor, type AuditAnchor} from './anchor.js'
import {chainProblems, entryHash, headOf, parseEntry, parseRecords, positionProblem, type AuditRecord} from './chain.js'

export {entryHash, GENESIS}

/** the log's last non-empty line, and whether the file ends with a newline (false after a torn write) */
function lastLine(file: string): {text: string | null; newline: boolean} {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return {text: null, newline: true}
  }
  try {
    const size = fstatSync(fd).size
    if (size === 0) return {text: null, newline: true}
    let chunk = 4096
    for (;;) {
      const start = Math.max(0, size - chunk)
      const buf = Buffer.alloc(size - start)
      readSync(fd, buf, 0, buf.length, start)
      const raw = buf.toString('utf8')
      const text = raw.replace(/\n+$/, '')
      const nl = text.lastIndexOf('\n')
      if (nl >= 0 || start === 0) return {text: text.slice(nl + 1) || null, newline: raw.endsWith('\n')}
      chunk *= 4
    }
  } finally {
    closeSync(fd)
  }
}

export interface AuditInput {
  action: string
  details: string
  affected_packages: string[]
  result: 'success' | 'failure'
  project: string | null
  machine: string
  /** the project's team ([project] team), when known */
  team?: string
}

export function currentUser(): string {
  try {
    return environment().user ?? userInfo().username
  } catch {
    return environment().fallbackUser ?? 'unknown'
  }
}

/**
 * Rotation: when audit.log reaches the size limit (GGEN_AUDIT_MAX_BYTES, default 32 MiB) the
 * next append first renames it to audit.log.<n> (n = 1, 2, ... oldest first) and starts a new
 * audit.log whose first entry chains to the last entry of the segment (its prev_hash), so the
 * segments read in order are one chain: verification, the anchor and every query read them all.
 */
/** the rotated segments, oldest first */
export function auditSegments(paths: HomePaths): string[] {
  const base = basename(paths.audit)
  let names: string[] = []
  try {
    names = readdirSync(dirname(paths.audit))
  } catch {
    return []
  }
  return names
    .map((n) => ({n, k: n.startsWith(`${base}.`) ? Number(n.slice(base.length + 1)) : NaN}))
    .filter((x) => Number.isInteger(x.k) && x.k > 0)
    .sort((a, b) => a.k - b.k)
    .map((x) => join(dirname(paths.audit), x.n))
}

/** the whole log: every rotated segment, then audit.log (null when there is none at all) */
export function readLogText(paths: HomePaths): string | null {
  const parts = [...auditSegments(paths), paths.audit].map((f) => readTextOrNull(f))
  if (parts.every((p) => p === null)) return null
  return parts
    .filter((p): p is string => p !== null)
    .map((p) => (p === '' || p.endsWith('\n') ? p : p + '\n'))
    .join('')
}

function rotateIfFull(paths: HomePaths, maxBytes: number): void {
  let size = 0
  try {
    size = statSync(paths.audit).size
  } catch {
    return
  }
  if (size < maxBytes) return
  const segments = auditSegments(paths)
  const next = segments.length ? Number(segments.at(-1)!.slice(paths.audit.length + 1)) + 1 : 1
  renameSync(paths.audit, `${paths.audit}.${next}`)
}

export const readRecords = (paths: HomePaths): AuditRecord[] => parseRecords(readLogText(paths) ?? '')

/** where the next entry goes: entries so far, the hash it chains to, the seq before it (-1: none), whether the file ends mid-line */
interface Tail {
  count: number
  head: string
  seq: number
  torn: boolean
}

/**
 * The log's tail, checked against the anchor. Fast path (one read of the last line): the last
 * entry is the anchored head, or follows it directly (an interrupted anchor write). Otherwise the
 * whole log is read and must still hold the anchored point; if not, appending is refused.
 */
function checkedTail(paths: HomePaths, anchor: AuditAnchor | null): Tail {
  const {text: last, newline} = lastLine(paths.audit)
  const torn = !newline
  const prev = parseEntry(last)
  if (!last && !anchor) return {count: 0, head: GENESIS, seq: -1, torn}
  if (anchor && prev && !torn) {
    if (prev.hash === anchor.head && prev.seq === anchor.seq) return {count: anchor.count, head: prev.hash, seq: prev.seq, torn}
    if (prev.prev_hash === anchor.head && prev.seq === (anchor.seq ?? -1) + 1) return {count: anchor.count + 1, head: prev.hash, seq: prev.seq, torn}
  }
  const text = readLogText(paths)
  const records = parseRecords(text ?? '')
  const problem = anchor && positionProblem(records, anchor, 'its anchor', text === null ? 'the log file is missing' : 'the log is empty')
  if (problem) {
    throw new PacksError('E_INTEGRITY', `the audit log ${paths.audit} does not match its anchor ${anchorPath(paths)}: ${problem.message}; refusing to append to it`, {
      file: paths.audit,
      hint: ANCHOR_HINT,
    })
  }
  const h = headOf(records)
  // after a torn last line (chained by the hash of its text) the next entry's seq is its position
  return {count: h.count, head: h.head, seq: prev ? prev.seq : h.count - 1, torn}
}

export function appendAudit(paths: HomePaths, input: AuditInput): AuditEntry {
  mkdirSync(dirname(paths.audit), {recursive: true})
  const lock = acquireLock(paths.auditLock)
  try {
    const anchor = readAnchor(paths)
    rotateIfFull(paths, environment().auditMaxBytes)
    const tail = checkedTail(paths, anchor)
    const base: Omit<AuditEntry, 'hash'> = {
      seq: tail.seq + 1,
      timestamp: now().toISOString(),
      user: currentUser(),
      action: input.action,
      details: input.details,
      affected_packages: [...input.affected_packages].sort(),
      result: input.result,
      environment: {project: input.project, machine: input.machine || hostname(), os: `${platform()} ${release()}`},
      ...(input.team ? {team: input.team} : {}),
      prev_hash: tail.head,
    }
    const entry: AuditEntry = {...base, hash: entryHash(base)}
    faultPoint('append:audit.log')
    const fd = openSync(paths.audit, 'a')
    try {
      // after a torn write the entry starts a line of its own (the torn text stays, as its own line)
      writeSync(fd, (tail.torn ? '\n' : '') + JSON.stringify(entry) + '\n')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    // no anchor over a non-empty log: anchor from here on and say so (verify reports it until accepted)
    const unanchored = anchor ? anchor.unanchored : tail.count > 0 ? {before: tail.count, at: entry.timestamp} : undefined
    writeAnchor(paths, {count: tail.count + 1, head: entry.hash, seq: entry.seq, ...(unanchored ? {unanchored} : {})})
    return entry
  } finally {
    lock.release()
  }
}

/**
 * `audit --accept-anchor`: adopt the log as it is. Rewrites the anchor from the log's last entry
 * (dropping an `unanchored` mark), then appends an entry saying what was accepted, so the
 * adoption itself is in the chain. `reason` is what verification found before.
 */
export function acceptAnchor(paths: HomePaths, reason: string, machine: string): {count: number; head: string} {
  mkdirSync(dirname(paths.audit), {recursive: true})
  const lock = acquireLock(paths.auditLock)
  let count: number
  try {
    const h = headOf(readRecords(paths))
    writeAnchor(paths, h)
    count = h.count
  } finally {
    lock.release()
  }
  const e = appendAudit(paths, {action: 'audit-accept-anchor', details: `accepted the audit log as it was (${count} entries): ${reason}`, affected_packages: [], result: 'success', project: null, machine})
  return {count: count + 1, head: e.hash}
}

/**
 * Run one operation that changes state outside a project transaction (gc, manifest generate and
 * lock, audit export, registry build, bundle edits, ...) and record it: one success entry with
 * the details the result gives, or one failure entry naming the error, which is then rethrown.
 */
export async function audited<R>(where: {paths: HomePaths; machine: string}, what: {action: string; project?: string | null; team?: string; affected?: string[]}, fn: () => Promise<R> | R, details: (r: R) => string | {details: string; affected?: string[]}): Promise<R> {
  const base = {action: what.action, project: what.project ?? null, machine: where.machine, ...(what.team ? {team: what.team} : {})}
  let r: R
  try {
    r = await fn()
  } catch (error) {
    try {
      const code = (error as {code?: unknown}).code
      appendAudit(where.paths, {...base, details: `${typeof code === 'string' && code.startsWith('E_') ? `[${code}] ` : ''}${(error as Error).message.split('\n')[0]}`, affected_packages: what.affected ?? [], result: 'failure'})
    } catch {
      // auditing a failure must not hide it
    }
    throw error
  }
  const d = details(r)
  const text = typeof d === 'string' ? d : d.details
  appendAudit(where.paths, {...base, details: text, affected_packages: (typeof d === 'string' ? undefined : d.affected) ?? what.affected ?? [], result: 'success'})
  return r
}

export interface AuditReadResult {
  entries: AuditEntry[]
  /** problems with the chain: [line number, message] */
  broken: {line: number; message: string}[]
}

export function readAudit(paths: HomePaths): AuditReadResult {
  const records = readRecords(paths)
  return {entries: records.flatMap((r) => (r.entry ? [r.entry] : [])), broken: chainProblems(records)}
}
