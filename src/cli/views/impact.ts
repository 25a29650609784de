/** `packs impact` for people: per project, whether the move breaks it and why */
import type {ImpactResult} from '../../core/impact.js'
import {count, some} from '../../util/text.js'
import {color, table} from '../render.js'

/** the first two items, and how many more (--json has them all) */
const few = (items: string[]): string => some(items, 2, {sep: '; '})

export function renderImpact(r: ImpactResult): string {
  const breaking = r.projects.filter((p) => p.breaks)
  if (r.projects.length === 0) return `No known project uses ${r.package}.`
  const lines = [
    `${color.bold(`${r.package} -> ${r.to}`)}: ${breaking.length ? color.red(`breaks ${breaking.length} of ${count(r.projects.length, 'project')}`) : color.green(`breaks none of ${count(r.projects.length, 'project')}`)}`,
    table(
      ['PROJECT', 'FROM', 'BREAKS', 'WHY', 'ALSO MOVES'],
      r.projects.map((p) => [
        p.project.name,
        p.from === r.to ? `${p.from} (already)` : p.from,
        p.breaks ? color.red('yes') : color.green('no'),
        few(p.reasons.map((x) => `${x.requirer} wants ${x.range}`)),
        few(p.moves.map((m) => `${m.id} ${m.locked ?? '(new)'} -> ${m.range}`)),
      ]),
    ).trimEnd(),
  ]
  if (r.added.length) lines.push(`${r.to} adds dependencies: ${r.added.map((d) => `${d.id} ${d.range}`).join(', ')}`)
  if (r.removed.length) lines.push(`${r.to} drops dependencies: ${r.removed.map((d) => `${d.id} ${d.range}`).join(', ')}`)
  lines.push(color.dim(`One project's exact plan: ggen packs update ${r.package} --to ${r.to} --dry-run --project DIR`))
  return lines.join('\n')
}
