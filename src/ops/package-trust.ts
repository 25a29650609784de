/**
 * The checks every path that brings a package version into the store makes (install, update,
 * manifest apply, rollback): the registry's trust vouches for the version (src/security/trust.ts),
 * the index offers a usable integrity, and a locked integrity is authoritative (as npm ci and
 * cargo's "checksum changed"): a registry offering other bytes for a locked id@version is refused.
 */
import type {PacksContext} from '../core/context.js'
import {PacksError} from '../domain/errors.js'
import type {RegistryVersion} from '../domain/schemas.js'
import type {CatalogPackage} from '../registry/catalog.js'
import {checkVersionTrust, trustFor, type RegistryTrust} from '../security/trust.js'
import {sameIntegrity, strongestIntegrity} from '../store/integrity.js'

export class TrustGate {
  private byRegistry = new Map<string, Promise<RegistryTrust>>()

  /** pin: record first-use keys (false on dry runs, which write nothing) */
  constructor(
    private readonly ctx: PacksContext,
    private readonly pin: boolean,
  ) {}

  /** throws E_SIGNATURE unless the version's registry trust vouches for it */
  async check(pkg: CatalogPackage, v: RegistryVersion): Promise<void> {
    const loc = pkg.registry.location
    let t = this.byRegistry.get(loc.url)
    if (!t) {
      t = trustFor(this.ctx.paths, this.ctx.config, this.ctx.trust, loc, pkg.registry.index, {pin: this.pin, warn: this.ctx.warn})
      this.byRegistry.set(loc.url, t)
    }
    checkVersionTrust(await t, this.ctx.trust, loc.url, pkg.id, v.version, v.integrity, v.signature)
  }
}

/** the strongest hash the index offers for a version; missing or malformed is refused */
export function offeredIntegrity(pkg: CatalogPackage, v: RegistryVersion): string {
  const strongest = v.integrity ? strongestIntegrity(v.integrity) : null
  if (strongest === null) {
    throw new PacksError('E_INTEGRITY', `${pkg.id}@${v.version}: registry ${pkg.registry.location.url} gives ${v.integrity ? `a malformed integrity \`${v.integrity}\`` : 'no integrity'}; refusing to install bytes nothing vouches for`, {
      field: `packages.${pkg.id}.versions.${v.version}.integrity`,
      hint: 'Ask the registry owner to rebuild the index with `ggen packs registry build` (it records sha512 integrity). Nothing was written.',
    })
  }
  return strongest
}

/**
 * A locked id@version keeps its integrity: refuse when the registry offers a different one.
 * Returns whether the bytes alone can tell (the two share no hash algorithm).
 */
export function checkPinned(id: string, version: string, locked: string, offered: string | undefined, registryUrl: string, lockfile: string): 'same' | 'bytes-decide' {
  if (!offered || strongestIntegrity(offered) === null) return 'bytes-decide'
  const same = sameIntegrity(locked, offered)
  if (same === null) return 'bytes-decide'
  if (same) return 'same'
  throw lockedMismatch(id, version, locked, offered, registryUrl, lockfile)
}

export function lockedMismatch(id: string, version: string, locked: string, offered: string, registryUrl: string, lockfile: string): PacksError {
  return new PacksError('E_INTEGRITY', `${id}@${version} is locked with integrity ${locked}, but registry ${registryUrl} offers ${offered}; refusing (the version was republished with other bytes, or the index was altered)`, {
    file: lockfile,
    field: `packs.${id}.integrity`,
    hint: `A published version never changes. If the change is legitimate, move to another version explicitly (ggen packs update ${id} --to <version>), or remove the entry from the lockfile and re-resolve. Nothing was written.`,
  })
}
