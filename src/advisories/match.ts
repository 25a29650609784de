/**
 * OSV matching, as the spec's `IsVulnerable` says
 * (https://ossf.github.io/osv-schema/#evaluation): a version is affected by an `affected` entry
 * when it is listed in `versions[]`, or when the walk over a SEMVER or ECOSYSTEM range's events,
 * sorted by version, ends vulnerable: `introduced` (`"0"`: from the start) turns it on, `fixed`
 * (exclusive) and `last_affected` (inclusive) turn it off; with `limit` events the version must
 * also be below one of them. GIT ranges name commits, not versions: they never match here.
 * Versions compare with the tool's one version order (src/resolve/versions.ts), the `ggen`
 * ecosystem's, which is semver.
 */
import {compareVersions} from '../resolve/versions.js'

export type NormalEvent = {introduced: string} | {fixed: string} | {last_affected: string} | {limit: string}

export interface NormalRange {
  type: 'SEMVER' | 'ECOSYSTEM'
  events: NormalEvent[]
}

/** one `affected` entry of a record, for one package */
export interface NormalAffected {
  /** the gpack id (from package.name in our ecosystem, or a `pkg:generic/<id>` purl) */
  package: string
  ranges: NormalRange[]
  versions: string[]
}

const valueOf = (e: NormalEvent): string => Object.values(e)[0] as string

/** "0" is below every version; the rest in the version order */
function compareEventVersions(a: string, b: string): number {
  if (a === b) return 0
  if (a === '0') return -1
  if (b === '0') return 1
  return compareVersions(a, b)
}

/** a range's events sorted and its limits, worked out once per range (a scan asks about every known version) */
const prepared = new WeakMap<NormalRange, {events: NormalEvent[]; limits: string[]}>()
function prepare(r: NormalRange): {events: NormalEvent[]; limits: string[]} {
  let p = prepared.get(r)
  if (!p) {
    p = {
      events: [...r.events].sort((a, b) => compareEventVersions(valueOf(a), valueOf(b))),
      limits: r.events.filter((e): e is {limit: string} => 'limit' in e).map((e) => e.limit),
    }
    prepared.set(r, p)
  }
  return p
}

/** the spec's walk over one range's sorted events */
export function inRange(version: string, r: NormalRange): boolean {
  const {events, limits} = prepare(r)
  let vulnerable = false
  for (const e of events) {
    if ('introduced' in e) {
      if (e.introduced === '0' || compareVersions(version, e.introduced) >= 0) vulnerable = true
    } else if ('fixed' in e) {
      if (compareVersions(version, e.fixed) >= 0) vulnerable = false
    } else if ('last_affected' in e) {
      if (compareVersions(version, e.last_affected) > 0) vulnerable = false
    }
  }
  const belowLimit = limits.length === 0 || limits.some((l) => l === '*' || compareVersions(version, l) < 0)
  return vulnerable && belowLimit
}

export function isAffected(version: string, a: NormalAffected): boolean {
  if (a.versions.includes(version)) return true
  return a.ranges.some((r) => inRange(version, r))
}
