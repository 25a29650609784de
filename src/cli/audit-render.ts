/**
 * `packs audit --verify` for people: the verdict (first break and how many more), then what was
 * checked: the anchor, the history generations, the team copy. The --json value is the
 * AuditVerification itself.
 */
import {color} from './render.js'
import {entries} from '../audit/chain.js'
import type {AuditVerification} from '../audit/verify.js'

const HINT =
  'Keep a copy of the log and its anchor (they are the evidence) and find out what changed them. To adopt the log as it is (once, for a log written before anchors existed, or after investigating): `ggen packs audit --accept-anchor`, which is recorded in the log. History generations and the team copy keep recording the break.'

const problems = (n: number) => `${n} later problem${n === 1 ? '' : 's'}`

export function renderVerification(v: AuditVerification): string {
  const out: string[] = []
  const fb = v.first_break
  if (!fb) out.push(color.green(`audit chain intact (${entries(v.entries)})`))
  else out.push(color.red(`audit chain BROKEN at line ${fb.line}: ${fb.message}`), ...(v.later_problems ? [`  and ${problems(v.later_problems)}`] : []))
  const a = v.anchor
  out.push(`  anchor   ${a ? `${entries(a.count)}, head ${a.head.slice(0, 12)}${a.status === 'ok' ? '' : ` (${a.status})`}` : 'none'}`)
  out.push(`  history  ${v.generations_checked} generation anchor${v.generations_checked === 1 ? '' : 's'} checked`)
  if (v.team) out.push(`  team     ${v.team.status === 'mismatch' ? color.red(v.team.message) : v.team.message}`)
  for (const n of v.notes) out.push(color.yellow(`  note: ${n}`))
  if (fb) out.push(`Try this: ${HINT}`)
  return out.join('\n')
}
