/**
 * `packs registry trust`: list the keys trusted for each registry, accept a new key for a
 * registry (after a rotation) or remove a pinned one. Accepting and removing are audited.
 */
import {audited} from '../audit/log.js'
import type {PacksContext} from '../core/context.js'
import {PacksError} from '../domain/errors.js'
import {loadRegistry, parseRegistryLocation} from '../registry/source.js'
import {acceptKey, listTrust, registryIdentity, revokeKey, type PinnedKey, type TrustListing} from '../security/trust.js'

export interface TrustResult {
  action: 'list' | 'accept' | 'remove'
  registry?: string
  accepted?: PinnedKey
  removed?: number
  keys: TrustListing[]
}

export async function registryTrust(ctx: PacksContext, o: {accept?: string; remove?: string; key?: string}): Promise<TrustResult> {
  const list = () => listTrust(ctx.paths, ctx.config, ctx.trust)
  if (o.accept) {
    const url = o.accept
    if (!o.key) throw new PacksError('E_USAGE', '--accept needs --key KEYID (the key id the registry now lists)', {hint: 'See the key ids with `ggen packs registry trust --list`, or in the refusal message.'})
    const key = o.key
    const loc = parseRegistryLocation(url)
    return audited(ctx, {action: 'trust-accept'}, async (): Promise<TrustResult> => {
      const reg = await loadRegistry(url, {cacheDir: ctx.paths.registryCache, offline: ctx.offline, refresh: true, warn: ctx.warn})
      const accepted = await acceptKey(ctx.paths, loc, reg.index, key)
      return {action: 'accept', registry: registryIdentity(loc), accepted, keys: list()}
    }, (r) => `trust key ${r.accepted!.keyid} for registry ${r.registry}`)
  }
  if (o.remove) {
    const loc = parseRegistryLocation(o.remove)
    return audited(ctx, {action: 'trust-remove'}, async (): Promise<TrustResult> => {
      const removed = await revokeKey(ctx.paths, loc, o.key)
      if (removed === 0) throw new PacksError('E_NOT_FOUND', `no pinned key${o.key ? ` ${o.key}` : ''} for registry ${registryIdentity(loc)}`, {hint: 'See the pinned keys with `ggen packs registry trust --list`.'})
      return {action: 'remove', registry: registryIdentity(loc), removed, keys: list()}
    }, (r) => `removed ${r.removed} pinned key(s)${o.key ? ` (${o.key})` : ''} of registry ${r.registry}`)
  }
  return {action: 'list', keys: list()}
}
