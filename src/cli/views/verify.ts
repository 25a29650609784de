/** `packs verify` for people: manifest differences, environment runs, and the consistency report */
import type {ProjectsVerifyResult, ProjectVerification} from '../../core/verify.js'
import type {EnvironmentVerifyResult, ManifestDifference, ManifestVerifyResult} from '../../core/manifest-verify.js'
import type {PolicyVerifyResult} from '../../core/policy-verify.js'
import {count, noun, some} from '../../util/text.js'
import {renderCompliance} from './bundle.js'
import {color} from '../render.js'

/** `verify --policy`: each project against the team policy and its bound bundles */
export const renderPolicy = (r: PolicyVerifyResult): string => renderCompliance(`policy ${r.policy} and bound bundles:`, r.projects, r.summary)

const SIGN: Record<ManifestDifference['kind'], string> = {missing: '-', extra: '+', version: '~', integrity: '!', 'store-missing': '!', 'store-corrupt': '!', unreadable: '!', interrupted: '!'}

function renderDifferences(diffs: ManifestDifference[], indent = '  '): string[] {
  return diffs.map((d) => `${indent}${d.kind === 'missing' || d.kind === 'version' ? color.yellow(SIGN[d.kind]) : d.kind === 'extra' ? color.cyan(SIGN[d.kind]) : color.red(SIGN[d.kind])} ${d.kind.padEnd(13)} ${d.message}`)
}

export function renderProject(r: ManifestVerifyResult): string {
  const head = `${r.project}: ${r.ok ? color.green('matches') : color.red(`${count(r.differences.length, 'difference')} from`)} the ${r.environment} manifest (${r.checked} packages, ${r.manifest})`
  const tag = r.project_environment && r.project_environment !== r.environment ? [color.dim(`  (the project is tagged environment = "${r.project_environment}")`)] : []
  return [head, ...tag, ...renderDifferences(r.differences)].join('\n')
}

export function renderEnvironment(r: EnvironmentVerifyResult): string {
  const lines = [`environment ${r.env}: ${count(r.projects.length, 'project')} against the ${r.environment} manifest (${r.manifest})`]
  for (const p of r.projects) {
    lines.push(`  ${p.project}: ${p.ok ? color.green('matches') : color.red(`${count(p.differences.length, 'difference')}`)}`)
    lines.push(...renderDifferences(p.differences, '    '))
  }
  const bad = r.projects.filter((p) => !p.ok).length
  lines.push(r.ok ? color.green('all projects match') : color.red(`${bad} of ${count(r.projects.length, 'project')} differ`))
  return lines.join('\n')
}

// --- consistency mode (issue #4): one project, or --all ---

function renderConsistency(p: ProjectVerification): string[] {
  const errors = p.problems.filter((x) => x.severity === 'error').length
  const warnings = p.problems.length - errors
  const state = p.ok ? color.green('ok') : color.red('FAILED')
  const counts = [errors ? `${count(errors, 'error')}` : '', warnings ? `${count(warnings, 'warning')}` : ''].filter(Boolean).join(', ')
  return [
    `${p.project.name} ${color.dim(p.project.path)}: ${state}${counts ? ` (${counts})` : ''}`,
    ...p.problems.map((x) => `  ${x.severity === 'error' ? color.red('x') : color.yellow('!')} ${x.code.padEnd(19)} ${x.message}`),
  ]
}

export function renderProjects(r: ProjectsVerifyResult, showConflicts: boolean): string {
  const lines: string[] = []
  const shown = r.mode === 'all' ? r.projects.filter((p) => p.problems.length > 0) : r.projects
  for (const p of shown) lines.push(...renderConsistency(p))
  if (r.drift.length) {
    const what = r.mode === 'all' ? 'across projects' : 'between this project and others'
    if (showConflicts) {
      lines.push(color.bold(`version drift ${what} (${count(r.drift.length, 'package')}):`))
      for (const d of r.drift) {
        const names = (ps: {name: string}[] = []) => some(ps.map((x) => x.name), 3)
        const versions = d.versions.map((v) => `${v.version} (${v.projects ? names(v.projects) : `${count(v.count, 'project')}`})`)
        lines.push(`  ${color.yellow('!')} ${d.id}: ${versions.join(', ')}`)
      }
    } else {
      lines.push(color.dim(`${count(r.drift.length, 'package')} ${noun(r.drift.length, 'is')} locked at different versions ${what} (--show-conflicts lists them)`))
    }
  }
  const s = r.summary
  const tail = `${count(s.projects, 'project')} checked: ${count(s.errors, 'error')}, ${count(s.warnings, 'warning')}`
  lines.push(r.ok ? color.green(`verified - ${tail}`) : color.red(`verification failed (${count(s.failing, 'project')}) - ${tail}`))
  return lines.join('\n')
}

