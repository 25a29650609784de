/**
 * Semver ordering with each version string parsed once: the same order as `compareVersions` in
 * src/resolve/versions.ts (valid versions by semver, then non-semver ones by string), for
 * questions that sort tens of thousands of versions drawn from a few thousand strings.
 */
import {semver} from '../../resolve/versions.js'

type Parsed = InstanceType<typeof semver.SemVer> | null

export class VersionOrder {
  private parsed = new Map<string, Parsed>()

  private parse(v: string): Parsed {
    let p = this.parsed.get(v)
    if (p === undefined) {
      const valid = semver.valid(v)
      p = valid ? new semver.SemVer(valid) : null
      this.parsed.set(v, p)
    }
    return p
  }

  compare = (a: string, b: string): number => {
    if (a === b) return 0
    const pa = this.parse(a)
    const pb = this.parse(b)
    if (pa && pb) return pa.compare(pb)
    if (pa) return -1
    if (pb) return 1
    return a < b ? -1 : a > b ? 1 : 0
  }
}
