/** `packs info` for people: metadata, dependencies, versions and, when asked, who uses it */
import type {InfoResult} from '../../core/info.js'
import {count} from '../../util/text.js'
import {bytes, color, table} from '../render.js'
import {scannedNote, securityCell} from './security.js'

export function renderInfo(r: InfoResult): string {
    const scanned = r.versions.find((v) => v.security)?.security?.last_scanned
    const lines = [
      `${color.bold(r.id)} ${r.version}${r.name !== r.id ? `  (${r.name})` : ''}`,
      r.description,
      '',
      `latest:     ${r.latest ?? '-'}`,
      `author:     ${r.author ?? '-'}`,
      `license:    ${r.license ?? '-'}`,
      `category:   ${r.category ?? '-'}`,
      `keywords:   ${r.keywords.join(', ') || '-'}`,
      `registry:   ${r.registry}`,
      ...(r.homepage ? [`homepage:   ${r.homepage}`] : []),
      ...(r.repository ? [`repository: ${r.repository}`] : []),
      '',
      color.bold(`dependencies of ${r.version}:`) + (r.dependencies.length ? '' : ' none'),
      ...r.dependencies.map((d) => `  ${d.id} ${d.range}`),
      '',
      table(
        ['VERSION', 'PUBLISHED', 'QUALITY', 'SIZE', 'STATE', ...(scanned ? ['SECURITY'] : [])],
        r.versions.map((v) => [
          v.version,
          v.published_at?.slice(0, 10) ?? '-',
          v.quality_score ?? '-',
          bytes(v.size),
          v.yanked ? color.red('yanked') : v.deprecated ? color.yellow(`deprecated: ${v.deprecated}`) : v.signed ? 'signed' : '',
          ...(scanned ? [v.security ? securityCell(v.security) : ''] : []),
        ]),
      ),
      ...(scanned ? [scannedNote(scanned)] : []),
    ]
    if (r.dependents) {
      lines.push(color.bold(`used by ${count(r.dependents.length, 'project')}:`))
      if (r.dependents.length) lines.push(table(['PROJECT', 'VERSION', 'DIRECT', 'PATH'], r.dependents.map((d) => [d.project.name, d.version, d.direct ? 'yes' : 'no', d.project.path])))
    }
  return lines.join('\n')
}
