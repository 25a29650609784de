/**
 * `JSON.stringify(value, null, 2) + '\n'` in pieces: a top-level array of more than CHUNK_ROWS
 * elements is written CHUNK_ROWS elements at a time, each piece stringified as an array of its
 * own with its brackets cut off (the elements of an array are indented alike wherever the array
 * is cut). The bytes are the same (test/unit/json-chunks.test.ts); a 100,000-version `list
 * --json` (67 MB) never holds the whole document as one string and one buffer at once.
 */
export const CHUNK_ROWS = 2000

/** documents already written as JSON.stringify(value, null, 2) + '\n', by the value (never mutated after) */
const written = new WeakMap<object, string>()

/**
 * `JSON.stringify(value, null, 2) + '\n'`, made once per value: a use-case that writes its result
 * to a file in this form (the scan's last-scan.json, 8 MB at 10k versions) and returns it hands
 * --json the same text instead of a second serialisation. The value must not change afterwards.
 */
export function prettyJson(value: object): string {
  let text = written.get(value)
  if (text === undefined) written.set(value, (text = JSON.stringify(value, null, 2) + '\n'))
  return text
}

export function* prettyJsonChunks(value: unknown, rows = CHUNK_ROWS): Generator<string> {
  const known = typeof value === 'object' && value !== null ? written.get(value) : undefined
  if (known !== undefined) {
    yield known
    return
  }
  if (!Array.isArray(value) || value.length <= rows) {
    yield JSON.stringify(value, null, 2) + '\n'
    return
  }
  // "[\n  a,\n  b\n]": the body between "[\n" and "\n]"
  for (let i = 0; i < value.length; i += rows) {
    const piece = JSON.stringify(value.slice(i, i + rows), null, 2)
    yield (i === 0 ? '[\n' : ',\n') + piece.slice(2, -2)
  }
  yield '\n]\n'
}

/**
 * Write the pieces to `out`: on a stream that takes writes asynchronously (a pipe), the next piece
 * only after 'drain', so that at most one piece waits in memory; on one that takes them at once (a
 * file, a terminal), all in one loop. `done` is called once the last piece is handed over.
 */
export function writeJsonPieces(out: NodeJS.WritableStream, value: unknown, rows = CHUNK_ROWS, done?: () => void): void {
  const pieces = prettyJsonChunks(value, rows)
  const pump = (): void => {
    for (let p = pieces.next(); !p.done; p = pieces.next()) {
      if (!out.write(p.value)) {
        out.once('drain', pump)
        return
      }
    }
    done?.()
  }
  pump()
}
