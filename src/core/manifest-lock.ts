/**
 * `packs manifest lock <FILE>`: pin every entry to an exact version + integrity and stamp
 * metadata.locked_at. Entries that give only a range are resolved against the registries (one
 * version per package, transitive dependencies added as `transitive` entries); entries already
 * pinned keep their version, and are checked against the registry when one is configured
 * (unknown versions and integrity mismatches are refused). Writes FILE (or --output) atomically.
 */
import {count} from '../util/text.js'
import {audited} from '../audit/log.js'
import {resolve as resolvePath} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {Manifest, ManifestPackage} from '../domain/schemas.js'
import {resolve as resolveDeps, type CandidateVersion} from '../resolve/resolver.js'
import {isValidIntegrity} from '../store/integrity.js'
import {loadCatalog, type PacksContext} from './context.js'
import {formatFromPath, manifestError, pinManifest, readManifestFile, writeManifestFile, type ManifestFormat} from './manifest.js'

export interface LockManifestOptions {
  file: string
  /** write here instead of FILE */
  out?: string
  format?: ManifestFormat
  now?: string
}

export interface LockManifestResult {
  file: string
  manifest: Manifest
  /** entries that had only a range and were resolved */
  resolved: {id: string; version: string}[]
  /** transitive dependencies the manifest lacked, added */
  added: {id: string; version: string}[]
  /** whether pinned entries were checked against a registry */
  checked: boolean
}

/** lock, audited (action manifest-lock) */
export async function lockManifest(ctx: PacksContext, o: LockManifestOptions): Promise<LockManifestResult> {
  return audited(ctx, {action: 'manifest-lock'}, () => lock(ctx, o), (r) => ({
    details: `${r.file}: locked ${count(r.manifest.packages.length, 'package')} (${r.manifest.environment}; ${r.resolved.length} resolved, ${r.added.length} added)`,
    affected: r.manifest.packages.map((p) => `${p.id}@${p.version}`),
  }))
}

async function lock(ctx: PacksContext, o: LockManifestOptions): Promise<LockManifestResult> {
  const file = resolvePath(o.file)
  const m = await readManifestFile(file)
  const needRegistry = m.packages.some((p) => p.version === undefined || p.integrity === undefined)
  const resolved: LockManifestResult['resolved'] = []
  const added: LockManifestResult['added'] = []
  let packages: ManifestPackage[] = m.packages.map((p) => ({...p}))
  const useRegistry = needRegistry || ctx.registries.length > 0
  if (useRegistry) {
    const catalog = await loadCatalog(ctx)
    packages.forEach((p, i) => {
      if (p.version === undefined) return
      const v = catalog.version(p.id, p.version)
      if (!catalog.has(p.id)) {
        throw new PacksError('E_NOT_FOUND', `${file}: field \`packages[${i}].id\`: package \`${p.id}\` is not in any configured registry`, {file, field: `packages[${i}].id`, hint: 'Check the id, or add the registry that carries it (--registry / GGEN_REGISTRY_URL).'})
      }
      if (!v) {
        throw new PacksError('E_VERSION_NOT_FOUND', `${file}: field \`packages[${i}].version\`: \`${p.id}\` has no version ${p.version}; available: ${catalog.versions(p.id).map((x) => x.version).join(', ')}`, {
          file,
          field: `packages[${i}].version`,
          hint: 'Choose an available version (or remove `version` to let lock resolve required_version).',
        })
      }
      if (p.integrity !== undefined && isValidIntegrity(v.integrity) && v.integrity !== p.integrity) {
        throw new PacksError('E_INTEGRITY', `${file}: field \`packages[${i}].integrity\`: ${p.id}@${p.version} has integrity ${v.integrity} in registry ${catalog.get(p.id)!.registry.location.url}, the manifest says ${p.integrity}`, {
          file,
          field: `packages[${i}].integrity`,
          hint: 'The version was republished, or the manifest was edited. Nothing was written.',
        })
      }
    })
    const source = {
      versions(id: string): CandidateVersion[] | undefined {
        const pkg = catalog.get(id)
        return pkg ? Object.values(pkg.versions).map((v) => ({version: v.version, dependencies: v.dependencies, yanked: v.yanked})) : undefined
      },
    }
    const roots: Record<string, string> = {}
    const optionalRoots = new Set<string>()
    for (const p of packages) {
      roots[p.id] = p.version ?? p.required_version
      if (p.optional) optionalRoots.add(p.id)
    }
    ctx.progress.step('Resolving the manifest')
    // pinned versions stay acceptable even when yanked since
    const locked = Object.fromEntries(packages.filter((p) => p.version !== undefined).map((p) => [p.id, p.version!]))
    const r = resolveDeps(source, {roots, optionalRoots, locked, rootName: `manifest ${file}`})
    ctx.progress.stop()
    packages.forEach((p, i) => {
      const got = r.packages[p.id]
      if (!got) throw manifestError(file, `packages[${i}].id`, `optional package \`${p.id}\` is not in any configured registry, so it cannot be pinned`, 'Remove the entry, or add the registry that carries it.')
      const v = catalog.version(p.id, got.version)!
      if (p.version === undefined) {
        p.version = got.version
        resolved.push({id: p.id, version: got.version})
      }
      if (p.integrity === undefined) {
        if (!isValidIntegrity(v.integrity)) {
          throw new PacksError('E_INTEGRITY', `${file}: field \`packages[${i}].integrity\`: the registry gives no integrity for ${p.id}@${got.version}, so it cannot be locked`, {file, field: `packages[${i}].integrity`, hint: 'Use a registry built with `ggen packs registry build` (it records sha512 integrities).'})
        }
        p.integrity = v.integrity
      }
    })
    const have = new Set(packages.map((p) => p.id))
    for (const [id, got] of Object.entries(r.packages)) {
      if (have.has(id)) continue
      const v = catalog.version(id, got.version)!
      if (!isValidIntegrity(v.integrity)) {
        throw new PacksError('E_INTEGRITY', `the registry gives no integrity for ${id}@${got.version} (a dependency the manifest lacks), so it cannot be locked`, {file, hint: 'Use a registry built with `ggen packs registry build`.'})
      }
      packages.push({id, required_version: got.version, version: got.version, integrity: v.integrity, optional: false, tier: 'required', transitive: true})
      added.push({id, version: got.version})
    }
    const ids = new Set(packages.map((p) => p.id))
    packages = packages.map((p) => ({...p, dependencies: Object.keys(r.packages[p.id]?.dependencies ?? {}).filter((d) => ids.has(d)).sort()}))
  }
  const locked = pinManifest({...m, packages: packages.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))}, file, o.now)
  const out = o.out ? resolvePath(o.out) : file
  await writeManifestFile(out, locked, o.format ?? formatFromPath(out))
  return {file: out, manifest: locked, resolved, added, checked: useRegistry}
}
