/**
 * Semver helpers (the `semver` package, cached) tolerant of the non-semver versions real ggen
 * files hold: a version that does not parse sorts after valid ones, by string.
 */
import semver from 'semver'

type Parsed = InstanceType<typeof semver.SemVer> | null
const parsedCache = new Map<string, Parsed>()

/** the semver package's parse, once per distinct string (list and analysis sort tens of thousands of rows) */
function parsed(v: string): Parsed {
  let p = parsedCache.get(v)
  if (p === undefined) {
    p = semver.parse(v)
    parsedCache.set(v, p)
  }
  return p
}

/**
 * A total order: valid versions by semver precedence (build metadata, which semver ignores, then
 * breaks ties as `semver.compareBuild` does), then non-semver strings (`1.0.0-01`, `banana`) after
 * them by string. The one comparison every sort in the tool uses.
 */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0
  const pa = parsed(a)
  const pb = parsed(b)
  if (pa && pb) return pa.compare(pb) || pa.compareBuild(pb) || (a < b ? -1 : 1)
  if (pa) return -1
  if (pb) return 1
  return a < b ? -1 : 1
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
