/** `packs why` for people: every path into one project, or the summary per project */
import {renderPath, type WhyResult} from '../../core/why.js'
import {count} from '../../util/text.js'
import {color, table} from '../render.js'

export function renderWhy(r: WhyResult, o: {project?: boolean} = {}): string {
  if (o.project) {
    const w = r.projects[0]!
    const lines = [`${color.bold(`${r.package} ${w.version}`)} in ${w.project.name} ${color.dim(w.project.path)}`, `  ${w.summary}`]
    if (w.paths.length > (w.direct ? 1 : 0)) {
      lines.push(color.bold(`  ${count(w.count, 'path')}${w.truncated ? ` (first ${w.paths.length} shown)` : ''}:`))
      for (const p of w.paths) lines.push(`    ${p.length === 1 ? `${renderPath(p)} ${color.dim('(ggen.toml)')}` : renderPath(p)}`)
    }
    return lines.join('\n')
  }
  const versions = [...new Set(r.projects.map((p) => p.version))]
  return (
    `${color.bold(r.package)}: locked by ${count(r.projects.length, 'project')} (${versions.join(', ')})\n` +
    table(
      ['PROJECT', 'VERSION', 'HOW', 'PATHS'],
      r.projects.map((p) => [p.project.name, p.version, p.direct ? color.green(p.summary) : p.summary, `${p.count}${p.truncated ? '+' : ''}`]),
    ) +
    color.dim('Every path of one project: --project DIR')
  )
}
