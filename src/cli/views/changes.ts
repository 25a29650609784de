/** human rendering of an install/uninstall/update result (and of one package change, shared by rollback) */
import {count} from '../../util/text.js'
import type {ChangeResult} from '../../ops/install.js'
import {color} from '../render.js'

/** one package change: `+ id to`, `- id from`, `~ id from -> to` */
export function changeLine(c: {kind: string; id: string; from?: string | null; to?: string | null}): string {
  const sign = c.kind === 'added' ? color.green('+') : c.kind === 'removed' ? color.red('-') : color.yellow('~')
  return `  ${sign} ${c.id} ${c.from ?? ''}${c.from && c.to ? ' -> ' : ''}${c.to ?? ''}${c.kind === 'downgraded' ? color.yellow(' (downgrade)') : ''}`
}

export function renderChanges(r: ChangeResult, verb: string): string {
  if (r.changes.length === 0) return `${r.project}: nothing to change (up to date)`
  const lines = [`${r.project}: ${verb} ${count(r.changes.length, 'package')}`]
  for (const c of r.changes) lines.push(changeLine(c))
  if (!r.dryRun && (r.fetched || r.reused)) lines.push(color.dim(`  ${r.fetched} fetched, ${r.reused} reused from the store${r.generation ? `, history generation ${r.generation}` : ''}`))
  if (r.dryRun) lines.push(color.dim('  (dry run: nothing was written)'))
  return lines.join('\n')
}
