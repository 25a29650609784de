/** `packs search` for people and other programs: the ranked table, CSV and YAML of SearchRow[] */
import type {SearchRow} from '../../core/search.js'
import {truncate} from '../../util/text.js'
import {color, csv, table, yaml} from '../render.js'

export const SEARCH_FORMATS = ['table', 'json', 'yaml', 'csv'] as const
export type SearchFormat = (typeof SEARCH_FORMATS)[number]

const CSV_COLUMNS = ['id', 'name', 'version', 'quality_score', 'production_ready', 'category', 'author', 'registry', 'description'] as const

export async function renderSearch(rows: SearchRow[], format: SearchFormat, o: {query: string; hint?: string | null}): Promise<string> {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n'
  if (format === 'yaml') return yaml(rows)
  if (format === 'csv') return csv([...CSV_COLUMNS], rows.map((r) => CSV_COLUMNS.map((c) => r[c])))
  if (rows.length === 0) return `No package matches "${o.query}".${o.hint ? `\nTry this: ${o.hint}` : ''}`
  return table(
    ['PACKAGE', 'VERSION', 'QUALITY', 'PROD', 'DESCRIPTION'],
    rows.map((r) => [r.id + (r.deprecated ? color.yellow(' (deprecated)') : ''), r.version ?? '-', r.quality_score ?? '-', r.production_ready ? 'yes' : 'no', truncate(r.description, 70)]),
  )
}
