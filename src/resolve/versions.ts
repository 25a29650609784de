/**
 * Semver helpers tolerant of the non-semver versions real ggen files hold: a version that does
 * not parse sorts after valid ones, by string.
 */
import semver from 'semver'

type Parsed = [number, number, number, string[] | null] | null
const parsedCache = new Map<string, Parsed>()
const SEMVER_RE = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/

function parsed(v: string): Parsed {
  let p = parsedCache.get(v)
  if (p === undefined) {
    const m = SEMVER_RE.exec(v)
    p = m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? m[4].split('.') : null] : null
    parsedCache.set(v, p)
  }
  return p
}

function comparePre(a: string[] | null, b: string[] | null): number {
  if (a === null) return b === null ? 0 : 1
  if (b === null) return -1
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    const nx = /^\d+$/.test(x)
    const ny = /^\d+$/.test(y)
    if (nx && ny) return Number(x) - Number(y) < 0 ? -1 : 1
    if (nx) return -1
    if (ny) return 1
    return x < y ? -1 : 1
  }
  return 0
}

/** semver order (memoised parse: list and analysis sort tens of thousands of rows) */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0
  const pa = parsed(a)
  const pb = parsed(b)
  if (pa && pb) return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2] ? Math.sign(pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2]) : comparePre(pa[3], pb[3])
  if (pa) return -1
  if (pb) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

export const byIdThenVersion = <T extends {id: string; version: string}>(a: T, b: T): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : compareVersions(a.version, b.version)

/** range satisfaction; `*`/`` accept anything, including non-semver versions; prereleases never match implicitly */
export function satisfies(version: string, range: string): boolean {
  const r = range.trim()
  if (r === '' || r === '*' || r === 'latest' || r === 'x') return true
  if (version === r) return true
  const v = semver.valid(version)
  if (!v) return false
  try {
    return semver.satisfies(v, r)
  } catch {
    return false
  }
}

export function validRange(range: string): boolean {
  const r = range.trim()
  if (r === '' || r === '*' || r === 'latest') return true
  return semver.validRange(r) !== null
}

export function rangesIntersect(a: string, b: string): boolean {
  try {
    return semver.intersects(a || '*', b || '*')
  } catch {
    return false
  }
}

export {semver}
