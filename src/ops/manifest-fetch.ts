/**
 * Bring exact package versions (id, version, integrity) into the store, in two phases so that a
 * refusal writes nothing: `prepareStoreEntries` checks each against the registry (version exists,
 * the registry's integrity and signature agree) and downloads what the store lacks into memory,
 * verifying every tarball against the wanted integrity; `commitStoreEntries` then adds them.
 * Used by `manifest apply` (entries from a manifest) and `rollback`/`undo` (entries of a restored
 * lockfile that `gc` removed).
 */
import type {Catalog, CatalogPackage} from '../registry/catalog.js'
import {isPacksError, PacksError} from '../domain/errors.js'
import type {RegistryVersion} from '../domain/schemas.js'
import {openStore, type PacksContext} from '../core/context.js'
import {fetchTarball} from '../registry/source.js'
import {checkIntegrity, sameIntegrity} from '../store/integrity.js'
import type {StorePin} from '../store/store.js'
import {TrustGate} from './package-trust.js'

export interface WantedEntry {
  id: string
  version: string
  integrity: string
  /** where the entry came from, for errors: file + field (`packages[3]`) */
  file?: string
  field?: string
}

export interface PreparedEntry {
  want: WantedEntry
  pkg: CatalogPackage
  version: RegistryVersion
  /** downloaded bytes (verified); null when the store already has the entry or on a dry run */
  data: Buffer | null
}

export interface PrepareOptions {
  /** check the registry but do not download */
  dryRun?: boolean
  /** pin the wanted entries against gc until the caller's transaction is written (released by the caller) */
  pins?: StorePin[]
  /** extra hint appended when a version cannot be obtained */
  unavailableHint?: string
}

const where = (w: WantedEntry, sub: string) => (w.file ? `${w.file}: field \`${w.field}${sub}\`: ` : '')

/** look an entry up in the catalog: version must exist, registry integrity must agree */
export function catalogEntry(ctx: PacksContext, catalog: Catalog, w: WantedEntry, o: PrepareOptions = {}): {pkg: CatalogPackage; version: RegistryVersion} {
  const pkg = catalog.get(w.id)
  const field = (sub: string) => (w.field ? `${w.field}${sub}` : undefined)
  if (!pkg) {
    throw new PacksError('E_NOT_FOUND', `${where(w, '.id')}package \`${w.id}\` is not in any configured registry`, {
      file: w.file,
      field: field('.id'),
      hint: o.unavailableHint ?? 'Add the registry that carries it (--registry / GGEN_REGISTRY_URL). Nothing was written.',
    })
  }
  const v = pkg.versions[w.version]
  if (!v) {
    const have = catalog.versions(w.id).map((x) => x.version)
    throw new PacksError('E_VERSION_NOT_FOUND', `${where(w, '.version')}\`${w.id}\` has no version ${w.version} in registry ${pkg.registry.location.url}; available: ${have.join(', ') || '(none)'}`, {
      file: w.file,
      field: field('.version'),
      hint: o.unavailableHint ?? 'The version is unknown to the registry (removed, or a typo). Nothing was written.',
    })
  }
  if (v.integrity && sameIntegrity(v.integrity, w.integrity) === false) {
    throw new PacksError('E_INTEGRITY', `${where(w, '.integrity')}${w.id}@${w.version}: integrity ${w.integrity} does not match the registry's ${v.integrity} (${pkg.registry.location.url})`, {
      file: w.file,
      field: field('.integrity'),
      hint: 'The version was republished with other bytes, or the file was edited. Nothing was written.',
    })
  }
  return {pkg, version: v}
}

/** check every entry against the registry and download what the store lacks; writes nothing */
export async function prepareStoreEntries(ctx: PacksContext, catalog: Catalog, wanted: WantedEntry[], o: PrepareOptions = {}): Promise<{entries: PreparedEntry[]; reused: number}> {
  const store = openStore(ctx)
  const entries: PreparedEntry[] = []
  let reused = 0
  const gate = new TrustGate(ctx, !o.dryRun)
  if (o.pins && !o.dryRun) o.pins.push(await store.pin(wanted.map((w) => w.integrity)))
  const missing = wanted.filter((w) => !store.has(w.integrity)).length
  let i = 0
  for (const w of wanted) {
    const {pkg, version} = catalogEntry(ctx, catalog, w, o)
    await gate.check(pkg, version)
    if (store.has(w.integrity)) {
      reused++
      entries.push({want: w, pkg, version, data: null})
      continue
    }
    if (!version.tarball) {
      throw new PacksError('E_REGISTRY', `${w.id}@${w.version} has no tarball in registry ${pkg.registry.location.url}`, {
        hint: `${o.unavailableHint ? o.unavailableHint + ' ' : ''}Use a registry built with \`ggen packs registry build\`. Nothing was written.`,
      })
    }
    if (o.dryRun) {
      entries.push({want: w, pkg, version, data: null})
      continue
    }
    ctx.progress.step(`Fetching ${w.id}@${w.version}`, ++i, missing)
    let data: Buffer
    try {
      data = await fetchTarball(pkg.registry.location, version.tarball, ctx.offline)
    } catch (error) {
      if (isPacksError(error) && o.unavailableHint) throw new PacksError(error.code, `${w.id}@${w.version}: ${error.message}`, {hint: `${o.unavailableHint} (${error.hint ?? ''})`, cause: error})
      throw error
    }
    try {
      checkIntegrity(data, w.integrity, `${w.id}@${w.version}`)
    } catch (error) {
      if (isPacksError(error) && w.file) throw new PacksError('E_INTEGRITY', `${where(w, '.integrity')}${error.message}`, {file: w.file, field: `${w.field}.integrity`, hint: error.hint})
      throw error
    }
    entries.push({want: w, pkg, version, data})
  }
  ctx.progress.stop()
  return {entries, reused}
}

/** add the downloaded entries to the store; returns how many were added */
export async function commitStoreEntries(ctx: PacksContext, entries: PreparedEntry[]): Promise<number> {
  const store = openStore(ctx)
  let added = 0
  for (const e of entries) {
    if (!e.data) continue
    await store.add(e.data, e.want.integrity, {
      id: e.want.id,
      version: e.want.version,
      name: e.pkg.name,
      description: e.pkg.description,
      author: e.pkg.author,
      license: e.version.license ?? e.pkg.license,
      quality_score: e.version.quality_score,
      production_ready: e.version.production_ready,
      deprecated: e.version.deprecated ?? null,
      yanked: e.version.yanked,
    })
    added++
  }
  return added
}
