import {describe, expect, it} from 'vitest'
import {prettyJsonChunks, writeJsonPieces} from '../../src/util/json-chunks.js'

const whole = (v: unknown, rows?: number) => [...prettyJsonChunks(v, rows)].join('')

describe('prettyJsonChunks', () => {
  const row = (i: number) => ({id: `p${i}`, n: i, nested: {list: [i, {deep: [null, 'x\ny"z']}], empty: [], none: {}}, gone: undefined, when: new Date(i * 1e9)})
  it.each([0, 1, 2, 3, 5, 7, 10, 11, 100])('%s elements in pieces of 1, 3 and 10: the same bytes as JSON.stringify(v, null, 2)', (n) => {
    const v = Array.from({length: n}, (_, i) => (i % 4 === 3 ? undefined : i % 5 === 4 ? [row(i), 'text'] : row(i)))
    for (const rows of [1, 3, 10]) expect(whole(v, rows)).toBe(JSON.stringify(v, null, 2) + '\n')
  })
  it('a long array comes in several pieces, each a few rows', () => {
    const v = Array.from({length: 25}, (_, i) => row(i))
    const pieces = [...prettyJsonChunks(v, 10)]
    expect(pieces.length).toBe(4)
    expect(JSON.parse(pieces.join(''))).toEqual(JSON.parse(JSON.stringify(v)))
  })
  it.each([[{a: [1, 2, 3]}], ['text'], [null], [42], [[]]])('anything but a long array: one piece, %j', (v) => {
    expect([...prettyJsonChunks(v, 1)]).toEqual([JSON.stringify(v, null, 2) + '\n'])
  })
})

describe('writeJsonPieces', () => {
  it('through a real pipe (cat): the same bytes, and never more than about one piece waiting', async () => {
    const {spawn} = await import('node:child_process')
    // cat copies its stdin (a pipe we write into) to its stdout, which we read late
    const cat = spawn('cat', [], {stdio: ['pipe', 'pipe', 'inherit']})
    const v = Array.from({length: 3000}, (_, i) => ({id: `io.ggen.pkg-${i}`, projects: Array.from({length: 5}, (_, j) => ({name: `p${j}`, path: `/work/projects/p${j}`}))}))
    const piece = JSON.stringify(v.slice(0, 100), null, 2).length
    let most = 0
    const write = cat.stdin.write.bind(cat.stdin)
    cat.stdin.write = ((chunk: string) => {
      const ok = write(chunk)
      most = Math.max(most, cat.stdin.writableLength)
      return ok
    }) as typeof cat.stdin.write
    const got: Buffer[] = []
    const finished = new Promise<void>((resolve) => cat.stdout.on('end', resolve))
    cat.stdout.on('data', (b: Buffer) => got.push(b))
    await new Promise<void>((resolve) => writeJsonPieces(cat.stdin, v, 100, resolve))
    cat.stdin.end()
    await finished
    expect(Buffer.concat(got).toString('utf8')).toBe(JSON.stringify(v, null, 2) + '\n')
    // the whole document is ~60 pieces; waiting in memory stays near one (plus the pipe's own buffer)
    expect(JSON.stringify(v, null, 2).length).toBeGreaterThan(30 * piece)
    expect(most).toBeLessThan(3 * piece)
  })
})
