/**
 * Shared parsing helpers: TOML/JSON text -> object with errors that name the file, the line and
 * the field; zod validation with the first issue's path as the field.
 */
import {parse as parseToml, TomlError} from 'smol-toml'
import type {z} from 'zod'
import {PacksError} from '../domain/errors.js'

export function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>
  } catch (error) {
    const e = error as TomlError & {line?: number; column?: number}
    const where = e.line ? ` at line ${e.line}${e.column ? `, column ${e.column}` : ''}` : ''
    throw new PacksError('E_PARSE', `${file}: invalid TOML${where}: ${firstLine(e.message)}`, {
      file,
      hint: 'Fix the TOML syntax (a TOML linter such as taplo shows the exact spot); nothing was changed.',
      cause: error,
    })
  }
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const msg = (error as Error).message
    let where = ''
    const pos = /position (\d+)/.exec(msg)
    if (pos) {
      const upto = text.slice(0, Number(pos[1]))
      const line = upto.split('\n').length
      where = ` at line ${line}`
    } else if (/Unexpected end/.test(msg)) {
      where = ` at line ${text.split('\n').length} (file ends early: truncated?)`
    }
    throw new PacksError('E_PARSE', `${file}: invalid JSON${where}: ${msg}`, {
      file,
      hint: 'The file is damaged or truncated. Restore it from version control or with `ggen packs rollback`; nothing was changed.',
      cause: error,
    })
  }
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
    field: field || undefined,
    hint: 'Correct the field and run the command again; nothing was changed.',
    details: r.error.issues.map((i) => ({field: [base, fieldPath(i.path)].filter(Boolean).join('.'), message: i.message})),
  })
}
