/**
 * Shared parsing helpers: TOML/JSON text -> object with errors that name the file, the line and
 * the field; zod validation with the first issue's path as the field.
 */
import {parse as parseToml, TomlError} from 'smol-toml'
import type {z} from 'zod'
import {PacksError} from '../domain/errors.js'

export interface TomlParseOptions {
  /**
   * Accept TOML 1.1-only syntax (inline tables over several lines, trailing commas in inline
   * tables, `\e` / `\x` escapes). Off by default: ggen parses TOML 1.0 and rejects such files
   * (e.g. the real marketplace `rest-api-template/package.toml`), so we report them the same way.
   */
  toml11?: boolean
}

export function parseTomlText(text: string, file: string, opts: TomlParseOptions = {}): Record<string, unknown> {
  let parsed: Record<string, unknown>
  try {
    parsed = parseToml(text) as Record<string, unknown>
  } catch (error) {
    const e = error as TomlError & {line?: number; column?: number}
    const where = e.line ? ` at line ${e.line}${e.column ? `, column ${e.column}` : ''}` : ''
    throw new PacksError('E_PARSE', `${file}: invalid TOML${where}: ${firstLine(e.message)}`, {
      file,
      hint: 'Fix the TOML syntax (a TOML linter such as taplo shows the exact spot); nothing was changed.',
      cause: error,
    })
  }
  if (!opts.toml11) {
    const v11 = findToml11Syntax(text)
    if (v11) {
      throw new PacksError('E_PARSE', `${file}: invalid TOML at line ${v11.line}, column ${v11.column}: ${v11.what} (TOML 1.1 only; ggen reads TOML 1.0)`, {
        file,
        hint: v11.hint + ' Nothing was changed.',
        details: {line: v11.line, column: v11.column},
      })
    }
  }
  return parsed
}

export interface Toml11Finding {
  line: number
  column: number
  what: string
  hint: string
}

/**
 * Find the first construct that TOML 1.1 allows but TOML 1.0 (what ggen's Rust `toml` crate
 * reads) rejects. Only called on text that already parsed as TOML 1.1, so the scanner can be simple:
 * strings and comments are skipped, `{`/`[` nesting is tracked, and a newline, comment or trailing
 * comma directly inside an inline table is reported at the table's opening brace.
 */
export function findToml11Syntax(text: string): Toml11Finding | null {
  const stack: Array<{ch: '{' | '['; line: number; column: number}> = []
  let line = 1
  let lineStart = 0
  let lastSignificant = ''
  const col = (i: number): number => i - lineStart + 1
  const inlineTable = (): {line: number; column: number} | undefined => {
    const top = stack[stack.length - 1]
    return top?.ch === '{' ? top : undefined
  }
  const multiLine = (at: {line: number; column: number}): Toml11Finding => ({
    ...at,
    what: 'inline table spans several lines',
    hint: 'Write the inline table `{ ... }` on one line, or turn it into a [section] table.',
  })
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\n') {
      const t = inlineTable()
      if (t) return multiLine(t)
      line++
      lineStart = i + 1
      continue
    }
    if (c === '#') {
      const t = inlineTable()
      if (t) return multiLine(t)
      while (i + 1 < text.length && text[i + 1] !== '\n') i++
      continue
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i)
      const quote = triple ? c.repeat(3) : c
      i += quote.length
      for (; i < text.length; i++) {
        const d = text[i]!
        if (d === '\n') {
          line++
          lineStart = i + 1
        }
        if (c === '"' && d === '\\') {
          const e = text[i + 1]
          if (e === 'e' || e === 'x') {
            return {line, column: col(i), what: `escape \\${e} in a string`, hint: 'Use a \\uXXXX escape instead.'}
          }
          i++
          if (e === '\n') {
            line++
            lineStart = i + 1
          }
          continue
        }
        if (text.startsWith(quote, i)) {
          i += quote.length - 1
          // a multi-line string may end with up to two extra quote characters
          while (triple && text[i + 1] === c) i++
          break
        }
      }
      lastSignificant = c
      continue
    }
    if (c === '{' || c === '[') {
      stack.push({ch: c, line, column: col(i)})
    } else if (c === '}' || c === ']') {
      if (c === '}' && lastSignificant === ',') {
        const t = inlineTable()
        if (t) return {...t, what: 'trailing comma in an inline table', hint: 'Remove the comma before the closing `}`.'}
      }
      stack.pop()
    }
    if (c !== ' ' && c !== '\t' && c !== '\r') lastSignificant = c
  }
  return null
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const msg = (error as Error).message
    // V8 gives a position for some errors only ("Unexpected token ']', ..." has none): find it ourselves
    const pos = /position (\d+)/.exec(msg)
    const at = pos ? Number(pos[1]) : /Unexpected end/.test(msg) ? text.length : jsonErrorOffset(text)
    let where = ''
    if (at >= 0) {
      const before = text.slice(0, at)
      const line = before.split('\n').length
      const column = at - (before.lastIndexOf('\n') + 1) + 1
      // an error at the very end (unterminated string, missing `}`) means the file was cut short
      where = ` at line ${line}, column ${column}${at >= text.trimEnd().length ? ' (file ends early: truncated?)' : ''}`
    }
    throw new PacksError('E_PARSE', `${file}: invalid JSON${where}: ${firstLine(msg)}`, {
      file,
      hint: 'The file is damaged or truncated. Restore it from version control or with `ggen packs rollback`; nothing was changed.',
      details: at >= 0 ? {offset: at} : undefined,
      cause: error,
    })
  }
}

/** offset of the first JSON syntax error in `text` (-1 if none found); only used to report errors */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const fail = (): never => {
    throw new JsonOffset(i)
  }
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++
  }
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const string = (): void => {
    i++ // opening quote
    for (;;) {
      const c = text[i]
      if (c === undefined || c < ' ') fail()
      if (c === '"') {
        i++
        return
      }
      if (c === '\\') {
        const e = text[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail()
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else {
          i++
          fail()
        }
      } else i++
    }
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail()
        string()
        ws()
        if (text[i] !== ':') fail()
        i++
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === '}') {
          i++
          return
        } else fail()
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value()
        ws()
        if (text[i] === ',') i++
        else if (text[i] === ']') {
          i++
          return
        } else fail()
      }
    }
    if (c === '"') return string()
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length
        return
      }
    }
    NUMBER.lastIndex = i
    const m = NUMBER.exec(text)
    if (m && m[0].length > 0) {
      i += m[0].length
      return
    }
    fail()
  }
  try {
    value()
    ws()
    if (i < text.length) fail()
    return -1
  } catch (error) {
    if (error instanceof JsonOffset) return error.offset
    if (error instanceof RangeError) return -1 // nested too deep to scan
    throw error
  }
}

class JsonOffset {
  constructor(readonly offset: number) {}
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out ? `.${String(p)}` : String(p)
  }
  return out
}

/** Validate with a zod schema; on failure a PacksError naming file and field (prefixed by `base`) */
export function validate<S extends z.ZodType>(schema: S, value: unknown, file: string, base = ''): z.infer<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const field = [base, fieldPath(issue.path)].filter(Boolean).join('.')
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problem${r.error.issues.length > 2 ? 's' : ''})` : ''
  throw new PacksError('E_SCHEMA', `${file}: field \`${field || '(root)'}\`: ${issue.message}${more}`, {
    file,
    field: field || '(root)',
    hint: 'Correct the field and run the command again; nothing was changed.',
    details: r.error.issues.map((i) => ({field: [base, fieldPath(i.path)].filter(Boolean).join('.'), message: i.message})),
  })
}

/**
 * Hand-checked shapes for the JSON state files under $GGEN_HOME and in projects (projects.json,
 * the store index, history generations, the journal): they are read by every command, so they
 * are checked without loading zod. A wrong type is E_SCHEMA (exit 3) naming the file and field.
 */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'string|null'
export type ShapeSpec = Record<string, FieldKind | `${FieldKind}?`>

const KIND_OK: Record<FieldKind, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: (v) => isPlainObject(v),
  'string|null': (v) => v === null || typeof v === 'string',
}
const KIND_WANT: Record<FieldKind, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object {…}',
  'string|null': 'a string or null',
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** a TOML table (a parsed TOML date is an object too, but no table) */
export const isTable = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && !(v instanceof Date)

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)
  return Array.isArray(v) ? 'an array' : `an ${typeof v}`
}

/** `base.key`, or `base["key"]` when the key is not a plain name (paths, integrities) */
export function subField(base: string, key: string): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return base ? `${base}.${key}` : key
  return `${base}[${JSON.stringify(key)}]`
}

export function shapeError(file: string, field: string, want: string, got: unknown, hint: string): PacksError {
  const f = field || '(root)'
  return new PacksError('E_SCHEMA', `${file}: field \`${f}\`: expected ${want}, got ${describeValue(got)}`, {file, field: f, hint})
}

/** `value` must be an object whose fields have the kinds in `spec` (`?`: may be absent); other fields are kept */
export function checkShape(value: unknown, spec: ShapeSpec, file: string, field: string, hint: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw shapeError(file, field, 'an object {…}', value, hint)
  for (const [key, k] of Object.entries(spec)) {
    const optional = k.endsWith('?')
    const kind = (optional ? k.slice(0, -1) : k) as FieldKind
    const v = value[key]
    if (v === undefined && optional) continue
    if (!KIND_OK[kind](v)) throw shapeError(file, subField(field, key), KIND_WANT[kind], v, hint)
  }
  return value
}

/** the `format` marker of a state file must be exactly `want` */
export function checkFormat(value: Record<string, unknown>, want: string, file: string, hint: string): void {
  if (value.format !== want) {
    throw new PacksError('E_SCHEMA', `${file}: field \`format\`: expected "${want}", got ${JSON.stringify(value.format) ?? 'nothing'}`, {file, field: 'format', hint})
  }
}
