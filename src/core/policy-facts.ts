/** the facts policy rules look at, per version (src/policy/evaluate.ts VersionFacts) */
import type {Severity} from '../domain/scan.js'
import {versionKey} from '../graph/model.js'
import type {VersionFacts} from '../policy/evaluate.js'
import type {Severity as PolicySeverity} from '../policy/model.js'
import type {Catalog} from '../registry/catalog.js'
import {Store} from '../store/store.js'
import type {PacksContext} from './context.js'
import {readLastScan, type LastScanStatus} from './security-status.js'

/** the policy's reading of a scan severity: unknown counts as high (issue 11) */
export const policySeverity = (s: Severity): PolicySeverity => (s === 'unknown' ? 'high' : s)

/**
 * facts per version: what the store index recorded at install, overridden by the registry's current
 * word, plus the highest severity the last security scan found (max_severity)
 */
export function factsFor(ctx: Pick<PacksContext, 'paths' | 'warn'>, catalog?: Catalog | null): (id: string, version: string) => VersionFacts | undefined {
  let index: Map<string, VersionFacts> | undefined
  const fromStore = () => {
    if (index) return index
    index = new Map()
    for (const e of Object.values(new Store(ctx.paths).readIndex().entries)) index.set(versionKey(e.id, e.version), e)
    return index
  }
  let last: LastScanStatus | null | undefined
  const severityOf = (id: string, version: string) => (last === undefined ? (last = readLastScan(ctx)) : last)?.vulnerable.get(versionKey(id, version))?.severity
  const base = (id: string, version: string): VersionFacts | undefined => {
    const v = catalog?.version(id, version)
    if (v) return {quality_score: v.quality_score ?? null, production_ready: v.production_ready ?? null, license: v.license ?? catalog!.get(id)?.license ?? null, deprecated: v.deprecated ?? null, yanked: v.yanked ?? null}
    return fromStore().get(versionKey(id, version))
  }
  return (id, version) => {
    const facts = base(id, version)
    const severity = severityOf(id, version)
    return severity ? {...facts, max_severity: policySeverity(severity)} : facts
  }
}
