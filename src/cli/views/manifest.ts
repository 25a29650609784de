/** the manifest commands for people: compare, apply, lock and generate summaries */
import type {GenerateManifestResult} from '../../core/manifest-generate.js'
import type {LockManifestResult} from '../../core/manifest-lock.js'
import type {ManifestComparison} from '../../core/manifest.js'
import type {ApplyManifestResult} from '../../ops/manifest-apply.js'
import {count} from '../../util/text.js'
import {color} from '../render.js'
import {renderChanges} from './changes.js'

export const MANIFEST_FORMATS = ['json', 'yaml'] as const

const short = (sri: string | null) => (sri ? `${sri.slice(0, 17)}…` : '-')

export function renderComparison(c: ManifestComparison): string {
  const lines = [`${c.a.file} (${c.a.environment}, ${c.a.packages} packages) -> ${c.b.file} (${c.b.environment}, ${c.b.packages} packages)`]
  for (const p of c.added) lines.push(`  ${color.green('+')} ${p.id} ${p.version ?? p.required_version}${p.transitive ? color.dim(' (transitive)') : ''}`)
  for (const p of c.removed) lines.push(`  ${color.red('-')} ${p.id} ${p.version ?? p.required_version}${p.transitive ? color.dim(' (transitive)') : ''}`)
  for (const p of c.changed) {
    const parts: string[] = []
    if (p.from !== p.to) parts.push(`${p.from ?? '-'} -> ${p.to ?? '-'} (${p.direction === 'downgrade' ? color.yellow('downgrade') : p.direction})`)
    if (p.integrity_changed) parts.push(`integrity ${short(p.from_integrity)} -> ${short(p.to_integrity)}${p.from === p.to ? color.red(' (same version, other bytes)') : ''}`)
    for (const a of p.attributes) parts.push(`${a.field} ${String(a.from)} -> ${String(a.to)}`)
    lines.push(`  ${color.yellow('~')} ${p.id} ${parts.join('; ')}`)
  }
  const n = c.added.length + c.removed.length + c.changed.length
  lines.push(n === 0 ? 'identical package sets' : color.dim(`${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed, ${c.unchanged} unchanged`))
  return lines.join('\n')
}


export function renderApply(r: ApplyManifestResult): string {
  return [
    renderChanges(r, r.dryRun ? `would apply the ${r.environment} manifest, changing` : `applied the ${r.environment} manifest, changed`),
    ...(r.toml_changed && r.changes.length === 0 ? [color.dim(`  ggen.toml [packs] ${r.dryRun ? 'would be' : 'was'} rewritten to the manifest's direct packages`)] : []),
  ].join('\n')
}

export function renderLock(r: LockManifestResult): string {
  const lines = [`${r.file}: locked ${count(r.manifest.packages.length, 'package')} (${r.manifest.environment})`]
  for (const x of r.resolved) lines.push(`  = ${x.id} ${x.version} (resolved)`)
  for (const x of r.added) lines.push(`  + ${x.id} ${x.version} (transitive dependency added)`)
  if (!r.checked) lines.push('  (no registry configured: pinned as written, not checked against a registry)')
  return lines.join('\n')
}

/** the one-line summary after `manifest generate --output FILE` */
export function renderGenerated(r: GenerateManifestResult & {file: string}): string {
  const direct = r.manifest.packages.filter((p) => !p.transitive).length
  const from = r.projects.length === 1 ? r.projects[0] : count(r.projects.length, 'project')
  return `${r.file}: ${r.manifest.environment} manifest, ${count(r.manifest.packages.length, 'package')} (${direct} direct, ${r.manifest.packages.length - direct} transitive) from ${from}${r.manifest.metadata.locked_at ? ', locked' : ''}`
}
