/** `packs dependents` for people and outreach lists: the table, and the CSV, YAML and JSON forms */
import {PacksError} from '../../domain/errors.js'
import {refText, type DependentProject, type DependentsResult, type VersionNotice} from '../../core/dependents.js'
import {deprecationText} from '../../registry/deprecations.js'
import {renderPath} from '../../core/why.js'
import {extname} from 'node:path'
import {color, csv, table, yaml} from '../render.js'
import {count} from '../../util/text.js'

export const DEPENDENTS_FORMATS = ['table', 'json', 'yaml', 'csv'] as const
export type DependentsFormat = (typeof DEPENDENTS_FORMATS)[number]

/** the consuming projects, one row each (the outreach list) */
export function dependentsCsv(r: Pick<DependentsResult, 'projects'>): string {
  const machine = r.projects.some((p) => p.project.machine !== undefined)
  return csv(
    ['project', 'path', 'team', 'owner', ...(machine ? ['machine'] : []), 'version', 'direct', 'via'],
    r.projects.map((p) => [p.project.name, p.project.path, p.project.team, p.project.owner, ...(machine ? [p.project.machine] : []), p.version, p.direct, p.via ? refText(p.via) : '']),
  )
}

/** the old `--export csv|json FILE` (a hidden alias of --format/--output): its format and file */
export function parseExport(values: string[]): {format: 'csv' | 'json'; file: string} {
  const bad = () =>
    new PacksError('E_USAGE', `--export takes a format and a file (got ${values.join(' ') || 'nothing'})`, {hint: 'ggen packs dependents io.x.util --format csv --output owners.csv'})
  if (values.length === 1) {
    const ext = extname(values[0]!).toLowerCase()
    if (ext === '.csv' || ext === '.json') return {format: ext.slice(1) as 'csv' | 'json', file: values[0]!}
    throw bad()
  }
  if (values.length !== 2) throw bad()
  const [format, file] = values as [string, string]
  if (format !== 'csv' && format !== 'json') throw bad()
  return {format, file}
}

/** how a project gets the package: `-` when direct, else the path from its direct dependency */
const via = (p: DependentProject): string => (p.direct ? '-' : p.path.length > 1 ? renderPath(p.path.slice(0, -1)) : color.dim('(unreachable)'))

/** one deprecated or yanked version in use, and how many of the listed projects to tell */
function noticeLine(id: string, n: VersionNotice): string {
  const what = n.yanked ? color.red('is yanked') : color.yellow('is deprecated')
  const why = n.deprecated ? `: ${deprecationText(n.deprecated, n.replacement)}` : ''
  return `${id}@${n.version} ${what}${why} - ${count(n.projects, 'project')} to tell`
}

export function dependentsTable(r: DependentsResult, o: {direct?: boolean} = {}): string {
  const what = `${r.package}${r.range ? `@${r.range}` : ''}`
  const lines: string[] = []
  if (r.projects.length === 0) {
    lines.push(o.direct ? `No known project requires ${what} directly (drop --direct to see transitive use).` : `No known project uses ${what}.`)
  } else {
    const direct = r.projects.filter((p) => p.direct).length
    const how = o.direct ? 'direct users only' : `${direct} direct, ${r.projects.length - direct} transitive`
    lines.push(`${color.bold(what)}: ${count(r.projects.length, 'project')} (${how}) - ${r.versions.map((v) => `${v.version} x${v.projects}`).join(', ')}`)
    lines.push(table(['PROJECT', 'VERSION', 'DIRECT', 'VIA', 'TEAM', 'OWNER', 'PATH'], r.projects.map((p) => [p.project.name, p.version, p.direct ? 'yes' : color.dim('no'), via(p), p.project.team ?? '-', p.project.owner ?? '-', p.project.path])).trimEnd())
  }
  for (const n of r.notices) lines.push(noticeLine(r.package, n))
  if (r.packages.length) {
    lines.push(color.bold(`${count(r.packages.length, 'package version')} depend on it:`))
    lines.push(table(['PACKAGE', 'VERSION', 'RANGE'], r.packages.map((p) => [p.id, p.version, p.range])).trimEnd())
  }
  if (r.notifications) lines.push(color.dim(`wrote ${count(r.notifications.files.length, 'message')} (move to ${r.notifications.to}) to ${r.notifications.dir}`))
  return lines.join('\n')
}

export async function renderDependents(r: DependentsResult, format: DependentsFormat, o: {direct?: boolean} = {}): Promise<string> {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n'
  if (format === 'yaml') return yaml(r)
  if (format === 'csv') return dependentsCsv(r)
  return dependentsTable(r, o)
}
