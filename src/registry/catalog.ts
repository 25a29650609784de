/**
 * The catalog: every registry the user configured, merged by precedence (first registry that
 * carries a package id wins for that id). Answers "which versions of X exist" for the resolver
 * and search/info. Deprecation records (the local overlay and the team's, src/registry/deprecations.ts)
 * apply on top of every registry's own word: every reader of the catalog sees them.
 */
import type {RegistryPackage, RegistryVersion} from '../domain/schemas.js'
import {compareVersions} from '../resolve/versions.js'
import {nearest} from '../util/nearest.js'
import {applyToPackages, deprecationText, type DeprecationRecord, type StateMap} from './deprecations.js'
import {loadRegistry, type LoadedRegistry, type LoadOptions} from './source.js'

export interface CatalogPackage extends RegistryPackage {
  registry: LoadedRegistry
}

export class Catalog {
  private byId = new Map<string, CatalogPackage>()
  readonly warnings: string[] = []

  constructor(
    readonly registries: LoadedRegistry[],
    readonly records: DeprecationRecord[] = [],
  ) {
    for (const r of registries) for (const p of Object.values(r.index.packages)) if (!this.byId.has(p.id)) this.byId.set(p.id, {...p, registry: r})
    for (const [id, p] of applyToPackages(this.byId.values(), records)) this.byId.set(id, {...p, registry: this.byId.get(id)!.registry})
  }

  static async load(urls: string[], opts: LoadOptions & {records?: DeprecationRecord[]}): Promise<Catalog> {
    const warnings: string[] = []
    const loaded: LoadedRegistry[] = []
    for (const url of urls) loaded.push(await loadRegistry(url, {...opts, warn: (m) => warnings.push(m)}))
    const c = new Catalog(loaded, opts.records)
    c.warnings.push(...warnings)
    return c
  }

  get(id: string): CatalogPackage | undefined {
    return this.byId.get(id)
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  all(): CatalogPackage[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  /** versions of a package, newest first */
  versions(id: string): RegistryVersion[] {
    const p = this.byId.get(id)
    if (!p) return []
    return Object.values(p.versions).sort((a, b) => compareVersions(b.version, a.version))
  }

  version(id: string, version: string): RegistryVersion | undefined {
    return this.byId.get(id)?.versions[version]
  }

  latest(id: string): RegistryVersion | undefined {
    return this.versions(id).find((v) => !v.yanked && !/-/.test(v.version)) ?? this.versions(id).find((v) => !v.yanked)
  }

  /** deprecated/yanked of the given versions (`id@version` keys) and of every deprecated or yanked one */
  states(keys: Iterable<{id: string; version: string}>): StateMap {
    const out: StateMap = {}
    const put = (id: string, v: RegistryVersion) => (out[`${id}@${v.version}`] = {deprecated: v.deprecated ? deprecationText(v.deprecated, v.replacement) : null, yanked: v.yanked})
    for (const p of this.byId.values()) for (const v of Object.values(p.versions)) if (v.deprecated || v.yanked) put(p.id, v)
    for (const k of keys) {
      const v = this.version(k.id, k.version)
      if (v) put(k.id, v)
    }
    return out
  }

  /** names close to `id` for "did you mean" hints */
  suggest(id: string, max = 3): string[] {
    return nearest(id, this.byId.keys(), max)
  }
}
