/**
 * Renderers for people and other programs: aligned tables, CSV, YAML, byte sizes, and colour
 * (see colorEnabled for when).
 */

import {environment} from '../util/environment.js'

/**
 * Colour on stdout: FORCE_COLOR decides when set (0/false: never, anything else: always, as in
 * Node's own tty), then NO_COLOR (any non-empty value: never, no-color.org), then TERM=dumb
 * (never), else only when stdout is a terminal.
 */
export function colorEnabled(env: {forceColor?: string; noColor?: boolean; term?: string}, isTTY: boolean): boolean {
  if (env.forceColor !== undefined) return !['0', 'false'].includes(env.forceColor.toLowerCase())
  if (env.noColor) return false
  if (env.term === 'dumb') return false
  return isTTY
}

let colorChoice: boolean | undefined
const useColor = () => (colorChoice ??= colorEnabled(environment(), !!process.stdout.isTTY))

/** text written to a file (--output) never carries colour: render it with colour off */
export async function withoutColor<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = colorChoice
  colorChoice = false
  try {
    return await fn()
  } finally {
    colorChoice = before
  }
}

export const color = {
  bold: (s: string) => (useColor() ? `\x1b[1m${s}\x1b[22m` : s),
  dim: (s: string) => (useColor() ? `\x1b[2m${s}\x1b[22m` : s),
  red: (s: string) => (useColor() ? `\x1b[31m${s}\x1b[39m` : s),
  green: (s: string) => (useColor() ? `\x1b[32m${s}\x1b[39m` : s),
  yellow: (s: string) => (useColor() ? `\x1b[33m${s}\x1b[39m` : s),
  cyan: (s: string) => (useColor() ? `\x1b[36m${s}\x1b[39m` : s),
}

// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length

export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => visible(r[i] ?? ''))))
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - visible(c))))
      .join('  ')
      .trimEnd()
  return [color.bold(line(headers)), ...cells.map(line)].join('\n') + '\n'
}

export {csv} from '../formats/csv.js'

export async function yaml(value: unknown): Promise<string> {
  const {stringify} = await import('yaml')
  return stringify(value)
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  const s = Math.max(0, (now - t) / 1000)
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  if (s < 86400 * 60) return `${Math.floor(s / 86400)} days ago`
  return iso.slice(0, 10)
}
