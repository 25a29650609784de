/**
 * CSV (RFC 4180): a header row, then one line per row; a cell holding a comma, quote or line
 * break is quoted, quotes doubled; null and undefined are empty cells. Used by `dependents
 * --export csv` (src/core) and the CSV output of list and audit (src/cli/render.ts re-exports it).
 */
export type CsvCell = string | number | boolean | null | undefined

const cell = (v: CsvCell): string => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csv(headers: string[], rows: CsvCell[][]): string {
  return [headers.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n'
}
