/**
 * `packs audit`: read, filter and verify the hash-chained audit log.
 */
import type {AuditEntry} from '../domain/schemas.js'
import type {HomePaths} from '../workspace/home.js'
import type {AuditVerification} from './verify.js'
import {readAudit} from './log.js'

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

/** `7d`, `24h`, `90m` or an ISO date -> ISO timestamp */
export function sinceToIso(since: string, now = Date.now()): string | null {
  const m = /^(\d+)([dhm])$/.exec(since.trim())
  if (m) return new Date(now - Number(m[1]) * {d: 86_400_000, h: 3_600_000, m: 60_000}[m[2] as 'd' | 'h' | 'm']).toISOString()
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
