/**
 * Format-preserving edits of a user's TOML file (what cargo's toml_edit does for `cargo add`):
 * only the entries that change are touched; every other byte (comments, blank lines, key order
 * and quoting, CRLF line endings, other tables, a missing final newline) stays as it was.
 *
 * Why splices over toml-eslint-parser instead of an editing library: the two npm editors we tried
 * change bytes we must keep. @decimalturn/toml-patch 3.3 re-aligns the trailing comments of
 * untouched lines; @rainbowatcher/toml-edit-js 0.6 (toml_edit in wasm) turns a CRLF file into LF
 * and cannot address a quoted key containing quotes. toml-eslint-parser (the parser behind
 * eslint-plugin-toml) gives the exact source range of every table, key, value and comment, so the
 * edits here are splices at those ranges and no TOML is lexed by hand. Callers re-parse the
 * result and compare it with what they meant to write (see editProjectToml).
 *
 * Rules (docs/formats.md "Editing ggen.toml"):
 * - a changed value replaces only the value's text; the key's spelling and a trailing comment stay.
 *   In an inline table `{ ... }` only the changed fields' values are replaced; when fields are
 *   added or removed the braces are rewritten, untouched fields keeping their text.
 * - a new key goes on a new line after the table's last key-value line (same indentation), so
 *   comments and blank lines after it, which lead into the next table, stay where they are. A
 *   missing table is appended at the end of the file.
 * - a removed key takes its line(s), its trailing comment, and the whole-line comments directly
 *   above it (no blank line between) — except above the first key of a table, where comments may
 *   describe the table and stay. A removed `[t.key]` section takes its header, its keys and the
 *   comments directly above the header. When the removed lines stood between two blank lines, one
 *   of the two goes too.
 * - the top-level table is path `[]`: a new top-level key goes after the last top-level key line.
 * - an array of tables (`[[packages]]`, see ArrayTableChange): an element is removed with its lines
 *   and the comments directly above its header; new elements are appended at the end of the file,
 *   one `[[path]]` section each. Elements are never edited in place.
 * - layouts we cannot edit safely (dotted keys such as `a.version = "1"`, `[[array]]` tables as a
 *   table's value, a table written inline `t = { ... }`) are refused with E_SCHEMA naming the field.
 */
import {parseTOML, ParseError, type AST} from 'toml-eslint-parser'
import {PacksError} from '../domain/errors.js'
import {stableStringify} from './fs.js'
import {isTable} from './parse.js'

export interface TableChange {
  /** table path, e.g. ['packs'] */
  path: string[]
  /** the table as parsed before the edit ({} when the file has none) */
  before: Record<string, unknown>
  /** the table as it must read after the edit */
  after: Record<string, unknown>
}

type Container = AST.TOMLTable | AST.TOMLTopLevelTable
interface Splice {
  start: number
  end: number
  text: string
}

/** elements of an array of tables `[[path]]` to remove (by position in the file) and to append */
export interface ArrayTableChange {
  path: string[]
  remove: number[]
  append: Record<string, unknown>[]
}

/** Apply `changes` to `text`, touching only the entries that differ between before and after. */
export function editTomlTables(text: string, file: string, changes: TableChange[], arrays: ArrayTableChange[] = []): string {
  const doc = new TomlDoc(text, file)
  for (const c of changes) doc.editTable(c.path, c.before, c.after)
  for (const a of arrays) doc.editArray(a)
  return doc.result()
}

const same = (a: unknown, b: unknown): boolean => stableStringify(a) === stableStringify(b)
const keyName = (k: AST.TOMLBare | AST.TOMLQuoted): string => (k.type === 'TOMLBare' ? k.name : k.value)
const keyPath = (k: AST.TOMLKey): string[] => k.keys.map(keyName)
const startsWith = (a: readonly unknown[], b: readonly unknown[]): boolean => b.every((x, i) => a[i] === x)

export function renderKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : renderString(k)
}

function renderString(s: string): string {
  // JSON escapes are TOML basic-string escapes; TOML also forbids a raw DEL
  return JSON.stringify(s).replace(/\u007f/g, '\\u007F')
}

/** TOML text of a value written on one line (tables inline) */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return renderString(v)
  if (typeof v === 'boolean' || typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v))) return String(v)
  if (Array.isArray(v)) return `[${v.map(renderValue).join(', ')}]`
  if (v instanceof Date) return v.toISOString()
  if (isTable(v)) {
    const items = Object.entries(v).map(([k, x]) => `${renderKey(k)} = ${renderValue(x)}`)
    return items.length ? `{ ${items.join(', ')} }` : '{}'
  }
  throw new Error(`cannot write ${String(v)} as a TOML value`)
}

class TomlDoc {
  private readonly ast: AST.TOMLProgram
  private readonly nl: string
  private readonly splices: Splice[] = []
  private readonly removed = new Set<AST.TOMLKeyValue>()
  private readonly newTables: string[][] = []
  /** start offsets of lines holding only a comment */
  private readonly commentLines = new Set<number>()

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    try {
      this.ast = parseTOML(text)
    } catch (error) {
      const e = error as ParseError
      throw new PacksError('E_PARSE', `${file}: invalid TOML at line ${e.lineNumber}, column ${e.column}: ${e.message}`, {file, hint: 'Fix the TOML syntax; nothing was changed.', cause: error})
    }
    const firstBreak = text.indexOf('\n')
    this.nl = firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n'
    for (const c of this.ast.comments) {
      const ls = this.lineStart(c.range[0])
      if (text.slice(ls, c.range[0]).trim() === '') this.commentLines.add(ls)
    }
  }

  editTable(path: string[], before: Record<string, unknown>, after: Record<string, unknown>): void {
    const table = this.findTable(path)
    const adds: Array<[string, unknown]> = []
    for (const k of Object.keys(before)) if (!(k in after)) this.removeEntry(path, table, k)
    for (const [k, v] of Object.entries(after)) {
      if (!(k in before)) adds.push([k, v])
      else if (!same(before[k], v)) this.changeEntry(path, table, k, before[k], v, adds)
    }
    if (adds.length) this.appendEntries(path, table, adds)
  }

  editArray(change: ArrayTableChange): void {
    const elements = this.tables().filter((t) => t.kind === 'array' && t.resolvedKey.length === change.path.length + 1 && startsWith(t.resolvedKey, change.path))
    for (const i of change.remove) {
      const t = elements[i]
      if (!t) throw new Error(`${this.file}: no element ${i} of [[${change.path.join('.')}]]`)
      if (t.body.some((kv) => kv.value.type === 'TOMLInlineTable' || kv.value.type === 'TOMLArray')) throw this.unsupported(change.path, String(i), 'an element with nested values')
      this.removeLines(t.range, true)
    }
    for (const v of change.append) this.newTables.push([`[[${change.path.map(renderKey).join('.')}]]`, ...Object.entries(v).map(([k, x]) => `${renderKey(k)} = ${renderValue(x)}`)])
  }

  result(): string {
    let out = ''
    let cursor = 0
    for (const s of [...this.splices].sort((a, b) => a.start - b.start || a.end - b.end)) {
      if (s.start < cursor) throw new Error(`${this.file}: overlapping edits at offset ${s.start}`)
      out += this.text.slice(cursor, s.start) + s.text
      cursor = s.end
    }
    out += this.text.slice(cursor)
    if (!this.newTables.length) return out
    if (out !== '' && !out.endsWith('\n')) out += this.nl
    if (out.trim() !== '' && !/(^|\n)[ \t]*\r?\n$/.test(out)) out += this.nl
    return out + this.newTables.map((lines) => lines.map((l) => l + this.nl).join('')).join(this.nl)
  }

  // ---------- locating entries ----------

  private findTable(path: string[]): Container | undefined {
    return path.length === 0 ? this.ast.body[0] : this.findSection(path)
  }

  private findSection(path: string[]): AST.TOMLTable | undefined {
    return this.tables().find((t) => t.kind === 'standard' && same(t.resolvedKey, path))
  }

  private tables(): AST.TOMLTable[] {
    return this.ast.body[0].body.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable')
  }

  private keyValues(table: Container): AST.TOMLKeyValue[] {
    return (table.body as AST.TOMLNode[]).filter((n): n is AST.TOMLKeyValue => n.type === 'TOMLKeyValue')
  }

  private entryIn(table: Container | undefined, key: string): AST.TOMLKeyValue | undefined {
    return table ? this.keyValues(table).find((kv) => kv.key.keys.length === 1 && keyName(kv.key.keys[0]!) === key) : undefined
  }

  /** E_SCHEMA for `path.key` (or the table `path` itself when key is undefined) written in a way we do not edit */
  private unsupported(path: string[], key: string | undefined, what: string): PacksError {
    const field = [...path, ...(key === undefined ? [] : [key])].join('.')
    const header = `[${path.map(renderKey).join('.')}]`
    return new PacksError('E_SCHEMA', `${this.file}: field \`${field}\` is written as ${what}, which ggen packs does not edit in place; nothing was changed`, {
      file: this.file,
      field,
      hint:
        key === undefined
          ? `Write the table as a ${header} section with one \`key = value\` line per entry and run the command again.`
          : `Write it as one line \`${renderKey(key)} = ...\` under the ${header} header and run the command again.`,
    })
  }

  /** how `path.key` is written when it is neither a key of [path] nor a [path.key] section */
  private describeOther(path: string[], key: string): string {
    const full = [...path, key]
    if (this.tables().some((t) => t.kind === 'array' && startsWith(t.resolvedKey, full))) return 'an array of tables [[...]]'
    return this.definedInline(full) ? 'dotted keys or an inline table' : 'a layout we do not recognise'
  }

  /** whether a key-value line (a dotted key or an inline table) in a table above `path` defines part of it */
  private definedInline(path: string[]): boolean {
    const containers: Array<[string[], Container]> = [[[], this.ast.body[0]], ...this.tables().map((t): [string[], Container] => [t.resolvedKey.map(String), t])]
    return containers.some(
      ([base, c]) => base.length < path.length && startsWith(path, base) && c.body.some((n) => n.type === 'TOMLKeyValue' && keyPath(n.key)[0] === path[base.length]),
    )
  }

  // ---------- the three edits ----------

  private changeEntry(path: string[], table: Container | undefined, key: string, before: unknown, after: unknown, adds: Array<[string, unknown]>): void {
    const kv = this.entryIn(table, key)
    if (kv) {
      if (kv.value.type === 'TOMLInlineTable' && isTable(before) && isTable(after)) return this.editInline(path, key, kv.value, before, after)
      return this.replace(kv.value.range, renderValue(after))
    }
    const section = this.findSection([...path, key])
    if (!section) throw this.unsupported(path, key, this.describeOther(path, key))
    if (isTable(before) && isTable(after)) return this.editTable([...path, key], before, after)
    // a [path.key] section that becomes a plain value: drop the section, add a key line
    this.removeSection(path, key, section)
    adds.push([key, after])
  }

  private removeEntry(path: string[], table: Container | undefined, key: string): void {
    const kv = this.entryIn(table, key)
    if (kv) {
      this.removed.add(kv)
      return this.removeLines(kv.range, kv !== this.keyValues(table!)[0])
    }
    const section = this.findSection([...path, key])
    if (!section) throw this.unsupported(path, key, this.describeOther(path, key))
    this.removeSection(path, key, section)
  }

  private removeSection(path: string[], key: string, section: AST.TOMLTable): void {
    const below = this.tables().filter((t) => t !== section && startsWith(t.resolvedKey, [...path, key]))
    if (below.length) throw this.unsupported(path, key, `a section with sub-sections ([${below[0]!.resolvedKey.join('.')}])`)
    for (const kv of section.body) this.removed.add(kv)
    this.removeLines(section.range, true)
  }

  private appendEntries(path: string[], table: Container | undefined, adds: Array<[string, unknown]>): void {
    const lines = adds.map(([k, v]) => `${renderKey(k)} = ${renderValue(v)}`)
    if (!table) {
      if (this.definedInline(path)) throw this.unsupported(path, undefined, 'dotted keys or an inline table')
      this.newTables.push([`[${path.map(renderKey).join('.')}]`, ...lines])
      return
    }
    const anchor = this.keyValues(table).filter((kv) => !this.removed.has(kv)).at(-1)
    if (!anchor && table.type === 'TOMLTopLevelTable') {
      this.splices.push({start: 0, end: 0, text: lines.map((l) => l + this.nl).join('')})
      return
    }
    const at = this.lineContentEnd(anchor ? anchor.range[1] : (table as AST.TOMLTable).key.range[1])
    const indent = anchor ? /^[ \t]*/.exec(this.text.slice(this.lineStart(anchor.range[0])))![0] : ''
    this.splices.push({start: at, end: at, text: lines.map((l) => this.nl + indent + l).join('')})
  }

  private editInline(path: string[], key: string, node: AST.TOMLInlineTable, before: Record<string, unknown>, after: Record<string, unknown>): void {
    if (node.body.some((kv) => kv.key.keys.length !== 1)) throw this.unsupported(path, key, 'an inline table with dotted keys')
    const field = (k: string) => node.body.find((kv) => keyName(kv.key.keys[0]!) === k)!
    if (same(Object.keys(before).sort(), Object.keys(after).sort())) {
      for (const k of Object.keys(after)) if (!same(before[k], after[k])) this.replace(field(k).value.range, renderValue(after[k]))
      return
    }
    const items: string[] = []
    for (const kv of node.body) {
      const k = keyName(kv.key.keys[0]!)
      if (!(k in after)) continue
      items.push(same(before[k], after[k]) ? this.text.slice(kv.range[0], kv.range[1]) : `${this.text.slice(kv.key.range[0], kv.key.range[1])} = ${renderValue(after[k])}`)
    }
    for (const k of Object.keys(after)) if (!(k in before)) items.push(`${renderKey(k)} = ${renderValue(after[k])}`)
    const pad = node.body.length === 0 || this.text[node.range[0] + 1] === ' ' ? ' ' : ''
    this.replace(node.range, items.length ? `{${pad}${items.join(', ')}${pad}}` : '{}')
  }

  // ---------- text helpers ----------

  private replace(range: [number, number], text: string): void {
    this.splices.push({start: range[0], end: range[1], text})
  }

  /** remove the lines holding [start, end) (see the rules at the top) */
  private removeLines([start, end]: [number, number], takeCommentsAbove: boolean): void {
    let from = this.lineStart(start)
    if (takeCommentsAbove) while (from > 0 && this.commentLines.has(this.lineStart(from - 1))) from = this.lineStart(from - 1)
    let to = this.fullLineEnd(end)
    if (from > 0 && this.isBlank(this.lineStart(from - 1)) && to < this.text.length && this.isBlank(to)) to = this.fullLineEnd(to)
    // the last line had no line break: keep it that way by taking the break before instead
    if (to === this.text.length && !this.text.endsWith('\n') && from > 0) from = this.text[from - 2] === '\r' ? from - 2 : from - 1
    this.splices.push({start: from, end: to, text: ''})
  }

  private lineStart(p: number): number {
    return this.text.lastIndexOf('\n', p - 1) + 1
  }

  /** offset of the line break ending the line that holds p (before a `\r`), or the end of the text */
  private lineContentEnd(p: number): number {
    const n = this.text.indexOf('\n', p)
    if (n === -1) return this.text.length
    return n > p && this.text[n - 1] === '\r' ? n - 1 : n
  }

  /** offset just after the line break ending the line that holds p */
  private fullLineEnd(p: number): number {
    const n = this.text.indexOf('\n', p)
    return n === -1 ? this.text.length : n + 1
  }

  private isBlank(lineStart: number): boolean {
    return this.text.slice(lineStart, this.lineContentEnd(lineStart)).trim() === ''
  }
}
