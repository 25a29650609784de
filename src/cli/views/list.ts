/** `packs list` for people and spreadsheets: the table, CSV and YAML forms of ListRow[] */
import type {ListRow} from '../../core/list.js'
import {ago, bytes, color, csv, table, yaml} from '../render.js'
import {count, some, truncate} from '../../util/text.js'
import {scannedNote, securityCell} from './security.js'

export const LIST_FORMATS = ['table', 'json', 'yaml', 'csv'] as const
export type ListFormat = (typeof LIST_FORMATS)[number]

const CSV_COLUMNS = ['id', 'name', 'version', 'size', 'quality_score', 'production_ready', 'author', 'license', 'last_used', 'projects', 'description', 'source', 'location'] as const

export function listCsv(rows: ListRow[]): string {
  return csv([...CSV_COLUMNS], rows.map((x) => CSV_COLUMNS.map((c) => (c === 'projects' ? x.projects.map((p) => p.path).join(';') : x[c]))))
}

export function listTable(rows: ListRow[], o: {long?: boolean; filtered?: boolean}): string {
  if (rows.length === 0)
    return o.filtered
      ? 'No installed version matches these filters. Run `ggen packs list` without them to see everything installed.'
      : 'No packages installed in any known project. Install one with `ggen packs install <id>`, or scan a folder with --root DIR.'
  const long = o.long
  const projects = new Set(rows.flatMap((x) => x.projects.map((p) => p.path))).size
  // the SECURITY column once a scan has run (every row then has a status)
  const scanned = rows.find((x) => x.security)?.security?.last_scanned
  return (
    table(
      ['PACKAGE', 'VERSION', 'SIZE', 'QUALITY', 'PROD', 'AUTHOR', 'LAST USED', 'PROJECTS', ...(scanned ? ['SECURITY'] : []), ...(long ? ['DESCRIPTION', 'SOURCE', 'LOCATION'] : [])],
      rows.map((x) => [
        x.id + (x.yanked ? color.red(' (yanked)') : x.deprecated ? color.yellow(' (deprecated)') : ''),
        x.version,
        bytes(x.size),
        x.quality_score ?? '-',
        x.production_ready ? 'yes' : 'no',
        x.author ?? '-',
        ago(x.last_used),
        some(x.projects.map((p) => p.name), 2),
        ...(scanned ? [securityCell(x.security)] : []),
        ...(long ? [truncate(x.description, 50), x.source ?? '-', x.location ?? '-'] : []),
      ]),
    ) +
    color.dim(`${count(rows.length, 'version')} in ${count(projects, 'project')}`) +
    (scanned ? `\n${scannedNote(scanned)}` : '')
  )
}

export async function renderList(rows: ListRow[], format: ListFormat, o: {long?: boolean; filtered?: boolean} = {}): Promise<string> {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n'
  if (format === 'yaml') return yaml(rows)
  if (format === 'csv') return listCsv(rows)
  return listTable(rows, o)
}
