/** Reading back the CSV that src/formats/csv.ts writes (RFC 4180), for tests. */

/** a tiny CSV reader for what csv() writes (quoted cells with "" escapes) */
export function readCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const endCell = () => {
    row.push(cell)
    cell = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') endCell()
    else if (c === '\n') {
      endCell()
      rows.push(row)
      row = []
    } else cell += c
  }
  return rows
}
