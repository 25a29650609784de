/**
 * Trust roots for registry signatures. Keys inside a registry index are never trusted by
 * themselves: a version is checked against the keys trusted for its registry, which come from
 *   1. config.json `registry_keys` (a key with `registry` applies to that registry only),
 *   2. GGEN_MARKETPLACE_PUBLIC_KEY (every registry), or, when neither names a key,
 *   3. keys pinned on first use per registry ($GGEN_HOME/trust.json, as SSH known_hosts).
 * A registry with a trusted key must sign every version with one of them (unsigned or signed by
 * another key: E_SIGNATURE). A registry whose index lists a key that is not pinned is refused
 * until the user accepts it (`ggen packs registry trust --accept URL --key KEYID`). With
 * `require_signatures`, a registry without any trusted key is refused altogether.
 */
import type {KeyObject} from 'node:crypto'
import {pathToFileURL} from 'node:url'
import {PacksError} from '../domain/errors.js'
import type {RegistryIndex} from '../domain/schemas.js'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {parseJsonText} from '../formats/parse.js'
import {parseRegistryLocation, type RegistryLocation} from '../registry/source.js'
import type {Config} from '../workspace/config.js'
import type {HomePaths} from '../workspace/home.js'
import {checkSignature, keyId, publicKeyFrom, publicKeyToBase64} from './signing.js'

export interface PinnedKey {
  keyid: string
  public_key: string
  pinned_at: string
  /** first-use: pinned when the registry was first used; accepted: by `registry trust --accept` */
  how: 'first-use' | 'accepted'
}

export interface TrustFile {
  format: 'ggen-packs-trust/1'
  registries: Record<string, {keys: PinnedKey[]}>
}

export type TrustSource = 'config' | 'env' | 'pinned' | 'first-use' | 'none'

export interface RegistryTrust {
  registry: string
  source: TrustSource
  keys: {keyid: string; key: KeyObject}[]
}

export interface TrustSettings {
  requireSignatures: boolean
  envKeys: string[]
}

/** the identity trust is pinned under: a file:// URL for folders, the base URL for http(s) */
export const registryIdentity = (loc: RegistryLocation): string => (loc.kind === 'dir' ? pathToFileURL(loc.base).href : loc.base)

const emptyTrust = (): TrustFile => ({format: 'ggen-packs-trust/1', registries: {}})

export function readTrustFile(paths: HomePaths): TrustFile {
  const text = readTextOrNull(paths.trust)
  if (text === null) return emptyTrust()
  const raw = parseJsonText(text, paths.trust) as Partial<TrustFile> | null
  const bad = (field: string) => new PacksError('E_SCHEMA', `${paths.trust}: field \`${field}\` has the wrong shape`, {file: paths.trust, field, hint: 'Fix or remove the file (then re-pin keys with `ggen packs registry trust --accept`). Nothing was changed.'})
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('(root)')
  if (!raw.registries || typeof raw.registries !== 'object' || Array.isArray(raw.registries)) throw bad('registries')
  for (const [url, r] of Object.entries(raw.registries)) {
    if (!r || !Array.isArray(r.keys)) throw bad(`registries.${url}.keys`)
    r.keys.forEach((k, i) => {
      if (!k || typeof k.public_key !== 'string' || typeof k.keyid !== 'string') throw bad(`registries.${url}.keys[${i}]`)
    })
  }
  return {format: 'ggen-packs-trust/1', registries: raw.registries}
}

function toKey(text: string, what: string): {keyid: string; key: KeyObject} {
  try {
    const key = publicKeyFrom(text)
    return {keyid: keyId(key), key}
  } catch (error) {
    throw new PacksError('E_SIGNATURE', `${what} is not an Ed25519 public key`, {hint: 'Give the base64 SPKI, PEM or 64-hex form printed by `ggen packs registry keygen`.', cause: error})
  }
}

/** keys the index itself lists (never trusted by themselves), by key id */
export function indexKeys(index: RegistryIndex): {keyid: string; key: KeyObject; public_key: string}[] {
  const out: {keyid: string; key: KeyObject; public_key: string}[] = []
  for (const k of index.keys) {
    try {
      const key = publicKeyFrom(k.public_key)
      if (!out.some((o) => o.keyid === keyId(key))) out.push({keyid: keyId(key), key, public_key: publicKeyToBase64(key)})
    } catch {
      // an unusable key in the index vouches for nothing
    }
  }
  return out
}

const sameRegistry = (a: string, loc: RegistryLocation): boolean => registryIdentity(parseRegistryLocation(a)) === registryIdentity(loc)

/** keys configured for this registry: config first, then the environment */
function configuredKeys(config: Config, settings: TrustSettings, loc: RegistryLocation): RegistryTrust | null {
  const id = registryIdentity(loc)
  const fromConfig = config.registry_keys.filter((k) => !k.registry || sameRegistry(k.registry, loc))
  if (fromConfig.length) return {registry: id, source: 'config', keys: fromConfig.map((k, i) => toKey(k.public_key, `config.json registry_keys[${i}]`))}
  if (settings.envKeys.length) return {registry: id, source: 'env', keys: settings.envKeys.map((k) => toKey(k, 'GGEN_MARKETPLACE_PUBLIC_KEY'))}
  return null
}

export interface TrustOptions {
  /** pin the index's keys on first use (false on a dry run: nothing is written) */
  pin: boolean
  warn: (m: string) => void
}

/**
 * Decide which keys vouch for a registry. Pins an index's keys on first use, refuses a registry
 * whose keys changed since they were pinned.
 */
export async function trustFor(paths: HomePaths, config: Config, settings: TrustSettings, loc: RegistryLocation, index: RegistryIndex, o: TrustOptions): Promise<RegistryTrust> {
  const configured = configuredKeys(config, settings, loc)
  if (configured) return configured
  const id = registryIdentity(loc)
  const offered = indexKeys(index)
  const pinned = readTrustFile(paths).registries[id]?.keys ?? []
  if (pinned.length) {
    const unknown = offered.filter((k) => !pinned.some((p) => p.keyid === k.keyid))
    if (unknown.length) {
      throw new PacksError('E_SIGNATURE', `registry ${loc.url} now lists key ${unknown.map((k) => k.keyid).join(', ')}, which is not the key pinned for it (${pinned.map((p) => p.keyid).join(', ')}); refusing the registry`, {
        hint: `If the registry owner rotated the key, accept it explicitly: ggen packs registry trust --accept ${loc.url} --key ${unknown[0]!.keyid}. Otherwise the index was tampered with. Nothing was written.`,
      })
    }
    return {registry: id, source: 'pinned', keys: pinned.map((p) => toKey(p.public_key, `${paths.trust} key ${p.keyid}`))}
  }
  if (offered.length === 0) return {registry: id, source: 'none', keys: []}
  if (o.pin) {
    await withLock(paths.trustLock, () => {
      const t = readTrustFile(paths)
      if (t.registries[id]?.keys.length) return
      const at = new Date().toISOString()
      t.registries[id] = {keys: offered.map((k) => ({keyid: k.keyid, public_key: k.public_key, pinned_at: at, how: 'first-use' as const}))}
      writeJsonAtomic(paths.trust, t)
    })
    o.warn(`trusting key ${offered.map((k) => k.keyid).join(', ')} of registry ${loc.url} on first use (pinned in ${paths.trust}; see \`ggen packs registry trust --list\`)`)
  }
  return {registry: id, source: 'first-use', keys: offered.map(({keyid, key}) => ({keyid, key}))}
}

/**
 * Refuse a version its registry's trust does not vouch for. `integrity` is the index's string, as
 * signed (`id@version\nintegrity`).
 */
export function checkVersionTrust(trust: RegistryTrust, settings: TrustSettings, registryUrl: string, id: string, version: string, integrity: string | undefined, signature: string | undefined): void {
  const what = `${id}@${version}`
  if (trust.keys.length === 0) {
    if (settings.requireSignatures) {
      throw new PacksError('E_SIGNATURE', `${what}: registry ${registryUrl} has no trusted key, and signatures are required`, {
        hint: 'Add the registry public key to $GGEN_HOME/config.json `registry_keys` (or GGEN_MARKETPLACE_PUBLIC_KEY), or drop require_signatures / GGEN_REQUIRE_SIGNATURES / --require-signatures. Nothing was written.',
      })
    }
    return
  }
  const status = checkSignature(trust.keys.map((k) => k.key), id, version, integrity, signature)
  if (status === 'valid') return
  const keys = trust.keys.map((k) => k.keyid).join(', ')
  throw new PacksError(
    'E_SIGNATURE',
    status === 'unsigned'
      ? `${what} is not signed, but registry ${registryUrl} has a trusted key (${keys}, from ${trust.source}); refusing it`
      : `${what}: the signature is not made by a key trusted for registry ${registryUrl} (${keys}, from ${trust.source}); refusing it`,
    {hint: 'The index or the tarball was altered, or signed with another key. Nothing was written. See `ggen packs registry trust --list`.'},
  )
}

export interface TrustListing {
  registry: string
  source: 'config' | 'env' | 'pinned'
  keyid: string
  public_key: string
  pinned_at?: string
  how?: string
}

/** every trusted key: config (per registry or global), environment, pinned */
export function listTrust(paths: HomePaths, config: Config, settings: TrustSettings): TrustListing[] {
  const out: TrustListing[] = []
  config.registry_keys.forEach((k, i) => {
    const {keyid} = toKey(k.public_key, `config.json registry_keys[${i}]`)
    out.push({registry: k.registry ?? '*', source: 'config', keyid, public_key: k.public_key})
  })
  for (const k of settings.envKeys) out.push({registry: '*', source: 'env', ...{keyid: toKey(k, 'GGEN_MARKETPLACE_PUBLIC_KEY').keyid}, public_key: k})
  for (const [registry, r] of Object.entries(readTrustFile(paths).registries).sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const k of r.keys) out.push({registry, source: 'pinned', keyid: k.keyid, public_key: k.public_key, pinned_at: k.pinned_at, how: k.how})
  }
  return out
}

/** pin `keyid` (which the registry's index must list) for the registry; returns the pinned key */
export async function acceptKey(paths: HomePaths, loc: RegistryLocation, index: RegistryIndex, keyid: string): Promise<PinnedKey> {
  const offered = indexKeys(index).find((k) => k.keyid === keyid)
  if (!offered) {
    const have = indexKeys(index).map((k) => k.keyid)
    throw new PacksError('E_NOT_FOUND', `registry ${loc.url} does not list key ${keyid}`, {hint: have.length ? `Its index lists: ${have.join(', ')}.` : 'Its index lists no key (an unsigned registry).'})
  }
  const id = registryIdentity(loc)
  return withLock(paths.trustLock, () => {
    const t = readTrustFile(paths)
    const entry = (t.registries[id] ??= {keys: []})
    const existing = entry.keys.find((k) => k.keyid === keyid)
    if (existing) return existing
    const pinned: PinnedKey = {keyid, public_key: offered.public_key, pinned_at: new Date().toISOString(), how: 'accepted'}
    entry.keys.push(pinned)
    writeJsonAtomic(paths.trust, t)
    return pinned
  })
}

/** un-pin a key (or every key of the registry when keyid is undefined); returns how many were removed */
export async function revokeKey(paths: HomePaths, loc: RegistryLocation, keyid: string | undefined): Promise<number> {
  const id = registryIdentity(loc)
  return withLock(paths.trustLock, () => {
    const t = readTrustFile(paths)
    const entry = t.registries[id]
    if (!entry) return 0
    const before = entry.keys.length
    entry.keys = keyid ? entry.keys.filter((k) => k.keyid !== keyid) : []
    if (entry.keys.length === 0) delete t.registries[id]
    const removed = before - (entry.keys.length ?? 0)
    if (removed) writeJsonAtomic(paths.trust, t)
    return removed
  })
}
