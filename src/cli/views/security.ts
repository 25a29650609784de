/** the security status from the last scan as list, info and tree show it (one wording everywhere) */
import type {SecurityStatus} from '../../domain/scan.js'
import {some} from '../../util/text.js'
import {color} from '../render.js'

/** a table cell: `high GHSA-1, CVE-2 +1`, `ok` (clean as of the last scan), `-` (no scan) */
export function securityCell(s: SecurityStatus | null): string {
  if (!s) return '-'
  if (!s.has_vulnerabilities) return color.green('ok')
  const sev = s.severity ?? 'unknown'
  const text = `${sev} ${some(s.ids, 2)}`
  return sev === 'low' || sev === 'medium' ? color.yellow(text) : color.red(text)
}

/** a marker after a vulnerable node or version (`(vulnerable: high, GHSA-1)`), empty otherwise */
export function securityMarker(s: SecurityStatus | null | undefined): string {
  if (!s?.has_vulnerabilities) return ''
  return ` ${color.red(`(vulnerable: ${s.severity ?? 'unknown'}, ${some(s.ids, 2)})`)}`
}

/** the line saying when the status shown was scanned */
export const scannedNote = (at: string | null | undefined): string => (at ? color.dim(`security status from the scan of ${at.slice(0, 19).replace('T', ' ')}`) : '')
