/**
 * Semver ordering with each version string parsed once: the same order as `compareVersions` in
 * src/resolve/versions.ts (valid versions by semver, then non-semver ones by string), for
 * questions that sort tens of thousands of versions drawn from a few thousand strings.
 */
import {compareVersions} from '../../resolve/versions.js'

/** kept as a class so callers can hold one order per question; the parse cache is shared */
export class VersionOrder {
  compare = (a: string, b: string): number => compareVersions(a, b)
}
