/**
 * Semver helpers tolerant of the non-semver versions real ggen files hold: a version that does
 * not parse sorts after valid ones, by string.
 */
import semver from 'semver'

export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a)
  const vb = semver.valid(b)
  if (va && vb) return semver.compare(va, vb)
  if (va) return -1
  if (vb) return 1
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
