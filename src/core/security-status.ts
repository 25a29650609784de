/**
 * Each installed version's security status from the last scan (issue 11, "status everywhere"):
 * `security-scan` writes its ScanResult to $GGEN_HOME/advisories/last-scan.json; list, info, tree
 * and the policy's max_severity read it here.
 *  - no file: no scan has run, there is no status (null);
 *  - a file that is not a scan result: a warning naming the file and field, and no status (never a
 *    crash: the commands still answer, without the status);
 *  - otherwise every version with a finding is vulnerable (its advisory ids and aliases, its highest
 *    severity), and every other version is reported clean as of the scan (`has_vulnerabilities: false`).
 *
 * The file holds every finding's paths and fix (8 MB at 10,000 versions), and list reads only the
 * statuses: those are kept in $GGEN_HOME/cache/scan-status.json under the stamp (mtime, ctime, size, inode) of
 * the last-scan.json they were read from. A cache that is missing, damaged or of another file is
 * read afresh from last-scan.json (and rewritten); it never answers for a file it was not made from.
 */
import {join} from 'node:path'
import {isPacksError} from '../domain/errors.js'
import {fileStamp, readTextOrNull, writeFileAtomic} from '../formats/fs.js'
import {LAST_SCAN_FILE} from '../formats/last-scan.js'
import {checkShape, shapeError} from '../formats/parse.js'
import {versionKey} from '../graph/model.js'
import {severityRank, SEVERITY_ORDER, type ScanResult, type SecurityStatus, type Severity} from '../domain/scan.js'
import type {PacksContext} from './context.js'


export interface LastScanStatus {
  scanned_at: string
  /** `id@version` -> status, for the versions with a finding */
  vulnerable: Map<string, SecurityStatus>
}

export const lastScanPath = (ctx: Pick<PacksContext, 'paths'>): string => join(ctx.paths.advisories, LAST_SCAN_FILE)

const HINT = 'Run `ggen packs security-scan` again: it rewrites the file.'
const SEVERITIES: readonly string[] = [...SEVERITY_ORDER, 'unknown']

/** one finding's key, severity and ids, checked by hand (list is a hot path: no zod) */
function findingStatus(value: unknown, file: string, field: string): {key: string; severity: Severity; ids: string[]} {
  const f = checkShape(value, {package: 'string', version: 'string', severity: 'string'}, file, field, HINT)
  if (!SEVERITIES.includes(f.severity as string)) throw shapeError(file, `${field}.severity`, SEVERITIES.join('|'), f.severity, HINT)
  if (!Array.isArray(f.advisories)) throw shapeError(file, `${field}.advisories`, 'an array', f.advisories, HINT)
  const ids = f.advisories.flatMap((a, i) => {
    const at = `${field}.advisories[${i}]`
    const adv = checkShape(a, {id: 'string'}, file, at, HINT)
    if (adv.aliases !== undefined && !(Array.isArray(adv.aliases) && adv.aliases.every((x) => typeof x === 'string'))) throw shapeError(file, `${at}.aliases`, 'an array of strings', adv.aliases, HINT)
    return [adv.id as string, ...((adv.aliases as string[] | undefined) ?? [])]
  })
  return {key: versionKey(f.package as string, f.version as string), severity: f.severity as Severity, ids}
}

/** each version's status: its findings' ids merged, the highest severity */
function statusesOf(scannedAt: string, findings: Iterable<{key: string; severity: Severity; ids: string[]}>): LastScanStatus {
  const vulnerable = new Map<string, SecurityStatus>()
  for (const f of findings) {
    const before = vulnerable.get(f.key)
    const severity = before?.severity && severityRank(before.severity) >= severityRank(f.severity) ? before.severity : f.severity
    vulnerable.set(f.key, {has_vulnerabilities: true, ids: before ? [...new Set([...before.ids, ...f.ids])] : [...new Set(f.ids)], severity, last_scanned: scannedAt})
  }
  return {scanned_at: scannedAt, vulnerable}
}

function parseLastScan(json: unknown, file: string): LastScanStatus {
  const scan = checkShape(json, {scanned_at: 'string'}, file, '', HINT)
  if (!Array.isArray(scan.findings)) throw shapeError(file, 'findings', 'an array', scan.findings, HINT)
  return statusesOf(scan.scanned_at as string, scan.findings.map((raw, i) => findingStatus(raw, file, `findings[${i}]`)))
}

const STATUS_FORMAT = 'ggen-packs-scan-status/1'

/** the stamp of last-scan.json (a rewrite renames a new file into place: a new inode); null when it is missing */
function scanStamp(file: string): string | null {
  const stamp = fileStamp(file)
  return stamp === '-' ? null : stamp
}

/** the cached statuses when they were made from this very last-scan.json */
function cachedStatus(ctx: Pick<PacksContext, 'paths'>, stamp: string): LastScanStatus | null {
  try {
    const raw = JSON.parse(readTextOrNull(ctx.paths.scanStatusCache) ?? 'null') as {format?: string; stamp?: string; scanned_at?: string; vulnerable?: [string, Severity, string[]][]} | null
    if (raw?.format !== STATUS_FORMAT || raw.stamp !== stamp || typeof raw.scanned_at !== 'string' || !Array.isArray(raw.vulnerable)) return null
    const at = raw.scanned_at
    return {scanned_at: at, vulnerable: new Map(raw.vulnerable.map(([key, severity, ids]) => [key, {has_vulnerabilities: true, ids, severity, last_scanned: at}]))}
  } catch {
    return null
  }
}

function keepStatus(ctx: Pick<PacksContext, 'paths'>, stamp: string, last: LastScanStatus): void {
  try {
    writeFileAtomic(ctx.paths.scanStatusCache, JSON.stringify({format: STATUS_FORMAT, stamp, scanned_at: last.scanned_at, vulnerable: [...last.vulnerable].map(([key, v]) => [key, v.severity, v.ids])}))
  } catch (error) {
    // a cache: a read-only $GGEN_HOME reads last-scan.json every time; an injected fault counts as a write step
    if (isPacksError(error) && error.code === 'E_INJECTED') throw error
  }
}

/** after the scan wrote last-scan.json: its statuses, kept for the readers (list, info, tree, the policy); the scan's own result needs no checking */
export function rememberScan(ctx: Pick<PacksContext, 'paths'>, result: Pick<ScanResult, 'scanned_at' | 'findings'>): void {
  const stamp = scanStamp(lastScanPath(ctx))
  if (stamp === null) return
  const findings = result.findings.map((f) => ({key: versionKey(f.package, f.version), severity: f.severity, ids: f.advisories.flatMap((a) => [a.id, ...a.aliases])}))
  keepStatus(ctx, stamp, statusesOf(result.scanned_at, findings))
}

/** the last scan's statuses; null (with a warning naming the file and field when it is damaged) when there is none */
export function readLastScan(ctx: Pick<PacksContext, 'paths' | 'warn'>): LastScanStatus | null {
  const file = lastScanPath(ctx)
  const stamp = scanStamp(file)
  const cached = stamp === null ? null : cachedStatus(ctx, stamp)
  if (cached) return cached
  let text: string | null
  try {
    text = readTextOrNull(file)
  } catch (e) {
    // unreadable (permissions, a folder in its place): the commands still answer, without the status
    ctx.warn(`cannot read ${file} (${(e as Error).message}); security status is not shown`)
    return null
  }
  if (text === null) return null
  const ignored = 'security status is not shown until the next `ggen packs security-scan` rewrites it'
  try {
    const last = parseLastScan(JSON.parse(text), file)
    if (stamp !== null && scanStamp(file) === stamp) keepStatus(ctx, stamp, last)
    return last
  } catch (e) {
    if (e instanceof SyntaxError) ctx.warn(`${file} is not valid JSON (${e.message}); ${ignored}`)
    else if (isPacksError(e)) ctx.warn(`${e.message}; ${ignored}`)
    else throw e
    return null
  }
}

/** the status of one version: vulnerable, clean as of the scan, or null when there was no scan */
export function statusOf(last: LastScanStatus | null, id: string, version: string): SecurityStatus | null {
  if (!last) return null
  return last.vulnerable.get(versionKey(id, version)) ?? {has_vulnerabilities: false, ids: [], last_scanned: last.scanned_at}
}

/** the last scan as `id@version` -> status for every version with a finding (the form the scan model names) */
export function securityStatusMap(ctx: Pick<PacksContext, 'paths' | 'warn'>): Map<string, SecurityStatus> {
  return readLastScan(ctx)?.vulnerable ?? new Map()
}

/** a status at or above `min` (unknown counts as high) */
export function atLeast(s: SecurityStatus | null, min: Severity): boolean {
  return !!s?.has_vulnerabilities && severityRank(s.severity ?? 'unknown') >= severityRank(min)
}
