/**
 * Wording helpers shared by every renderer: counts with the right plural, "first N, +M more"
 * lists, and truncation of long cells. One way each, so the CLI reads the same everywhere.
 */

const IRREGULAR: Record<string, string> = {entry: 'entries', dependency: 'dependencies', directory: 'directories', is: 'are', was: 'were', has: 'have', this: 'these', it: 'them'}

/** the plural of one English word as the CLI uses them (version -> versions, entry -> entries) */
export function pluralWord(word: string): string {
  return IRREGULAR[word] ?? (/(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`)
}

/**
 * `count(3, 'version')` -> "3 versions", `count(1, 'store entry')` -> "1 store entry"; only the
 * last word of a phrase is made plural; `many` overrides it ("1 package version" / "2 package versions").
 */
export function count(n: number, phrase: string, many?: string): string {
  return `${n} ${noun(n, phrase, many)}`
}

/** the phrase alone, singular or plural for n: noun(2, 'project') -> "projects" */
export function noun(n: number, phrase: string, many?: string): string {
  if (n === 1) return phrase
  if (many) return many
  const i = phrase.lastIndexOf(' ')
  return i < 0 ? pluralWord(phrase) : `${phrase.slice(0, i + 1)}${pluralWord(phrase.slice(i + 1))}`
}

/**
 * The first `max` items joined, then how many were left out: some(['a','b','c'], 2) -> "a, b, +1 more".
 * `empty` is what an empty list shows (default "-").
 */
export function some(items: readonly string[], max: number, o: {sep?: string; empty?: string} = {}): string {
  const sep = o.sep ?? ', '
  if (items.length === 0) return o.empty ?? '-'
  if (items.length <= max) return items.join(sep)
  return `${items.slice(0, max).join(sep)}${sep}+${items.length - max} more`
}

/** lines for a long list: the first `max`, then "... N more (--json lists them all)" */
export function someLines(lines: readonly string[], max: number, indent = '  '): string[] {
  if (lines.length <= max) return [...lines]
  return [...lines.slice(0, max), `${indent}... ${lines.length - max} more (--json lists them all)`]
}

/** cut a cell to n characters, ending in "..."; null/undefined/empty show as "-" */
export function truncate(s: string | null | undefined, n: number): string {
  if (s === null || s === undefined || s === '') return '-'
  return s.length > n ? `${s.slice(0, Math.max(1, n - 3))}...` : s
}
