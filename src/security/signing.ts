/**
 * Ed25519 signatures over registry versions. The signed payload is `${id}@${version}\n${integrity}`,
 * so a signature vouches for exact bytes. Public keys come from the registry index (`keys`), the
 * config (`registry_keys`) or GGEN_MARKETPLACE_PUBLIC_KEY (hex, as real ggen honours).
 */
import {createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {PacksError} from '../domain/errors.js'
import {writeFileAtomic} from '../formats/fs.js'

export const signedPayload = (id: string, version: string, integrity: string): Buffer => Buffer.from(`${id}@${version}\n${integrity}`, 'utf8')

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** a public key given as base64 SPKI DER, PEM, or 64 hex chars (raw 32-byte key) */
export function publicKeyFrom(text: string): KeyObject {
  const t = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(t)) return createPublicKey({key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(t, 'hex')]), format: 'der', type: 'spki'})
  if (t.includes('BEGIN PUBLIC KEY')) return createPublicKey(t)
  return createPublicKey({key: Buffer.from(t, 'base64'), format: 'der', type: 'spki'})
}

export function publicKeyToBase64(key: KeyObject): string {
  return key.export({format: 'der', type: 'spki'}).toString('base64')
}

export function loadPrivateKey(file: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new PacksError('E_SIGNATURE', `${file}: not an Ed25519 private key in PEM (PKCS#8) form`, {
      file,
      hint: 'Make one with `openssl genpkey -algorithm ed25519 -out key.pem` or `ggen packs registry keygen`.',
      cause: error,
    })
  }
}

/** what `packs registry keygen` prints with --json */
export interface KeygenResult {
  /** where the private key (PEM, mode 0600) was written */
  private_key_file: string
  /** the public key (base64), to share; registries built with the key carry it */
  public_key: string
}

export function generateKeyPair(): {privatePem: string; publicBase64: string} {
  const {privateKey, publicKey} = generateKeyPairSync('ed25519')
  return {privatePem: privateKey.export({format: 'pem', type: 'pkcs8'}).toString(), publicBase64: publicKeyToBase64(publicKey)}
}

/** `registry keygen`: a new key pair, the private key written to `file` (mode 0600); an existing file is never overwritten */
export function writeKeyPair(file: string): {publicBase64: string} {
  if (existsSync(file)) throw new PacksError('E_USAGE', `${file} already exists; not overwriting a key`, {file, hint: 'Choose another file name.'})
  const k = generateKeyPair()
  writeFileAtomic(file, k.privatePem, {mode: 0o600})
  return {publicBase64: k.publicBase64}
}

export function signVersion(key: KeyObject, id: string, version: string, integrity: string): string {
  return sign(null, signedPayload(id, version, integrity), key).toString('base64')
}

export function keyId(pub: KeyObject): string {
  return publicKeyToBase64(pub).slice(-16)
}

export type SignatureStatus = 'valid' | 'invalid' | 'unsigned' | 'no-key'

export function checkSignature(keys: KeyObject[], id: string, version: string, integrity: string | undefined, signature: string | undefined): SignatureStatus {
  if (!signature || !integrity) return 'unsigned'
  if (keys.length === 0) return 'no-key'
  const payload = signedPayload(id, version, integrity)
  const sig = Buffer.from(signature, 'base64')
  return keys.some((k) => {
    try {
      return verify(null, payload, k, sig)
    } catch {
      return false
    }
  })
    ? 'valid'
    : 'invalid'
}
