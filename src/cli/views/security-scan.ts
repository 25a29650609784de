/** `packs security-scan` for people: findings grouped by severity (critical first), then the database line */
import type {ImportResult} from '../../advisories/db.js'
import type {Finding, ScanResult, Severity} from '../../domain/scan.js'
import {count, some, truncate} from '../../util/text.js'
import {color} from '../render.js'

export const SCAN_FORMATS = ['table', 'json', 'sarif'] as const

const GROUPS: Severity[] = ['critical', 'high', 'unknown', 'medium', 'low']
const PAINT: Record<Severity, (s: string) => string> = {critical: color.red, high: color.red, unknown: color.yellow, medium: color.yellow, low: color.dim}
const MAX_PATHS_SHOWN = 2

const idsOf = (f: Finding): string => some([...new Set(f.advisories.flatMap((a) => [a.id, ...a.aliases]))], 4)
const scoreOf = (f: Finding): string => {
  const scores = f.advisories.map((a) => a.score).filter((s): s is number => s !== undefined)
  return scores.length ? `CVSS ${Math.max(...scores).toFixed(1)}` : 'no CVSS score'
}

function renderFinding(f: Finding): string[] {
  const lines = [`  ${color.bold(`${f.package}@${f.version}`)}  ${idsOf(f)}  ${color.dim(scoreOf(f))}`]
  for (const a of f.advisories) if (a.summary) lines.push(`    ${truncate(a.summary, 100)}`)
  lines.push(`    ${count(f.projects.length, 'project')} affected${f.projects.length ? `; e.g. ${f.projects.slice(0, MAX_PATHS_SHOWN).map((p) => p.path.join(' -> ')).join('; ')}` : ''}`)
  lines.push(`    fix: ${f.fix.kind === 'none' ? color.yellow(f.fix.explanation) : color.green(f.fix.explanation)}`)
  return lines
}

export function renderScan(r: ScanResult): string {
  const out: string[] = []
  for (const s of GROUPS) {
    const group = r.findings.filter((f) => f.severity === s)
    if (group.length === 0) continue
    out.push(PAINT[s](color.bold(`${s.toUpperCase()} (${group.length})`)))
    for (const f of group) out.push(...renderFinding(f))
    out.push('')
  }
  if (r.findings.length === 0) out.push(color.green(`No known vulnerabilities in ${count(r.projects, 'project')}.`), '')
  else out.push(`${count(r.findings.length, 'vulnerable package version')} in ${count(r.projects, 'project')} scanned (${GROUPS.filter((s) => r.counts[s]).map((s) => `${r.counts[s]} ${s}`).join(', ')}).`)
  if (r.ignored.length) out.push(color.dim(`${count(r.ignored.length, 'advisory', 'advisories')} ignored: ${some(r.ignored.map((i) => `${i.id} (${i.package}@${i.version}: ${i.reason})`), 3)}`))
  for (const e of r.expired_ignores ?? []) out.push(color.yellow(`the ignore of ${e.id} expired on ${e.expired.slice(0, 10)} (${e.file}): it counts again`))
  if (r.policy?.exceeded) out.push(color.red(`${count(r.policy.exceeded, 'finding')} above the policy's max_severity ${r.policy.max_severity} (${r.policy.file})`))
  const d = r.database
  out.push(color.dim(`advisory database: ${d.records} records from ${d.source}, updated ${d.updated_at} (${d.age_days} days old${d.stale ? ', STALE' : ''})`))
  return out.join('\n')
}

export function renderImport(r: ImportResult): string {
  const extra = [r.skipped ? `${r.skipped} skipped (invalid)` : '', r.withdrawn ? `${r.withdrawn} withdrawn` : '', r.duplicates ? `${r.duplicates} older duplicates` : '', r.other_ecosystems ? `${r.other_ecosystems} of other ecosystems` : ''].filter(Boolean)
  return `Imported ${count(r.records, 'advisory record')} (${count(r.vulnerabilities, 'vulnerability', 'vulnerabilities')} after merging aliases) from ${r.source} into ${r.path}${extra.length ? `; ${extra.join(', ')}` : ''}.`
}
