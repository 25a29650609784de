/** the facts policy rules look at, per version (src/policy/evaluate.ts VersionFacts) */
import {versionKey} from '../graph/model.js'
import type {VersionFacts} from '../policy/evaluate.js'
import type {Catalog} from '../registry/catalog.js'
import {Store} from '../store/store.js'
import type {PacksContext} from './context.js'

/** facts per version: what the store index recorded at install, overridden by the registry's current word */
export function factsFor(ctx: PacksContext, catalog?: Catalog | null): (id: string, version: string) => VersionFacts | undefined {
  let index: Map<string, VersionFacts> | undefined
  const fromStore = () => {
    if (index) return index
    index = new Map()
    for (const e of Object.values(new Store(ctx.paths).readIndex().entries)) index.set(versionKey(e.id, e.version), e)
    return index
  }
  return (id, version) => {
    const v = catalog?.version(id, version)
    if (v) return {quality_score: v.quality_score ?? null, production_ready: v.production_ready ?? null, license: v.license ?? catalog!.get(id)?.license ?? null, deprecated: v.deprecated ?? null, yanked: v.yanked ?? null}
    return fromStore().get(versionKey(id, version))
  }
}

