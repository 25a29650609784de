/** `packs resolve` for people: who requires what, the candidates, and the ways out */
import type {ResolveConflictResult} from '../../core/resolve-conflict.js'
import {color, table} from '../render.js'
import {renderChanges} from './changes.js'

const CANDIDATES_SHOWN = 12

export function renderResolve(r: ResolveConflictResult, o: {apply?: boolean} = {}): string {
    const lines = [`${color.bold(r.package)} in ${r.project.name} ${color.dim(r.project.path)}: locked ${r.locked ?? color.red('nothing')}`, `  ${r.conflict ? color.red(r.explanation) : color.green(r.explanation)}`, '']
    lines.push(color.bold('who requires what:'))
    lines.push(table(['REQUIRER', 'RANGE', 'LOCKED OK'], r.requirers.map((q) => [q.requirer, q.range, q.satisfied === null ? '-' : q.satisfied ? color.green('yes') : color.red('no')])).trimEnd())
    const shown = r.candidates.slice(0, CANDIDATES_SHOWN)
    lines.push('', color.bold('candidate versions:'))
    lines.push(
      table(
        ['VERSION', 'SATISFIES', 'NOTE'],
        shown.map((c) => [c.version, c.all ? color.green('every requirer') : c.satisfies.length ? c.satisfies.join(', ') : color.dim('none'), c.yanked ? color.red('yanked') : c.deprecated ? color.yellow('deprecated') : '']),
      ).trimEnd(),
    )
    if (r.candidates.length > shown.length) lines.push(color.dim(`  ... ${r.candidates.length - shown.length} older versions (--json lists them all)`))
    if (r.ways.length) {
      lines.push('', color.bold(r.conflict ? 'ways out:' : 'next step:'))
      r.ways.forEach((w, i) => {
        lines.push(`  ${i + 1}. ${w.works ? w.summary : color.dim(w.summary)}`)
        lines.push(`     ${color.dim(w.command)}`)
        if (w.works) lines.push(`     ${color.dim(w.changes.length ? `changes: ${w.changes.map((c) => `${c.id} ${c.from ?? '-'} -> ${c.to ?? '-'}`).join(', ')}` : 'changes nothing in the lockfile')}`)
        else lines.push(`     ${color.red(`does not resolve: ${w.error}`)}`)
      })
      if (!o.apply && r.ways.some((w) => w.works)) lines.push('', color.dim(`Apply the first that works: ggen packs resolve ${r.package} --apply (or --pick N)`))
    }
    if (r.applied) lines.push('', `applied way ${r.applied.way}:`, renderChanges(r.applied.result, 'updated'))
  return lines.join('\n')
}
