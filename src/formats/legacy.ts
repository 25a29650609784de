/**
 * Read any file a real ggen user may hold (see ../shared/ggen-real/FORMATS.md) into the domain
 * model. `readAnyFile` sniffs by file name, then by content, and either returns a typed value or
 * throws a PacksError whose `file` is the path (and whose `field` names the offending field for
 * schema problems). Files that are not package metadata (ontologies, docs, listing metadata) come
 * back as `ontology` / `other` with a reason; TOML/JSON ones are still parsed so broken syntax shows.
 *
 * The per-format readers live beside this module and are re-exported here:
 *   legacy-lockfile.ts  ggen.lock (v1, engine, JSON fixture), gpack.lock, readLockfileAny
 *   pack-bundle.ts      marketplace/packs/<id>.toml bundles
 *   gpack-toml.ts       [gpack] / [package] / engine [pack] manifests
 *   registry-index.ts   every registry index shape, TOML packages.toml
 */
import {readFileSync} from 'node:fs'
import {basename, dirname, extname} from 'node:path'
import {z} from 'zod'
import {PacksError} from '../domain/errors.js'
import {GpackManifest, type Lockfile, type ProjectConfig, type RegistryIndex} from '../domain/schemas.js'
import {normalizeGpackRaw} from './gpack-toml.js'
import {parseLegacyLockfileDetailed, type LockFormat} from './legacy-lockfile.js'
import {parseLockfile} from './lockfile.js'
import {normalizePackBundleRaw, type PackBundleDef} from './pack-bundle.js'
import {parseJsonText, parseTomlText, validate} from './parse.js'
import {parseProjectToml} from './project-toml.js'
import {normalizeRegistryIndex, normalizeTomlRegistry} from './registry-index.js'

export * from './legacy-lockfile.js'
export * from './pack-bundle.js'

// ---------------------------------------------------------------- validation receipts

/** `marketplace/receipts/<id>/<version>.json`: a validator's verdict (score and production_ready) */
export const ValidationReceipt = z
  .object({
    package_id: z.string().min(1),
    version: z.string().min(1),
    validated_at: z.string().optional(),
    ggen_version: z.string().optional(),
    guard_results: z
      .array(
        z
          .object({
            guard_name: z.string(),
            guard_type: z.string().optional(),
            passed: z.boolean(),
            message: z.string().default(''),
            weight: z.number().optional(),
            severity: z.string().optional(),
          })
          .passthrough(),
      )
      .default([]),
    overall_score: z.number().min(0).max(100),
    production_ready: z.boolean(),
    /** sha256 hex of the package contents as the validator saw them */
    checksum: z.string().optional(),
  })
  .passthrough()
export type ValidationReceipt = z.infer<typeof ValidationReceipt>

// ---------------------------------------------------------------- readAnyFile

export type ManifestTable = 'gpack' | 'package' | 'pack'

export type AnyRead =
  | {kind: 'gpack'; file: string; /** the table the manifest was read from */ table: ManifestTable; value: GpackManifest}
  | {kind: 'project'; file: string; value: ProjectConfig}
  | {kind: 'lockfile'; file: string; format: LockFormat; legacy: boolean; value: Lockfile}
  | {kind: 'registry'; file: string; format: 'json' | 'toml'; value: RegistryIndex}
  | {kind: 'pack-bundle'; file: string; value: PackBundleDef}
  | {kind: 'receipt'; file: string; value: ValidationReceipt}
  | {kind: 'ontology'; file: string; reason: string}
  | {kind: 'other'; file: string; reason: string}

export type AnyKind = AnyRead['kind']

const isTable = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)

const RDF_EXT = new Set(['.ttl', '.rdf', '.owl', '.nt', '.nq', '.trig', '.n3', '.jsonld', '.shacl'])
const DOC_EXT = new Set(['.md', '.txt', '.rst', '.adoc', '.html'])

/**
 * Read one file of any known ggen format. Throws PacksError (file = `path`) for unreadable files,
 * broken syntax (E_PARSE, with the line) and schema problems (E_SCHEMA, with the field).
 */
export function readAnyFile(path: string, warn: (msg: string) => void = () => {}): AnyRead {
  const name = basename(path).toLowerCase()
  const ext = extname(name)
  if (RDF_EXT.has(ext)) return {kind: 'ontology', file: path, reason: 'RDF ontology: package content, not package metadata'}
  if (DOC_EXT.has(ext)) return {kind: 'other', file: path, reason: 'documentation'}
  const text = readText(path)

  if (ext === '.lock') {
    if (name === 'packs.lock') return {kind: 'lockfile', file: path, format: 'packs.lock', legacy: false, value: parseLockfile(text, path)}
    const r = parseLegacyLockfileDetailed(text, path, warn)
    return {kind: 'lockfile', file: path, format: r.format, legacy: r.format !== 'packs.lock', value: r.lock}
  }
  if (ext === '.toml') return readToml(text, path, name, warn)
  if (ext === '.json') return readJson(text, path, name, warn)
  return {kind: 'other', file: path, reason: `not a ggen metadata file (${ext || 'no extension'})`}
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new PacksError('E_NOT_FOUND', `${path}: no such file`, {file: path, hint: 'Check the path.', cause: error})
    throw new PacksError('E_USAGE', `${path}: cannot read (${code ?? (error as Error).message})`, {
      file: path,
      hint: code === 'EISDIR' ? 'Pass a file, not a directory.' : 'Check the file permissions.',
      cause: error,
    })
  }
}

function readToml(text: string, path: string, name: string, warn: (msg: string) => void): AnyRead {
  const raw = parseTomlText(text, path)
  if (name === 'ggen.toml') return {kind: 'project', file: path, value: parseProjectToml(text, path, basename(dirname(path)))}
  if (name === 'packages.toml') return {kind: 'registry', file: path, format: 'toml', value: normalizeTomlRegistry(raw, path, warn)}
  if (name === 'marketplace.toml') return {kind: 'other', file: path, reason: 'marketplace listing metadata (the manifest is package.toml beside it)'}
  if (name === 'gpack.toml' || name === 'package.toml' || name === 'pack.toml') return manifest(raw, path, warn)
  // other names: by content
  if (isTable(raw.pack) && raw.pack.packages !== undefined) return {kind: 'pack-bundle', file: path, value: normalizePackBundleRaw(raw, path)}
  if (isTable(raw.gpack) || isTable(raw.package) || isTable(raw.pack)) return manifest(raw, path, warn)
  if (Array.isArray(raw.package)) return {kind: 'registry', file: path, format: 'toml', value: normalizeTomlRegistry(raw, path, warn)}
  if (isTable(raw.project)) return {kind: 'project', file: path, value: parseProjectToml(text, path, basename(dirname(path)))}
  return {kind: 'other', file: path, reason: 'TOML without [gpack], [package], [pack], [project] or [[package]] tables'}
}

function manifest(raw: Record<string, unknown>, path: string, warn: (msg: string) => void): AnyRead {
  const {value, base} = normalizeGpackRaw(raw, path, warn)
  return {kind: 'gpack', file: path, table: base as ManifestTable, value: validate(GpackManifest, value, path, base)}
}

function readJson(text: string, path: string, name: string, warn: (msg: string) => void): AnyRead {
  const raw = parseJsonText(text, path)
  if (isTable(raw) && typeof raw.package_id === 'string' && ('guard_results' in raw || 'overall_score' in raw)) {
    return {kind: 'receipt', file: path, value: validate(ValidationReceipt, raw, path)}
  }
  if (isTable(raw) && isTable(raw.packs) && Object.values(raw.packs).some((e) => isTable(e) && 'source' in e && 'integrity' in e)) {
    return {kind: 'lockfile', file: path, format: 'packs.lock', legacy: false, value: parseLockfile(text, path)}
  }
  if (name === 'index.json' || Array.isArray(raw) || (isTable(raw) && ('packages' in raw || 'packs' in raw || 'format' in raw))) {
    return {kind: 'registry', file: path, format: 'json', value: normalizeRegistryIndex(raw, path, warn)}
  }
  return {kind: 'other', file: path, reason: 'JSON that is not a registry index, lockfile or validation receipt'}
}
