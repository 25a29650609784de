/** `packs bundle …` and `verify --policy` for people: bundles, compliance reports, what apply did */
import type {BundleListResult, BundleValidation, ProjectCompliance} from '../../core/bundle-check.js'
import type {BundleApplyResult} from '../../ops/bundle.js'
import type {Violation} from '../../policy/evaluate.js'
import type {Bundle} from '../../policy/model.js'
import {count, noun, some, someLines} from '../../util/text.js'
import {color, table} from '../render.js'
import {renderChanges} from './changes.js'

export function renderBundleList(r: BundleListResult): string {
  if (r.bundles.length === 0 && r.problems.length === 0) return r.backend === 'neo4j' ? 'the team graph holds no bundle (a machine shares its bundles with `ggen packs graph sync`)' : 'no bundles yet (ggen packs bundle create NAME)'
  const head = ['bundle', 'enforcement', 'teams', 'packages', 'maintainer', ...(r.owners ? ['machine'] : [])]
  const rows = r.bundles.map((b) => [b.id, b.enforcement === 'hard' ? color.red('hard') : 'soft', some(b.teams, 3), b.packages.length, b.maintainer || '-', ...(r.owners ? [r.owners[b.id] ?? '-'] : [])])
  const problems = r.problems.map((p) => color.yellow(`! skipped ${p.file}: ${p.message}`))
  return [table(head, rows).trimEnd(), ...problems].join('\n')
}

export function renderBundle(b: Bundle): string {
  const lines = [
    `${color.bold(b.id)}${b.description ? ` - ${b.description}` : ''}`,
    `  enforcement: ${b.enforcement}   teams: ${some(b.teams, 5)}   maintainer: ${b.maintainer || '-'}   created: ${b.created_at.slice(0, 10)}`,
  ]
  if (b.packages.length) lines.push(table(['package', 'range', 'tier', 'optional'], b.packages.map((p) => [p.id, p.version, p.tier, p.optional ? 'yes' : ''])).trimEnd().replace(/^/gm, '  '))
  else lines.push('  (no packages yet: ggen packs bundle add ' + b.id + ' ID@RANGE)')
  if (b.policy) lines.push(`  policy: ${Object.entries(b.policy).filter(([k]) => k !== 'waivers').map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}${b.policy.waivers?.length ? `, ${count(b.policy.waivers.length, 'waiver')}` : ''}`)
  return lines.join('\n')
}

export function violationLine(v: Violation, indent = '    '): string {
  const mark = v.waived ? color.dim('~') : v.enforcement === 'hard' ? color.red('x') : color.yellow('!')
  const tail = v.waived ? color.dim(` (waived: ${v.waived.reason}${v.waived.expires ? `, until ${v.waived.expires}` : ''})`) : ''
  return `${indent}${mark} ${v.rule.padEnd(17)} ${v.message}${tail}`
}

function projectLines(p: ProjectCompliance): string[] {
  const counting = p.violations.filter((v) => !v.waived).length
  const state = p.ok ? color.green('complies') : color.red(count(counting, 'violation'))
  return [`  ${p.project.name} ${color.dim(`${p.project.machine}:${p.project.path}${p.project.team ? `, team ${p.project.team}` : ''}`)}: ${state}`, ...someLines(p.violations.map((v) => violationLine(v)), 20, '    '), ...p.notes.map((n) => color.dim(`    note: ${n}`))]
}

export function renderCompliance(title: string, projects: ProjectCompliance[], s: BundleValidation['summary']): string {
  const lines = [title, ...projects.flatMap(projectLines)]
  const rules = Object.entries(s.by_rule).map(([r, n]) => `${r} ${n}`).join(', ')
  lines.push(s.violating === 0 ? color.green(`${count(s.projects, 'project')}: all comply${s.waived ? ` (${s.waived} waived)` : ''}`) : color.red(`${s.violating} of ${count(s.projects, 'project')} violate: ${count(s.violations, 'violation')} (${rules})${s.waived ? `, ${s.waived} waived` : ''}`))
  return lines.join('\n')
}

export const renderValidation = (r: BundleValidation): string =>
  renderCompliance(`bundle ${r.bundle} (${r.enforcement}) against ${r.team ? `team ${r.team}'s ${noun(r.projects.length, 'project')}` : 'every known project'}${r.backend === 'neo4j' ? ' in the team graph' : ''}:`, r.projects, r.summary)

export function renderApply(r: BundleApplyResult): string {
  const lines: string[] = []
  if (r.change) lines.push(renderChanges(r.change, r.dryRun ? `bundle ${r.bundle} would change` : `bundle ${r.bundle} changed`))
  else lines.push(`${r.project}: nothing to install for bundle ${r.bundle}`)
  if (r.unfixed.length) {
    lines.push(color.yellow(`cannot fix (${count(r.unfixed.length, 'violation')}; change the project or the bundle):`))
    lines.push(...r.unfixed.map((v) => violationLine(v, '  ')))
  }
  if (!r.dryRun) lines.push(r.remaining.length ? color.yellow(`${count(r.remaining.length, 'violation')} of bundle ${r.bundle} remain`) : color.green(`complies with bundle ${r.bundle}`))
  return lines.join('\n')
}

export const renderBundleChange = (verb: string, b: Bundle, file: string): string => `${verb} bundle ${b.id} (${count(b.packages.length, 'package')}, ${b.enforcement}) in ${file}`
