import {describe, expect, it} from 'vitest'
import {prettyJsonChunks} from '../../src/util/json-chunks.js'

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
