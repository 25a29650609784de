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

/** range -> version -> answer: resolve, impact, verify and the security scan check tens of thousands of pairs drawn from a few thousand strings */
const answers = new Map<string, Map<string, boolean>>()
/** parsed ranges (null: not a range) */
const rangeCache = new Map<string, InstanceType<typeof semver.Range> | null>()

/** range satisfaction; `*`/`` accept anything, including non-semver versions; prereleases never match implicitly. Answers are cached (the process is short-lived) */
export function satisfies(version: string, range: string): boolean {
  let byVersion = answers.get(range)
  if (!byVersion) answers.set(range, (byVersion = new Map()))
  let a = byVersion.get(version)
  if (a === undefined) byVersion.set(version, (a = satisfiesUncached(version, range)))
  return a
}

/** what semver.satisfies(valid(version), range) says, with the range parsed once */
export function satisfiesUncached(version: string, range: string): boolean {
  const r = range.trim()
  if (r === '' || r === '*' || r === 'latest' || r === 'x') return true
  if (version === r) return true
  const v = parsed(version)
  if (!v) return false
  let parsedRange = rangeCache.get(r)
  if (parsedRange === undefined) {
    try {
      parsedRange = new semver.Range(r)
    } catch {
      parsedRange = null
    }
    rangeCache.set(r, parsedRange)
  }
  return parsedRange !== null && parsedRange.test(v)
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
