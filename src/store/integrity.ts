/**
 * Subresource-integrity strings (sha512-<base64>, sha256-<base64>; sha384/sha1 accepted on read).
 */
import {createHash} from 'node:crypto'
import {PacksError} from '../domain/errors.js'

export type IntegrityAlgo = 'sha512' | 'sha384' | 'sha256' | 'sha1'

export interface ParsedIntegrity {
  algo: IntegrityAlgo
  digest: Buffer
}

export function parseIntegrity(sri: string): ParsedIntegrity | null {
  const m = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})$/.exec(sri.trim())
  if (!m) return null
  const digest = Buffer.from(m[2]!, 'base64')
  const want = {sha512: 64, sha384: 48, sha256: 32, sha1: 20}[m[1] as IntegrityAlgo]
  if (digest.length !== want) return null
  return {algo: m[1] as IntegrityAlgo, digest}
}

export const isValidIntegrity = (sri: string | undefined): boolean => !!sri && strongestIntegrity(sri) !== null

const STRENGTH: Record<IntegrityAlgo, number> = {sha1: 1, sha256: 2, sha384: 3, sha512: 4}

/**
 * The strongest hash of an SRI string, which may list several (`sha256-… sha512-…`, options after
 * `?` ignored, as the SRI spec allows). Null when none is valid.
 */
export function strongestIntegrity(sri: string): string | null {
  let best: {text: string; algo: IntegrityAlgo} | null = null
  for (const token of sri.trim().split(/\s+/)) {
    const text = token.split('?', 1)[0]!
    const p = parseIntegrity(text)
    if (p && (!best || STRENGTH[p.algo] > STRENGTH[best.algo])) best = {text, algo: p.algo}
  }
  return best?.text ?? null
}

/**
 * Do two SRI strings name the same bytes? `true`/`false` when they share an algorithm (compared on
 * the strongest shared one), `null` when they share none (only the bytes can tell).
 */
export function sameIntegrity(a: string, b: string): boolean | null {
  const hashes = (s: string) => new Map(s.trim().split(/\s+/).map((t) => parseIntegrity(t.split('?', 1)[0]!)).filter((p): p is ParsedIntegrity => p !== null).map((p) => [p.algo, p.digest]))
  const ha = hashes(a)
  const hb = hashes(b)
  const shared = [...ha.keys()].filter((k) => hb.has(k)).sort((x, y) => STRENGTH[y] - STRENGTH[x])
  if (shared.length === 0) return null
  return ha.get(shared[0]!)!.equals(hb.get(shared[0]!)!)
}

export function computeIntegrity(data: Uint8Array, algo: IntegrityAlgo = 'sha512'): string {
  return `${algo}-${createHash(algo).update(data).digest('base64')}`
}

/** throws E_INTEGRITY unless `data` matches `expected` */
export function checkIntegrity(data: Uint8Array, expected: string, what: string): void {
  const strongest = strongestIntegrity(expected)
  const p = strongest === null ? null : parseIntegrity(strongest)
  if (!p) {
    throw new PacksError('E_INTEGRITY', `${what}: integrity \`${expected}\` is not a valid SRI hash`, {
      hint: 'The registry entry or lockfile holds a broken integrity string; ask the registry owner to rebuild it.',
    })
  }
  const actual = createHash(p.algo).update(data).digest()
  if (!actual.equals(p.digest)) {
    throw new PacksError('E_INTEGRITY', `${what}: integrity mismatch (expected ${expected}, got ${p.algo}-${actual.toString('base64')})`, {
      hint: 'The download is corrupt or was tampered with. Nothing was installed. Retry, or report it to the registry owner.',
    })
  }
}

/** a filesystem-safe name for an integrity: `sha512-<hex>` */
export function integrityDirName(sri: string): string {
  const strongest = strongestIntegrity(sri)
  const p = strongest === null ? null : parseIntegrity(strongest)
  if (!p) throw new PacksError('E_INTEGRITY', `integrity \`${sri}\` is not a valid SRI hash`)
  return `${p.algo}-${p.digest.toString('hex')}`
}
