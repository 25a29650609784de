/**
 * Semver ordering with each version string parsed once: the same order as `compareVersions` in
 * src/resolve/versions.ts (valid versions by semver, then non-semver ones by string), for
 * questions that sort tens of thousands of versions drawn from a few thousand strings.
 */
import {byIdThenVersion, compareVersions} from '../../resolve/versions.js'
import type {AdvisoryHit} from '../graph-store.js'

/** kept as a class so callers can hold one order per question; the parse cache is shared */
export class VersionOrder {
  compare = (a: string, b: string): number => compareVersions(a, b)
}

/** advisory hits (AdvisoryHit): by package, version (semver), advisory id; both adapters sort with it */
export const byHit = (a: AdvisoryHit, b: AdvisoryHit): number => byIdThenVersion({id: a.package, version: a.version}, {id: b.package, version: b.version}) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
