import {z} from 'zod'
import {describe, expect, it} from 'vitest'
import {findToml11Syntax, jsonErrorOffset, parseJsonText, parseTomlText, validate} from '../../../src/formats/parse.js'
import {thrown} from '../../support/errors.js'

const FILE = '/x/gpack.toml'


describe('parseTomlText: TOML 1.0, as ggen reads it', () => {
  it('rejects an inline table over several lines (TOML 1.1) with the line and column of its `{`', () => {
    const text = '[generation]\nlanguages = ["rust"]\nframeworks = {\n  rust = "axum"\n}\n'
    const e = thrown(() => parseTomlText(text, FILE))
    expect(e).toMatchObject({code: 'E_PARSE', file: FILE})
    expect(e.message).toBe(`${FILE}: invalid TOML at line 3, column 14: inline table spans several lines (TOML 1.1 only; ggen reads TOML 1.0)`)
    expect(e.hint).toMatch(/one line/)
    // opt-in for callers that want TOML 1.1
    expect(parseTomlText(text, FILE, {toml11: true})).toEqual({generation: {languages: ['rust'], frameworks: {rust: 'axum'}}})
  })

  it('rejects a trailing comma in an inline table and \\e escapes', () => {
    expect(thrown(() => parseTomlText('a = { b = 1, }\n', FILE)).message).toMatch(/line 1, column 5: trailing comma/)
    expect(thrown(() => parseTomlText('a = "x\\e"\n', FILE)).message).toMatch(/line 1.*escape \\e/)
  })

  it('accepts what TOML 1.0 allows: arrays over lines (also inside inline tables), multi-line strings, braces in strings and comments', () => {
    const ok = [
      'a = [\n  1,\n  2,\n]\n',
      'a = { b = [\n 1,\n 2 ] }\n',
      'a = { b = """\nmulti\n""" }\n',
      "a = { b = '''\nlit { \n''' }\n",
      'a = "{ not a table"\n# { comment\nb = 1\n',
      's = """q: "{" and ""quoted"" """\nt = { u = 1 }\n',
      '[x]\n"k{" = { v = "}" }\n[[y]]\nz = [{a = 1}, {b = 2}]\n',
      'd = 1979-05-27T07:32:00Z\n',
    ]
    for (const t of ok) {
      expect(findToml11Syntax(t), t).toBeNull()
      expect(() => parseTomlText(t, FILE)).not.toThrow()
    }
  })

  it('reports a syntax error with its line', () => {
    const e = thrown(() => parseTomlText('a = 1\nb = = 2\n', FILE))
    expect(e.code).toBe('E_PARSE')
    expect(e.message).toMatch(/^\/x\/gpack.toml: invalid TOML at line 2/)
  })
})

describe('parseJsonText', () => {
  it('names the line of a syntax error', () => {
    const e = thrown(() => parseJsonText('{\n  "a": 1,\n  "b": ]\n}', '/x/index.json'))
    expect(e).toMatchObject({code: 'E_PARSE', file: '/x/index.json'})
    expect(e.message).toMatch(/invalid JSON at line 3/)
  })

  it('says "truncated" when the text stops early', () => {
    for (const t of ['{"a": "b"', '{"a": "b', '{"a": {"x": 1}, "c": [1,']) {
      expect(thrown(() => parseJsonText(t, '/x/packs.lock')).message).toMatch(/truncated/)
    }
  })
})

describe('validate', () => {
  const S = z.object({packs: z.record(z.string(), z.object({version: z.string(), list: z.array(z.string()).optional()}))})

  it('names the first failing field as a dotted path with [i] for arrays, and counts the rest', () => {
    const e = thrown(() => validate(S, {packs: {'a.b': {version: 1, list: ['x', 2]}}}, '/x/f.json'))
    expect(e.code).toBe('E_SCHEMA')
    expect(e.field).toBe('packs.a.b.version')
    expect(e.message).toMatch(/^\/x\/f.json: field `packs.a.b.version`: .*\(and 1 more problem\)$/)
    expect(e.details).toEqual([
      {field: 'packs.a.b.version', message: expect.any(String)},
      {field: 'packs.a.b.list[1]', message: expect.any(String)},
    ])
  })

  it('prefixes the table the value came from', () => {
    expect(thrown(() => validate(z.object({id: z.string()}), {id: 3}, FILE, 'gpack')).field).toBe('gpack.id')
  })
})

describe('jsonErrorOffset', () => {
  it('finds the offset V8 does not report', () => {
    expect(jsonErrorOffset('{"a": 1}')).toBe(-1)
    expect(jsonErrorOffset('[1, 2.5e3, "x\\u0041", true, null, {"k": []}]')).toBe(-1)
    expect(jsonErrorOffset('{\n  "a": 1,\n  "b": ]\n}')).toBe(19)
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8)
    expect(jsonErrorOffset('{"a": 01}')).toBe(7)
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9)
    expect(jsonErrorOffset('{"a": "\\q"}')).toBe(8)
  })
})
