/**
 * Small terminal charts: horizontal bars and a sparkline. Unicode blocks on a terminal that can
 * show them; plain ASCII under TERM=dumb (`#` bars, ` .:-=+*#` sparkline). They carry no colour,
 * so they read the same in a file.
 */
import {environment} from '../util/environment.js'

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
const ASCII_SPARKS = [' ', '.', ':', '-', '=', '+', '*', '#']

export const asciiCharts = (): boolean => environment().term === 'dumb'

/** a bar of `value` out of `max` in at most `width` cells (a value above 0 always shows) */
export function bar(value: number, max: number, width: number, ascii = asciiCharts()): string {
  if (value <= 0 || max <= 0) return ''
  const cells = Math.max(1 / 8, (value / max) * width)
  if (ascii) return '#'.repeat(Math.max(1, Math.round(cells)))
  const whole = Math.floor(cells)
  return '█'.repeat(whole) + EIGHTHS[Math.round((cells - whole) * 8) % 8]!
}

/** one character per value, scaled to the largest (zero is the lowest mark) */
export function sparkline(values: number[], ascii = asciiCharts()): string {
  const marks = ascii ? ASCII_SPARKS : SPARKS
  const max = Math.max(0, ...values)
  return values.map((v) => (max === 0 || v <= 0 ? marks[0] : marks[Math.max(1, Math.round((v / max) * (marks.length - 1)))])).join('')
}
