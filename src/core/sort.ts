/**
 * Multi-key sorting for result rows (`list --sort size,-last-used`): keys are applied in order, a
 * `-` prefix sorts that key descending, ties fall through to the next key and finally to the
 * caller's tie-break. Missing values (null) sort last whatever the direction.
 */
import {PacksError} from '../domain/errors.js'

export type SortValue = string | number | null

export interface SortField<T> {
  get(row: T): SortValue
  /** order of two present text values (default: case-insensitive); numbers always compare numerically */
  compareText?: (a: string, b: string) => number
}

export interface SortSpec<K extends string> {
  key: K
  descending: boolean
}

const compareText = (a: string, b: string): number => {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0
}

const compareValues = (a: string | number, b: string | number, text: (a: string, b: string) => number): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : text(String(a), String(b))

/**
 * `--sort` values (each may hold several comma-separated keys) -> the keys in order. An unknown key
 * is a usage error listing the known ones; a key given twice counts once (its first place).
 */
export function parseSortSpec<K extends string>(values: string[] | undefined, fields: Record<K, unknown>, flag = '--sort'): SortSpec<K>[] {
  const out: SortSpec<K>[] = []
  const known = Object.keys(fields) as K[]
  for (const raw of (values ?? []).flatMap((v) => v.split(','))) {
    const text = raw.trim()
    const descending = text.startsWith('-')
    const key = text.replace(/^[-+]/, '').toLowerCase()
    if (!known.includes(key as K)) {
      throw new PacksError('E_USAGE', text === '' ? `${flag} has an empty key` : `${flag}: unknown sort key \`${key}\``, {
        hint: `Sort keys: ${known.join(', ')}. Separate them with commas and prefix one with - to sort it descending, e.g. ${flag} size,-last-used.`,
      })
    }
    if (!out.some((s) => s.key === key)) out.push({key: key as K, descending})
  }
  return out
}

/** a comparator applying the keys in order, then `tieBreak` */
export function comparator<T, K extends string>(specs: SortSpec<K>[], fields: Record<K, SortField<T>>, tieBreak: (a: T, b: T) => number): (a: T, b: T) => number {
  const steps = specs.map((s) => ({get: fields[s.key].get, text: fields[s.key].compareText ?? compareText, sign: s.descending ? -1 : 1}))
  return (a, b) => {
    for (const {get, text, sign} of steps) {
      const x = get(a)
      const y = get(b)
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1
        continue
      }
      const c = compareValues(x, y, text)
      if (c !== 0) return sign * c
    }
    return tieBreak(a, b)
  }
}
