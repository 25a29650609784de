/**
 * The audit log as records, and the two checks every verification is made of:
 *   - the chain: each line is an entry whose hash matches its content and whose prev_hash is the
 *     previous line's hash (a line that is not an entry chains by the sha256 of its text, as
 *     appendAudit does after a torn line);
 *   - a position: an anchored point {count, head} (from the anchor file, a history generation or
 *     the team copy in Neo4j) must find an entry hashing to `head` at line `count`.
 * Positions count entries (non-empty lines); problems name physical line numbers, 0 meaning the
 * log as a whole.
 */
import {createHash} from 'node:crypto'
import {AuditEntry} from '../domain/schemas.js'
import {stableStringify} from '../formats/fs.js'
import {GENESIS, type AnchorPoint} from './anchor.js'

export interface AuditRecord {
  /** 1-based line number in the file */
  line: number
  text: string
  /** the parsed entry, null for a line that is not one (torn, edited into invalid JSON) */
  entry: AuditEntry | null
  /** the entry's own hash, or the sha256 of the text of a line that is not an entry */
  hash: string
}

export interface AuditProblem {
  /** 1-based line; 0 = the log as a whole */
  line: number
  message: string
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256(stableStringify(e))
}

export const entries = (n: number): string => `${n} ${n === 1 ? 'entry' : 'entries'}`
const short = (h: string) => h.slice(0, 12)

/** one audit line -> its entry, or null when it is not a well-formed entry */
export function parseEntry(text: string | null): AuditEntry | null {
  if (!text) return null
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  // keep the raw object (every key is hashed), only check its shape
  return AuditEntry.safeParse(raw).success ? (raw as AuditEntry) : null
}

export function parseRecords(text: string): AuditRecord[] {
  const out: AuditRecord[] = []
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    const entry = parseEntry(line)
    out.push({line: i + 1, text: line, entry, hash: entry?.hash ?? sha256(line)})
  })
  return out
}

/** the chain problems, at most one per line */
export function chainProblems(records: AuditRecord[]): AuditProblem[] {
  const problems: AuditProblem[] = []
  let prev = GENESIS
  for (const r of records) {
    const message = lineProblem(r, prev)
    if (message) problems.push({line: r.line, message})
    prev = r.hash
  }
  return problems
}

function lineProblem(r: AuditRecord, prevHash: string): string | null {
  if (!r.entry) return 'not a valid audit entry (a torn or edited line)'
  const {hash, ...rest} = r.entry
  if (entryHash(rest) !== hash) return `entry ${r.entry.seq} was modified (its hash does not match its content)`
  if (r.entry.prev_hash !== prevHash) return `entry ${r.entry.seq} does not follow the previous entry (an entry was removed, reordered or inserted)`
  return null
}

/** the log's last point: every record, the last one's hash */
export function headOf(records: AuditRecord[]): AnchorPoint & {seq: number | null} {
  const last = records.at(-1)
  return {count: records.length, head: last?.hash ?? GENESIS, seq: last?.entry?.seq ?? null}
}

/**
 * Does the log hold `point`? null when the entry at position `point.count` hashes to `point.head`;
 * otherwise what happened to it: entries missing at the end (truncation, an emptied or deleted
 * file), entries removed or inserted before it (its head found at another line), or a rewrite
 * (its head found nowhere). `source` names who recorded the point; `empty` describes a log with
 * no entry ("the log is empty", "the log file is missing").
 */
export function positionProblem(records: AuditRecord[], point: AnchorPoint, source: string, empty = 'the log is empty'): AuditProblem | null {
  const at = point.count - 1
  if (point.count === 0 || records[at]?.hash === point.head) return null
  const n = records.length
  const found = records.findIndex((r) => r.hash === point.head)
  if (found >= 0) {
    const moved = found < at ? `${entries(at - found)} removed at or before line ${records[found]!.line}` : `${entries(found - at)} inserted before line ${records[found]!.line}`
    return {line: records[Math.min(found, at)]!.line, message: `${moved} (${source} places entry ${short(point.head)} at position ${point.count})`}
  }
  if (point.count > n) {
    const after = n ? records[n - 1]!.line : 0
    const what = `${entries(point.count - n)} missing after line ${after}`
    return {line: after, message: n ? `${what} (${source} records ${entries(point.count)})` : `${empty}: ${what} (${source} records ${entries(point.count)})`}
  }
  return {line: records[at]!.line, message: `line ${records[at]!.line} is not the entry ${source} records there (${short(point.head)}): the log was rewritten at or before this line`}
}
