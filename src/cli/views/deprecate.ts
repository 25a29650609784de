/** `packs deprecate` for people: what was marked (or unmarked), where, and what to do next */
import type {DeprecateResult} from '../../ops/deprecate.js'
import {count, some} from '../../util/text.js'
import {color} from '../render.js'

const VERB: Record<DeprecateResult['action'], string> = {deprecate: 'deprecated', yank: 'yanked', 'deprecate-undo': 'no longer deprecated', 'yank-undo': 'no longer yanked'}

export function renderDeprecate(r: DeprecateResult): string {
  const where = r.target.kind === 'registry' ? `in the registry ${r.target.file}` : `in the local overlay ${r.target.file}`
  const lines = [`${color.bold(`${r.id}@${r.range}`)} ${VERB[r.action]} (${count(r.versions.length, 'version')}: ${some(r.versions, 8)}) ${where}, by ${r.user} at ${r.at}`]
  if (r.message && !r.action.endsWith('-undo')) lines.push(`  message: ${r.message}`)
  if (r.replacement) lines.push(`  replacement: ${r.replacement}`)
  if (r.action === 'yank') lines.push(color.dim('  new installs skip it; projects whose lockfile pins it keep working'))
  if (r.target.kind === 'overlay') lines.push(color.dim('  share it with the team: ggen packs graph sync'))
  if (!r.action.endsWith('-undo')) lines.push(color.dim(`  projects to tell: ggen packs dependents ${r.id}${r.range === '*' ? '' : `@${r.range}`}`))
  return lines.join('\n')
}
