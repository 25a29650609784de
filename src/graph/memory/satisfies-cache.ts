/**
 * Range satisfaction with parsed ranges and versions cached: the same answers as
 * `satisfies` in src/resolve/versions.ts (which parses both on every call), for questions that
 * check tens of thousands of (version, range) pairs drawn from a few thousand distinct strings.
 */
import {semver} from '../../resolve/versions.js'

export class SatisfiesCache {
  private ranges = new Map<string, InstanceType<typeof semver.Range> | null>()
  private versions = new Map<string, InstanceType<typeof semver.SemVer> | null>()

  /** range -> version -> answer: the same pairs recur across projects */
  private answers = new Map<string, Map<string, boolean>>()

  satisfies(version: string, range: string): boolean {
    let byVersion = this.answers.get(range)
    if (!byVersion) this.answers.set(range, (byVersion = new Map()))
    let a = byVersion.get(version)
    if (a === undefined) byVersion.set(version, (a = this.compute(version, range)))
    return a
  }

  private compute(version: string, range: string): boolean {
    const r = range.trim()
    if (r === '' || r === '*' || r === 'latest' || r === 'x') return true
    if (version === r) return true
    let v = this.versions.get(version)
    if (v === undefined) {
      const valid = semver.valid(version)
      v = valid ? new semver.SemVer(valid) : null
      this.versions.set(version, v)
    }
    if (v === null) return false
    let parsed = this.ranges.get(r)
    if (parsed === undefined) {
      try {
        parsed = new semver.Range(r)
      } catch {
        parsed = null
      }
      this.ranges.set(r, parsed)
    }
    return parsed !== null && parsed.test(v)
  }
}
