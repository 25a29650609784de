/**
 * `packs audit` for people and compliance tools: the entry table, the export forms (JSON Lines,
 * JSON, CSV, YAML) of the selected entries, and the --verify verdict (first break and how many
 * more, then what was checked: the anchor, the history generations, the team copy). The --json
 * value is the AuditResult or AuditVerification itself.
 */
import {color, csv, table, yaml} from '../render.js'
import {count, truncate} from '../../util/text.js'
import {entries} from '../../audit/chain.js'
import type {AuditEntry} from '../../domain/schemas.js'
import type {AuditResult} from '../../audit/query.js'
import type {AuditVerification} from '../../audit/verify.js'

export const AUDIT_FORMATS = ['table', 'json', 'jsonl', 'csv', 'yaml'] as const
export type AuditFormat = (typeof AUDIT_FORMATS)[number]
/** `audit export`: the forms for other programs, JSON Lines first (one entry per line, as the log) */
export const AUDIT_EXPORT_FORMATS = ['jsonl', 'json', 'csv', 'yaml'] as const

const CSV_COLUMNS = ['seq', 'timestamp', 'user', 'action', 'result', 'project', 'machine', 'os', 'affected_packages', 'details', 'hash']

export function auditTable(r: AuditResult): string {
  if (r.entries.length === 0) return r.total === 0 ? 'The audit log is empty: no package operation has run on this machine yet.' : 'No entry matches.'
  return (
    table(
      ['#', 'TIME', 'USER', 'ACTION', 'RESULT', 'PROJECT', 'DETAILS'],
      r.entries.map((e) => [e.seq, e.timestamp.slice(0, 19).replace('T', ' '), e.user, e.action, e.result === 'success' ? color.green('ok') : color.red('failed'), e.environment.project ?? '-', truncate(e.details, 80)]),
    ) + color.dim(`${count(r.entries.length, 'entry', 'entries')} of ${r.total}`)
  )
}

export async function renderAudit(r: AuditResult, format: AuditFormat): Promise<string> {
  const list: AuditEntry[] = r.entries
  switch (format) {
    case 'csv':
      return csv(CSV_COLUMNS, list.map((e) => [e.seq, e.timestamp, e.user, e.action, e.result, e.environment.project, e.environment.machine, e.environment.os, e.affected_packages.join(' '), e.details, e.hash]))
    case 'jsonl':
      return list.map((e) => JSON.stringify(e)).join('\n') + (list.length ? '\n' : '')
    case 'json':
      return JSON.stringify(list, null, 2) + '\n'
    case 'yaml':
      return yaml(list)
    default:
      return auditTable(r)
  }
}

const HINT =
  'Keep a copy of the log and its anchor (they are the evidence) and find out what changed them. To adopt the log as it is (once, for a log written before anchors existed, or after investigating): `ggen packs audit --accept-anchor`, which is recorded in the log. History generations and the team copy keep recording the break.'

const problems = (n: number) => count(n, 'later problem')

export function renderVerification(v: AuditVerification): string {
  const out: string[] = []
  const fb = v.first_break
  if (!fb) out.push(color.green(`audit chain intact (${entries(v.entries)})`))
  else out.push(color.red(`audit chain BROKEN at line ${fb.line}: ${fb.message}`), ...(v.later_problems ? [`  and ${problems(v.later_problems)}`] : []))
  const a = v.anchor
  out.push(`  anchor   ${a ? `${entries(a.count)}, head ${a.head.slice(0, 12)}${a.status === 'ok' ? '' : ` (${a.status})`}` : 'none'}`)
  out.push(`  history  ${count(v.generations_checked, 'generation anchor')} checked`)
  if (v.team) out.push(`  team     ${v.team.status === 'mismatch' ? color.red(v.team.message) : v.team.message}`)
  for (const n of v.notes) out.push(color.yellow(`  note: ${n}`))
  if (fb) out.push(`Try this: ${HINT}`)
  return out.join('\n')
}
