/** `packs rollback` and `packs undo` for people: a restore, and the list of generations */
import type {HistoryList, RollbackResult} from '../../ops/rollback.js'
import {ago, color, table} from '../render.js'
import {changeLine} from './changes.js'

export function renderRollback(r: RollbackResult): string {
  const what = r.action === 'undo' ? `undid generation ${r.target.generation} (${r.target.action})` : r.target.generation === 0 ? 'rolled back to generation 0 (before any recorded operation)' : `rolled back to generation ${r.target.generation} (${r.target.action})`
  if (!r.changed) return `${r.project}: already at that state; nothing to change`
  const lines = [`${r.project}: ${what}`]
  for (const c of r.changes) lines.push(changeLine(c))
  if (r.changes.length === 0 && r.toml_changed) lines.push('  ggen.toml restored (the lockfile was already the same)')
  if (r.refetched.length) lines.push(color.dim(`  fetched again into the store: ${r.refetched.map((x) => `${x.id}@${x.version}`).join(', ')}`))
  lines.push(color.dim(`  recorded as generation ${r.generation}; \`ggen packs undo\` reverts it`))
  return lines.join('\n')
}

export function renderHistory(h: HistoryList): string {
  if (h.generations.length === 0) return `${h.project}: no history yet (install, update, manifest apply ... record generations)`
  return (
    table(
      ['GEN', 'TIME', 'ACTION', 'USER', 'DETAILS'],
      h.generations.map((g) => [`${g.gen}${g.current ? '*' : ''}`, `${g.at.slice(0, 19).replace('T', ' ')} (${ago(g.at)})`, g.action, g.user, g.details]),
    ) + color.dim('* = the current state. Restore one with `ggen packs rollback --to GEN`; 0 = before the first.')
  )
}
