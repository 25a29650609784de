/**
 * `packs audit`: read, filter and verify the hash-chained audit log.
 */
import type {AuditEntry} from '../domain/schemas.js'
import type {HomePaths} from '../workspace/home.js'
import type {AuditVerification} from './verify.js'
import {readAudit} from './log.js'
import {now as clock} from '../util/environment.js'

export interface AuditQuery {
  action?: string
  project?: string
  user?: string
  result?: 'success' | 'failure'
  package?: string
  since?: string
  /** only entries before this duration ago / date */
  until?: string
  team?: string
  machine?: string
  limit?: number
}

export interface AuditResult {
  entries: AuditEntry[]
  total: number
  chain: {ok: boolean; broken: {line: number; message: string}[]}
}

/** what `packs audit` prints with --json: the filtered entries, or the verification with --verify / --accept-anchor */
export type AuditOutput = AuditResult | AuditVerification

const HOUR = 3_600_000
const DAY = 24 * HOUR
const FIXED_UNITS: Record<string, number> = {h: HOUR, d: DAY, w: 7 * DAY}
const MONTH_UNITS: Record<string, number> = {mo: 1, y: 12}

export interface DurationOptions {
  /** the time counted back from (default: now, GGEN_NOW in tests) */
  now?: number
  /** what a bare `m` means: minutes (the audit filters, the default) or months (`stats --timeline`, whose finest period is a day) */
  m?: 'minutes' | 'months'
}

/**
 * A duration back from now, or a date: `24h`, `7d`, `12w`, `6mo`, `1y`, `90m` (minutes, or months
 * with `m: 'months'`), or an ISO date -> ISO timestamp; null when it is neither. Months and years
 * are calendar months (UTC).
 */
export function sinceToIso(since: string, o: DurationOptions | number = {}): string | null {
  const {now: at = clock().getTime(), m: minute = 'minutes'} = typeof o === 'number' ? {now: o} : o
  const d = /^(\d+)\s*(mo|[hdwmy])$/i.exec(since.trim())
  if (d) {
    const n = Number(d[1])
    const unit = d[2]!.toLowerCase()
    if (unit === 'm' && minute === 'minutes') return new Date(at - n * 60_000).toISOString()
    const months = MONTH_UNITS[unit === 'm' ? 'mo' : unit]
    if (months === undefined) return new Date(at - n * FIXED_UNITS[unit]!).toISOString()
    const t = new Date(at)
    t.setUTCMonth(t.getUTCMonth() - n * months)
    return t.toISOString()
  }
  const t = Date.parse(since)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

export function queryAudit(paths: HomePaths, q: AuditQuery = {}): AuditResult {
  const {entries, broken} = readAudit(paths)
  return {entries: filterAudit(entries, q), total: entries.length, chain: {ok: broken.length === 0, broken}}
}

/** the entries a query selects, in the order given (`limit`: the last N) */
export function filterAudit(entries: AuditEntry[], q: AuditQuery = {}): AuditEntry[] {
  const since = q.since ? sinceToIso(q.since) : null
  const until = q.until ? sinceToIso(q.until) : null
  let out = entries.filter(
    (e) =>
      (!q.action || e.action === q.action) &&
      (!q.project || e.environment.project === q.project) &&
      (!q.user || e.user === q.user) &&
      (!q.result || e.result === q.result) &&
      (!q.package || e.affected_packages.includes(q.package)) &&
      (!since || e.timestamp >= since) &&
      (!until || e.timestamp <= until) &&
      (!q.team || e.team === q.team) &&
      (!q.machine || e.environment.machine === q.machine),
  )
  if (q.limit) out = out.slice(-q.limit)
  return out
}
