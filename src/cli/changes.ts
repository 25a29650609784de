/** human rendering of an install/uninstall/update result */
import type {ChangeResult} from '../ops/install.js'
import {color} from './render.js'

export function renderChanges(r: ChangeResult, verb: string): string {
  if (r.changes.length === 0) return `${r.project}: nothing to change (up to date)`
  const lines = [`${r.project}: ${verb} ${r.changes.length} package${r.changes.length === 1 ? '' : 's'}`]
  for (const c of r.changes) {
    const sign = c.kind === 'added' ? color.green('+') : c.kind === 'removed' ? color.red('-') : color.yellow('~')
    lines.push(`  ${sign} ${c.id} ${c.from ?? ''}${c.from && c.to ? ' -> ' : ''}${c.to ?? ''}${c.kind === 'downgraded' ? color.yellow(' (downgrade)') : ''}`)
  }
  if (!r.dryRun && (r.fetched || r.reused)) lines.push(color.dim(`  ${r.fetched} fetched, ${r.reused} reused from the store${r.generation ? `, history generation ${r.generation}` : ''}`))
  if (r.dryRun) lines.push(color.dim('  (dry run: nothing was written)'))
  return lines.join('\n')
}
