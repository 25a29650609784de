/**
 * Legacy ggen lockfiles, normalised into the canonical `Lockfile` (.ggen/packs.lock shape):
 *   (a) v1 TOML `ggen.lock`: `version = "1.0"`, `generated`, `[[packs]] id, version, sha256, source,
 *       dependencies = ["id@range"]`
 *   (b) engine TOML `ggen.lock` (`ggen sync`): `[packs.<name>] source = "path:..." |
 *       "git:<url>@<ver>[#subdir]"`, `content_hash = "blake3:<hex>"` (no version recorded)
 *   (c) the JSON test fixture `{"packages": {id: {version, sha256, installed}}}`
 *   (d) the WIP TOML `gpack.lock` (never merged): `version = 1`, `[metadata]`, `[packages.<name>]
 *       name, version, checksum = "sha256:<hex>", source, features, [packages.<name>.dependencies]`
 * Hex sha256/sha512 digests become SRI (`sha256-<base64>`). Anything without an SRI form
 * (blake3, junk such as `abc123`) is kept verbatim in `integrity` with a warning, for verify to flag.
 */
import {splitDependency} from '../domain/spec.js'
import {resolve} from 'node:path'
import semver from 'semver'
import {z} from 'zod'
import {PacksError} from '../domain/errors.js'
import {Lockfile, type LockEntry, type LockSource} from '../domain/schemas.js'
import {readTextOrNull} from './fs.js'
import {normalizeGpackRaw} from './gpack-toml.js'
import {lockfilePath, parseLockfile} from './lockfile.js'
import {parseJsonText, parseTomlText, validate} from './parse.js'

export type Warn = (message: string) => void

export {LEGACY_LOCKFILE} from './paths.js'
import {LEGACY_LOCKFILE} from './paths.js'
export const WIP_GPACK_LOCKFILE = 'gpack.lock'
/** version recorded for engine `path:` packs whose manifest cannot be read (semver-valid, satisfies `*`) */
export const UNKNOWN_VERSION = '0.0.0'

export type LockFormat = 'packs.lock' | 'ggen.lock/v1' | 'ggen.lock/engine' | 'ggen.lock/json-fixture' | 'gpack.lock/wip'

// ---------------------------------------------------------------- integrity

const DIGEST_BYTES = {sha1: 20, sha256: 32, sha384: 48, sha512: 64} as const
type ShaAlgorithm = keyof typeof DIGEST_BYTES

export type IntegrityInfo =
  /** proper SRI: base64 digest of the right length */
  | {kind: 'sri'; algorithm: ShaAlgorithm; sri: string}
  /** a hex digest (`sha256-<64 hex>` as current ggen writes it, `sha256:<hex>`, bare hex): convertible */
  | {kind: 'hex'; algorithm: ShaAlgorithm; sri: string}
  /** a digest with no SRI form (`blake3:<hex>`): can only be checked by recomputing that algorithm */
  | {kind: 'unsupported'; algorithm: string}
  /** not a digest at all (`sha256-UNKNOWN-pack-not-found-locally`, `abc123`, empty) */
  | {kind: 'invalid'; reason: string}

/**
 * Classify an integrity string as real ggen files hold them. Note: current ggen writes
 * `sha256-<64 hex>` in `.ggen/packs.lock`, which looks like SRI but is hex; a 64-character hex body is
 * never a valid base64 sha256 (that is 44 characters), so the two cannot be confused.
 */
export function describeIntegrity(value: string): IntegrityInfo {
  const s = value.trim()
  if (!s) return {kind: 'invalid', reason: 'empty'}
  const m = /^([A-Za-z0-9]+)[-:](.*)$/.exec(s)
  if (!m) {
    if (/^[0-9a-fA-F]{64}$/.test(s)) return {kind: 'hex', algorithm: 'sha256', sri: hexSri('sha256', s)}
    if (/^[0-9a-fA-F]{128}$/.test(s)) return {kind: 'hex', algorithm: 'sha512', sri: hexSri('sha512', s)}
    return {kind: 'invalid', reason: `"${s}" is not a digest (expected sha256-<base64> or 64 hex digits)`}
  }
  const algorithm = m[1]!.toLowerCase()
  const body = m[2]!
  if (algorithm in DIGEST_BYTES) {
    const algo = algorithm as ShaAlgorithm
    const bytes = DIGEST_BYTES[algo]
    if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(body)) return {kind: 'hex', algorithm: algo, sri: hexSri(algo, body)}
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      const buf = Buffer.from(body, 'base64')
      if (buf.length === bytes && buf.toString('base64') === body) return {kind: 'sri', algorithm: algo, sri: `${algo}-${body}`}
    }
    return {kind: 'invalid', reason: `${algo} digest "${body}" is neither base64 nor hex of ${bytes} bytes`}
  }
  if (/^[0-9a-fA-F]{16,}$/.test(body)) return {kind: 'unsupported', algorithm}
  return {kind: 'invalid', reason: `"${s}" is not a digest`}
}

const hexSri = (algo: ShaAlgorithm, hex: string): string => `${algo}-${Buffer.from(hex, 'hex').toString('base64')}`

/** a legacy digest -> the string to store in `integrity` (SRI when possible, else verbatim + warning) */
function legacyIntegrity(value: string | undefined, where: string, warn: Warn): string {
  if (value === undefined) {
    warn(`${where}: no digest recorded; integrity left empty (verify will report it)`)
    return ''
  }
  const info = describeIntegrity(value)
  if (info.kind === 'sri' || info.kind === 'hex') return info.sri
  if (info.kind === 'unsupported') warn(`${where}: ${info.algorithm} digest has no SRI form; kept as "${value}"`)
  else warn(`${where}: ${info.reason}; kept verbatim (verify will flag it)`)
  return value
}

// ---------------------------------------------------------------- sources and dependencies

/** `path:...`, `git:<url>@<ver>[#subdir]`, `git+https://...`, `*.git` URLs, registry URLs, plain paths */
export function parseLegacySource(source: string): {source: LockSource; version?: string} {
  if (source.startsWith('path:')) return {source: {type: 'Local', path: source.slice(5)}}
  if (source.startsWith('file:')) return {source: {type: 'Local', path: source.replace(/^file:(\/\/)?/, '')}}
  if (source.startsWith('git:') || source.startsWith('git+')) {
    let rest = source.slice(4) // after `git:` or `git+`
    let subdir: string | undefined
    const hash = rest.indexOf('#')
    if (hash >= 0) {
      subdir = rest.slice(hash + 1) || undefined
      rest = rest.slice(0, hash)
    }
    let rev: string | undefined
    const m = /^(.*)@([^@/:]+)$/.exec(rest)
    if (m) {
      rest = m[1]!
      rev = m[2]!
    }
    const src: LockSource = {type: 'Git', url: rest, ...(rev ? {rev} : {}), ...(subdir ? {subdir} : {})}
    const version = rev ? (semver.valid(rev.replace(/^v/, '')) ?? undefined) : undefined
    return {source: src, version}
  }
  if (/^(https?|ssh):\/\//i.test(source) || /^git@/.test(source)) {
    if (/\.git\/?$/.test(source) || /^git@/.test(source)) return {source: {type: 'Git', url: source}}
    return {source: {type: 'Registry', url: source}}
  }
  if (/^(\/|\.{1,2}\/|~\/|[A-Za-z]:[\\/])/.test(source)) return {source: {type: 'Local', path: source}}
  return {source: {type: 'Unknown', value: source}}
}

/** `["id", "id@range"]` -> ids and the ranges (`*` when none) */
function splitDeps(list: readonly string[]): {ids: string[]; requires: Record<string, string>} {
  const requires: Record<string, string> = {}
  for (const d of list) {
    const {id, range} = splitDependency(d)
    requires[id] = range
  }
  return {ids: Object.keys(requires), requires}
}

// ---------------------------------------------------------------- raw schemas (errors name the field)

/** TOML datetimes (unquoted) arrive as Date objects */
const TomlString = z.union([z.string(), z.date().transform((d) => d.toISOString())])

const V1Lock = z
  .object({
    version: z.union([z.string(), z.number()]).optional(),
    generated: TomlString.optional(),
    packs: z.array(
      z
        .object({
          id: z.string().min(1),
          version: z.string().min(1),
          sha256: z.string().optional(),
          integrity: z.string().optional(),
          source: z.string().optional(),
          dependencies: z.array(z.string()).default([]),
        })
        .passthrough(),
    ),
  })
  .passthrough()

const EngineLock = z
  .object({
    packs: z.record(
      z.string(),
      z
        .object({
          source: z.string().min(1),
          content_hash: z.string().optional(),
          version: z.string().min(1).optional(),
        })
        .passthrough(),
    ),
  })
  .passthrough()

const JsonFixtureLock = z
  .object({
    packages: z.record(
      z.string(),
      z
        .object({
          version: z.string().min(1),
          sha256: z.string().optional(),
          source: z.string().optional(),
          installed: z.boolean().optional(),
          dependencies: z.array(z.string()).default([]),
        })
        .passthrough(),
    ),
  })
  .passthrough()

const WipGpackLock = z
  .object({
    version: z.union([z.number(), z.string()]).optional(),
    metadata: z
      .object({ggen_version: z.string().optional(), created_at: TomlString.optional()})
      .passthrough()
      .optional(),
    packages: z.record(
      z.string(),
      z
        .object({
          name: z.string().optional(),
          version: z.string().min(1),
          checksum: z.string().optional(),
          source: z.string().optional(),
          dependencies: z.record(z.string(), z.string()).default({}),
        })
        .passthrough(),
    ),
  })
  .passthrough()

// ---------------------------------------------------------------- parsing

export interface LegacyLockRead {
  lock: Lockfile
  format: LockFormat
  /** ids whose version the file does not record (engine `path:` packs): UNKNOWN_VERSION was used */
  unknownVersions: string[]
}

const isTable = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)

/** Any lockfile form ggen wrote (legacy or current JSON) -> canonical Lockfile, with its format */
export function parseLegacyLockfileDetailed(text: string, file: string, warn: Warn = () => {}): LegacyLockRead {
  if (/^\s*\{/.test(text)) return fromJson(parseJsonText(text, file), text, file, warn)
  const raw = parseTomlText(text, file)
  if (Array.isArray(raw.packs)) return fromV1(validate(V1Lock, raw, file), file, warn)
  if (isTable(raw.packs)) return fromEngine(validate(EngineLock, raw, file), file, warn)
  if (isTable(raw.packages)) return fromWip(validate(WipGpackLock, raw, file), file, warn)
  throw new PacksError('E_SCHEMA', `${file}: not a ggen lockfile (no \`[[packs]]\`, \`[packs.<name>]\` or \`[packages.<name>]\` entries)`, {
    file,
    field: 'packs',
    hint: 'Delete the file and run `ggen packs install` to write a fresh .ggen/packs.lock.',
  })
}

export function parseLegacyLockfile(text: string, file: string, warn: Warn = () => {}): Lockfile {
  return parseLegacyLockfileDetailed(text, file, warn).lock
}

function fromJson(raw: unknown, text: string, file: string, warn: Warn): LegacyLockRead {
  if (isTable(raw) && isTable(raw.packs)) return {lock: parseLockfile(text, file), format: 'packs.lock', unknownVersions: []}
  if (isTable(raw) && isTable(raw.packages)) {
    const v = validate(JsonFixtureLock, raw, file)
    const packs: Record<string, LockEntry> = {}
    for (const [id, e] of Object.entries(v.packages)) {
      const {ids, requires} = splitDeps(e.dependencies)
      packs[id] = {
        version: e.version,
        source: e.source ? parseLegacySource(e.source).source : {type: 'Unknown'},
        integrity: legacyIntegrity(e.sha256, `${file}: packages.${id}.sha256`, warn),
        installed_at: '',
        dependencies: ids,
        ...(ids.length > 0 ? {requires} : {}),
      }
    }
    return {lock: validate(Lockfile, {packs}, file), format: 'ggen.lock/json-fixture', unknownVersions: []}
  }
  throw new PacksError('E_SCHEMA', `${file}: a JSON lockfile needs a \`packs\` object`, {
    file,
    field: 'packs',
    hint: 'Restore the file from version control, or delete it and run `ggen packs install`.',
  })
}

function fromV1(v: z.infer<typeof V1Lock>, file: string, warn: Warn): LegacyLockRead {
  const packs: Record<string, LockEntry> = {}
  v.packs.forEach((e, i) => {
    if (packs[e.id]) warn(`${file}: packs[${i}].id ${e.id} is locked twice; the later entry (version ${e.version}) wins`)
    const {ids, requires} = splitDeps(e.dependencies)
    const parsed = e.source ? parseLegacySource(e.source).source : ({type: 'Unknown'} as LockSource)
    packs[e.id] = {
      version: e.version,
      source: parsed,
      integrity: legacyIntegrity(e.integrity ?? e.sha256, `${file}: packs[${i}].sha256`, warn),
      installed_at: v.generated ?? '',
      dependencies: ids,
      ...(ids.length > 0 ? {requires} : {}),
    }
  })
  return {lock: validate(Lockfile, {packs, ...(v.generated ? {updated_at: v.generated} : {})}, file), format: 'ggen.lock/v1', unknownVersions: []}
}

function fromEngine(v: z.infer<typeof EngineLock>, file: string, warn: Warn): LegacyLockRead {
  const packs: Record<string, LockEntry> = {}
  const unknownVersions: string[] = []
  for (const [id, e] of Object.entries(v.packs)) {
    const {source, version} = parseLegacySource(e.source)
    const known = e.version ?? version
    if (!known) unknownVersions.push(id)
    packs[id] = {
      version: known ?? UNKNOWN_VERSION,
      source,
      integrity: legacyIntegrity(e.content_hash, `${file}: packs.${id}.content_hash`, warn),
      installed_at: '',
      dependencies: [],
    }
  }
  if (unknownVersions.length > 0) {
    warn(`${file}: no version recorded for ${unknownVersions.join(', ')} (engine lockfiles lock content, not versions); read as ${UNKNOWN_VERSION} unless the pack's manifest says otherwise`)
  }
  return {lock: validate(Lockfile, {packs}, file), format: 'ggen.lock/engine', unknownVersions}
}

function fromWip(v: z.infer<typeof WipGpackLock>, file: string, warn: Warn): LegacyLockRead {
  const packs: Record<string, LockEntry> = {}
  for (const [key, e] of Object.entries(v.packages)) {
    const id = e.name ?? key
    if (e.name && e.name !== key) warn(`${file}: packages.${key}.name is ${e.name}; using ${e.name}`)
    const ids = Object.keys(e.dependencies)
    packs[id] = {
      version: e.version,
      source: e.source ? parseLegacySource(e.source).source : {type: 'Unknown'},
      integrity: legacyIntegrity(e.checksum, `${file}: packages.${key}.checksum`, warn),
      installed_at: v.metadata?.created_at ?? '',
      dependencies: ids,
      ...(ids.length > 0 ? {requires: e.dependencies} : {}),
    }
  }
  const meta = v.metadata
  return {
    lock: validate(Lockfile, {packs, ...(meta?.created_at ? {updated_at: meta.created_at} : {}), ...(meta?.ggen_version ? {ggen_version: meta.ggen_version} : {})}, file),
    format: 'gpack.lock/wip',
    unknownVersions: [],
  }
}

// ---------------------------------------------------------------- project lookup

export interface LockRead {
  lock: Lockfile
  file: string
  /** true when read from a legacy form (ggen.lock / gpack.lock): write back as .ggen/packs.lock */
  legacy: boolean
  format: LockFormat
}

/**
 * The project's lockfile: `.ggen/packs.lock` (canonical) first, else `ggen.lock`, else the WIP
 * `gpack.lock`; null when none exists. Engine `path:` packs get their version from the pack's own
 * manifest (gpack.toml or pack.toml) when it is on disk.
 */
export function readLockfileAny(projectDir: string, warn: Warn = () => {}): LockRead | null {
  const canonical = lockfilePath(projectDir)
  const text = readTextOrNull(canonical)
  if (text !== null) return {lock: parseLockfile(text, canonical), file: canonical, legacy: false, format: 'packs.lock'}
  for (const name of [LEGACY_LOCKFILE, WIP_GPACK_LOCKFILE]) {
    const file = resolve(projectDir, name)
    const legacyText = readTextOrNull(file)
    if (legacyText === null) continue
    const r = resolveLocalVersions(parseLegacyLockfileDetailed(legacyText, file, warn), projectDir, warn)
    return {lock: r.lock, file, legacy: true, format: r.format}
  }
  return null
}

/**
 * Engine `path:` packs record no version: take it from the pack's own manifest (gpack.toml or
 * pack.toml) under `baseDir` when it is on disk. Ids resolved so leave `unknownVersions`.
 */
export function resolveLocalVersions(r: LegacyLockRead, baseDir: string, warn: Warn = () => {}): LegacyLockRead {
  const unknown: string[] = []
  for (const id of r.unknownVersions) {
    const entry = r.lock.packs[id]!
    const version = entry.source.type === 'Local' && typeof entry.source.path === 'string' ? localPackVersion(resolve(baseDir, entry.source.path), warn) : undefined
    if (version) entry.version = version
    else unknown.push(id)
  }
  return {...r, unknownVersions: unknown}
}

/** version from `<dir>/gpack.toml` or `<dir>/pack.toml`; undefined when missing or unreadable (warned) */
function localPackVersion(dir: string, warn: Warn): string | undefined {
  for (const name of ['gpack.toml', 'pack.toml']) {
    const file = resolve(dir, name)
    const text = readTextOrNull(file)
    if (text === null) continue
    try {
      const {value} = normalizeGpackRaw(parseTomlText(text, file), file)
      if (typeof value.version === 'string' && value.version) return value.version
    } catch (error) {
      warn(`${file}: cannot read the pack's version (${(error as Error).message})`)
    }
  }
  return undefined
}
