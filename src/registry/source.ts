/**
 * Registry sources: a directory path, a file:// URL or an http(s):// base, each holding
 * `index.json` and the tarballs it names. Indexes and tarballs are cached under
 * $GGEN_HOME/cache so that --offline (or GGEN_OFFLINE=1) works with no network.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {join, resolve, sep} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {isPacksError, PacksError} from '../domain/errors.js'
import type {RegistryIndex} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic, writeJsonAtomic} from '../formats/fs.js'
import {parseJsonText} from '../formats/parse.js'
import {normalizeRegistryIndex, type Warn} from '../formats/registry-index.js'
import {environment} from '../util/environment.js'

export type SourceKind = 'dir' | 'http'

const statKeyOf = (file: string): string | null => {
  try {
    const st = statSync(file)
    return `${st.mtimeMs}:${st.size}`
  } catch {
    return null
  }
}

export interface RegistryLocation {
  /** as the user wrote it */
  url: string
  kind: SourceKind
  /** directory for dir sources, base URL (with trailing /) for http */
  base: string
}

export function parseRegistryLocation(url: string, cwd = process.cwd()): RegistryLocation {
  if (/^https?:\/\//i.test(url)) {
    const base = url.endsWith('/index.json') ? url.slice(0, -'index.json'.length) : url.endsWith('/') ? url : url + '/'
    return {url, kind: 'http', base}
  }
  let dir = url.startsWith('file:') ? fileURLToPath(url) : resolve(cwd, url)
  if (dir.endsWith('index.json')) dir = dir.slice(0, -'index.json'.length)
  return {url, kind: 'dir', base: dir}
}

export const cacheKey = (loc: RegistryLocation): string =>
  createHash('sha256').update(loc.kind === 'dir' ? pathToFileURL(loc.base).href : loc.base).digest('hex').slice(0, 16)

export interface LoadedRegistry {
  location: RegistryLocation
  index: RegistryIndex
  fromCache: boolean
  fetchedAt: string
}

export interface LoadOptions {
  cacheDir: string
  offline: boolean
  /** seconds an http index is fresh in the cache; default GGEN_REGISTRY_TTL or 300 */
  ttl?: number
  refresh?: boolean
  warn?: Warn
}

async function httpGet(url: string): Promise<Buffer> {
  let res: Response
  try {
    res = await fetch(url, {signal: AbortSignal.timeout(environment().httpTimeoutMs)})
  } catch (error) {
    throw new PacksError('E_REGISTRY', `cannot reach ${url}: ${(error as Error).message}`, {
      hint: 'Check the registry URL and your network, or use --offline to work from the cache.',
      cause: error,
    })
  }
  if (!res.ok) {
    throw new PacksError('E_REGISTRY', `${url} answered HTTP ${res.status} ${res.statusText}`, {
      hint: res.status === 404 ? 'Is the registry URL right? It must be the folder holding index.json.' : 'Try again later, or use --offline.',
    })
  }
  return Buffer.from(await res.arrayBuffer())
}

export async function loadRegistry(url: string, opts: LoadOptions): Promise<LoadedRegistry> {
  const location = parseRegistryLocation(url)
  const dir = join(opts.cacheDir, cacheKey(location))
  const cachedIndex = join(dir, 'index.json')
  const metaFile = join(dir, 'meta.json')
  const warn = opts.warn ?? (() => {})
  const normFile = join(dir, 'normalized.json')
  /**
   * The validated, normalised index, cached beside the raw copy under the raw file's size+mtime:
   * a 10,000-version index costs one JSON.parse instead of a schema validation on every command.
   */
  const normalized = (file: string, readText: () => string | null): RegistryIndex | null => {
    const key = statKeyOf(file)
    if (key) {
      try {
        const c = JSON.parse(readTextOrNull(normFile) ?? 'null') as {key: string; file: string; warnings: string[]; index: RegistryIndex} | null
        if (c && c.key === key && c.file === file) {
          for (const w of c.warnings) warn(w)
          return c.index
        }
      } catch {
        // rebuilt below
      }
    }
    const text = readText()
    if (text === null) return null
    const warnings: string[] = []
    const index = normalizeRegistryIndex(parseJsonText(text, file), file, (m) => {
      warnings.push(m)
      warn(m)
    })
    const after = statKeyOf(file)
    if (after) {
      try {
        writeFileAtomic(normFile, JSON.stringify({key: after, file, warnings, index}))
      } catch {
        // read-only cache: still answers
      }
    }
    return index
  }
  const fromCache = (): LoadedRegistry | null => {
    const index = normalized(cachedIndex, () => readTextOrNull(cachedIndex))
    if (index === null) return null
    const meta = JSON.parse(readTextOrNull(metaFile) ?? '{}') as {fetched_at?: string}
    return {location, index, fromCache: true, fetchedAt: meta.fetched_at ?? ''}
  }

  if (location.kind === 'dir') {
    const file = join(location.base, 'index.json')
    let text: string | null = null
    const index = normalized(file, () => (text = readTextOrNull(file)))
    if (index === null) {
      const cached = opts.offline || !existsSync(location.base) ? fromCache() : null
      if (cached) return cached
      throw new PacksError('E_REGISTRY', `no registry index at ${file}`, {
        file,
        hint: 'Point GGEN_REGISTRY_URL (or --registry) at a folder holding index.json; `ggen packs registry build` makes one.',
      })
    }
    // keep a raw copy for offline use (only when it was re-read, i.e. it changed)
    if (text !== null) {
      writeFileAtomic(cachedIndex, text)
      writeJsonAtomic(metaFile, {url, fetched_at: statSync(file).mtime.toISOString()})
    }
    return {location, index, fromCache: false, fetchedAt: new Date().toISOString()}
  }

  // http(s)
  const ttl = opts.ttl ?? environment().registryTtlSeconds
  if (opts.offline) {
    const cached = fromCache()
    if (cached) return cached
    throw new PacksError('E_OFFLINE', `offline, and ${url} has never been fetched into the cache`, {
      hint: 'Run the command once online (without --offline / GGEN_OFFLINE) to fill the cache.',
    })
  }
  if (!opts.refresh) {
    try {
      const age = (Date.now() - statSync(cachedIndex).mtimeMs) / 1000
      if (age < ttl) {
        const cached = fromCache()
        if (cached) return cached
      }
    } catch {
      // not cached yet
    }
  }
  const body = await httpGet(location.base + 'index.json')
  const text = body.toString('utf8')
  const index = normalizeRegistryIndex(parseJsonText(text, location.base + 'index.json'), location.base + 'index.json', warn)
  writeFileAtomic(cachedIndex, text, {force: true})
  const fetchedAt = new Date().toISOString()
  writeJsonAtomic(metaFile, {url, fetched_at: fetchedAt})
  return {location, index, fromCache: false, fetchedAt}
}

/** each registry's registryStamp as [url, stamp], or null when one of them would be fetched (or has nothing to read) */
export function registryStamps(urls: readonly string[], opts: Pick<LoadOptions, 'cacheDir' | 'offline' | 'ttl' | 'refresh'>): [string, string][] | null {
  const out: [string, string][] = []
  for (const url of urls) {
    const stamp = registryStamp(url, opts)
    if (stamp === null) return null
    out.push([url, stamp])
  }
  return out
}

/**
 * What loadRegistry would read, without reading it: the size and mtime of the file it would load
 * (a folder's index.json, or an http index's cached copy while it is fresh); null when it would
 * fetch (an http index past its TTL, or --refresh) or there is nothing to read. `graph sync` keys
 * its nothing-changed check on it.
 */
export function registryStamp(url: string, opts: Pick<LoadOptions, 'cacheDir' | 'offline' | 'ttl' | 'refresh'>): string | null {
  const location = parseRegistryLocation(url)
  if (location.kind === 'dir') return statKeyOf(join(location.base, 'index.json'))
  const cachedIndex = join(opts.cacheDir, cacheKey(location), 'index.json')
  const key = statKeyOf(cachedIndex)
  if (key === null || opts.offline) return key
  if (opts.refresh) return null
  const ttl = opts.ttl ?? environment().registryTtlSeconds
  try {
    return (Date.now() - statSync(cachedIndex).mtimeMs) / 1000 < ttl ? key : null
  } catch {
    return null
  }
}

/**
 * Where a version's tarball lives, under the registry's URL policy:
 *   - an http(s) index may name only http(s) tarballs on its own origin (relative paths resolve
 *     against the index); never file:, another scheme or another host;
 *   - a directory index may name only files inside the registry folder (relative paths, or
 *     absolute paths / file: URLs that lie inside it); never `..` out of it or a URL.
 * The symlink check for directory registries is in fetchTarball (the file must exist to resolve).
 */
export function tarballLocation(loc: RegistryLocation, tarball: string): {kind: SourceKind; ref: string} {
  const refuse = (why: string) => tarballRefused(loc, tarball, why)
  if (loc.kind === 'http') {
    let url: URL
    try {
      url = new URL(tarball, loc.base)
    } catch {
      throw refuse('is not a URL')
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(`uses ${url.protocol}, but an http(s) registry may only name http(s) tarballs`)
    if (url.origin !== new URL(loc.base).origin) throw refuse(`is on ${url.origin}, not on the registry's origin ${new URL(loc.base).origin}`)
    return {kind: 'http', ref: url.href}
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(tarball) && !tarball.startsWith('file:')) throw refuse('is a URL, but a directory registry may only name files inside its folder')
  let ref: string
  try {
    ref = tarball.startsWith('file:') ? fileURLToPath(tarball) : resolve(loc.base, tarball)
  } catch {
    throw refuse('is not a usable file URL')
  }
  if (!isInside(resolve(loc.base), ref)) throw refuse(`lies outside the registry folder ${loc.base}`)
  return {kind: 'dir', ref}
}

function tarballRefused(loc: RegistryLocation, tarball: string, why: string): PacksError {
  return new PacksError('E_PATH_TRAVERSAL', `registry ${loc.url}: field \`tarball\` = \`${tarball}\` ${why}; nothing was fetched`, {
    file: loc.kind === 'http' ? loc.base + 'index.json' : join(loc.base, 'index.json'),
    field: 'tarball',
    hint: 'This registry index is broken or tampered with. Tarballs must be relative paths inside the registry (or same-origin URLs for an http registry); ask its owner to rebuild it with `ggen packs registry build`.',
  })
}

const isInside = (root: string, p: string) => p.startsWith(root.endsWith(sep) ? root : root + sep)

/** Fetch tarball bytes (network or disk). Offline: only disk sources. */
export async function fetchTarball(loc: RegistryLocation, tarball: string, offline: boolean): Promise<Buffer> {
  const where = tarballLocation(loc, tarball)
  if (where.kind === 'dir') {
    try {
      // a symlink inside the registry folder must not lead out of it
      const real = realpathSync(where.ref)
      if (!isInside(realpathSync(loc.base), real)) throw tarballRefused(loc, tarball, `leads through a symbolic link out of the registry folder (to ${real})`)
      return readFileSync(real)
    } catch (error) {
      if (isPacksError(error)) throw error
      throw new PacksError('E_REGISTRY', `tarball ${where.ref} is missing from registry ${loc.url}`, {
        hint: 'Rebuild the registry with `ggen packs registry build`, or check the file share is mounted.',
        cause: error,
      })
    }
  }
  if (offline) {
    throw new PacksError('E_OFFLINE', `offline, and ${where.ref} is not in the cache`, {hint: 'Install it once online; later installs reuse the cached copy.'})
  }
  return httpGet(where.ref)
}
