/**
 * Ignored vulnerabilities, in osv-scanner's file shape (TOML):
 *
 *   [[IgnoredVulns]]
 *   id = "GHSA-xxxx-xxxx-xxxx"   # the advisory's id or any alias
 *   reason = "not reachable: we never call the affected function"
 *   ignoreUntil = 2026-12-31     # optional: a TOML date / date-time, or an RFC 3339 string
 *
 * An ignore whose `ignoreUntil` has passed no longer hides anything: the finding counts again
 * and the scan says so. A file that does not parse or lacks a field is an error naming the file
 * and the field (a security control that cannot be read must not silently do nothing).
 */
import {PacksError} from '../domain/errors.js'
import {readTextOrNull} from '../formats/fs.js'
import {parseTomlText} from '../formats/parse.js'

export interface IgnoreEntry {
  id: string
  reason: string
  /** ISO 8601; absent: never expires */
  until?: string
  file: string
}

const bad = (file: string, field: string, want: string) =>
  new PacksError('E_SCHEMA', `${file}: field \`${field}\`: expected ${want}`, {file, field, hint: 'Each [[IgnoredVulns]] needs id and reason (strings) and may have ignoreUntil (a date); see docs/formats.md.'})

function untilOf(v: unknown, file: string, field: string): string | undefined {
  if (v === undefined) return undefined
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN
  if (!Number.isFinite(t)) throw bad(file, field, 'a date (2026-12-31) or date-time')
  return new Date(t).toISOString()
}

/** the entries of one ignore file; [] when it does not exist (and `required` is false) */
export function readIgnoreFile(file: string, required = false): IgnoreEntry[] {
  const text = readTextOrNull(file)
  if (text === null) {
    if (required) throw new PacksError('E_NOT_FOUND', `no ignore file at ${file}`, {file, hint: 'Pass the path of a TOML file with [[IgnoredVulns]] tables.'})
    return []
  }
  const raw = parseTomlText(text, file)
  const list = raw.IgnoredVulns ?? []
  if (!Array.isArray(list)) throw bad(file, 'IgnoredVulns', 'an array of tables ([[IgnoredVulns]])')
  return list.map((e: unknown, i) => {
    const at = `IgnoredVulns[${i}]`
    if (!e || typeof e !== 'object') throw bad(file, at, 'a table')
    const x = e as Record<string, unknown>
    if (typeof x.id !== 'string' || x.id === '') throw bad(file, `${at}.id`, 'the advisory id (a string)')
    if (typeof x.reason !== 'string' || x.reason.trim() === '') throw bad(file, `${at}.reason`, 'why it is ignored (a non-empty string)')
    const until = untilOf(x.ignoreUntil, file, `${at}.ignoreUntil`)
    return {id: x.id, reason: x.reason, ...(until ? {until} : {}), file}
  })
}

/** split ignores into those in force at `now` and those that expired */
export function activeIgnores(entries: IgnoreEntry[], now: number): {active: IgnoreEntry[]; expired: IgnoreEntry[]} {
  const expired = entries.filter((e) => e.until !== undefined && Date.parse(e.until) <= now)
  return {active: entries.filter((e) => !expired.includes(e)), expired}
}
