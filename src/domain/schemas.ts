/**
 * Canonical domain schemas (zod). Types are inferred from these; every reader validates here
 * where data enters. Legacy ggen formats are normalised into these shapes by src/formats/legacy.
 */
import {z} from 'zod'

/** gpack ids: reverse-DNS with dots (io.ggen.rust.cli), dashes, underscores; optional @scope/ prefix */
import {PACKAGE_ID_RE} from './spec.js'

export {PACKAGE_ID_RE}
export const PackageId = z.string().regex(PACKAGE_ID_RE, 'not a valid package id (letters, digits, . _ - ; no spaces)')
export const Integrity = z.string().regex(/^(sha512|sha384|sha256|sha1)-[A-Za-z0-9+/=]+$/, 'not an SRI integrity (sha512-<base64> or sha256-<base64>)')
export const Tier = z.enum(['required', 'recommended', 'optional'])
export type Tier = z.infer<typeof Tier>

// ---------- gpack.toml ----------
export const GpackManifest = z.object({
  id: PackageId,
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().default(''),
  license: z.string().optional(),
  authors: z.array(z.string()).default([]),
  ggen_compat: z.string().optional(),
  repository: z.string().optional(),
  homepage: z.string().optional(),
  keywords: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  category: z.string().optional(),
  production_ready: z.boolean().optional(),
  quality_score: z.number().min(0).max(100).optional(),
  dependencies: z.record(z.string(), z.string()).default({}),
})
export type GpackManifest = z.infer<typeof GpackManifest>

// ---------- ggen.toml ----------
export const PackRequirement = z.object({
  version: z.string().min(1),
  optional: z.boolean().default(false),
  tier: Tier.default('required'),
  env: z.array(z.string()).optional(),
})
export type PackRequirement = z.infer<typeof PackRequirement>

export const ProjectConfig = z.object({
  project: z.object({
    name: z.string().min(1),
    team: z.string().optional(),
    owner: z.string().optional(),
    environment: z.string().optional(),
    /** the bundles this project is bound to (issue 10; a bundle's `teams` binds it too) */
    bundles: z.array(z.string()).optional(),
  }),
  packs: z.record(z.string(), PackRequirement).default({}),
  /** every other table of ggen.toml is kept verbatim when we rewrite the file */
  extra: z.record(z.string(), z.unknown()).default({}),
})
export type ProjectConfig = z.infer<typeof ProjectConfig>

// ---------- .ggen/packs.lock ----------
export const LockSource = z.union([
  z.object({type: z.literal('Registry'), url: z.string()}).passthrough(),
  z.object({type: z.literal('Local'), path: z.string()}).passthrough(),
  z.object({type: z.literal('GitHub'), org: z.string(), repo: z.string(), branch: z.string().optional()}).passthrough(),
  z.object({type: z.string()}).passthrough(),
])
export type LockSource = z.infer<typeof LockSource>

export const LockEntry = z
  .object({
    version: z.string().min(1),
    source: LockSource,
    /** SRI. Real files hold junk such as `sha256-UNKNOWN-pack-not-found-locally`: kept, flagged by verify */
    integrity: z.string(),
    installed_at: z.string(),
    /** resolved dependency ids (ggen's field) */
    dependencies: z.array(z.string()).default([]),
    /** our extra: the ranges this version declares, so analysis works offline */
    requires: z.record(z.string(), z.string()).optional(),
  })
  .passthrough()
export type LockEntry = z.infer<typeof LockEntry>

export const Lockfile = z
  .object({
    packs: z.record(z.string(), LockEntry),
    updated_at: z.string().optional(),
    ggen_version: z.string().optional(),
    profile: z.string().optional(),
  })
  .passthrough()
export type Lockfile = z.infer<typeof Lockfile>

// ---------- registry index (canonical, multi-version) ----------
export const RegistryVersion = z.object({
  version: z.string().min(1),
  dependencies: z.record(z.string(), z.string()).default({}),
  integrity: z.string().optional(),
  tarball: z.string().optional(),
  license: z.string().optional(),
  quality_score: z.number().min(0).max(100).optional(),
  production_ready: z.boolean().default(false),
  deprecated: z.string().nullable().optional(),
  /** who deprecated it, when, and what to use instead (`packs deprecate`; not covered by the signature) */
  replacement: z.string().optional(),
  deprecated_by: z.string().optional(),
  deprecated_at: z.string().optional(),
  yanked: z.boolean().default(false),
  yanked_by: z.string().optional(),
  yanked_at: z.string().optional(),
  yanked_reason: z.string().optional(),
  published_at: z.string().optional(),
  signature: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  ggen_compat: z.string().optional(),
})
export type RegistryVersion = z.infer<typeof RegistryVersion>

export const RegistryPackage = z.object({
  id: PackageId,
  name: z.string(),
  description: z.string().default(''),
  author: z.string().optional(),
  license: z.string().optional(),
  category: z.string().optional(),
  keywords: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  homepage: z.string().optional(),
  repository: z.string().optional(),
  downloads: z.number().optional(),
  versions: z.record(z.string(), RegistryVersion),
})
export type RegistryPackage = z.infer<typeof RegistryPackage>

export const RegistryKey = z.object({keyid: z.string(), public_key: z.string(), algorithm: z.literal('ed25519').default('ed25519')})
export type RegistryKey = z.infer<typeof RegistryKey>

export const RegistryIndex = z.object({
  format: z.literal('ggen-packs-registry/1'),
  name: z.string().optional(),
  updated_at: z.string().optional(),
  keys: z.array(RegistryKey).default([]),
  packages: z.record(z.string(), RegistryPackage),
})
export type RegistryIndex = z.infer<typeof RegistryIndex>

// ---------- environment manifest (seed Manifest model) ----------
export const ManifestPackage = z.object({
  id: PackageId,
  /** exact version once locked, a range otherwise */
  required_version: z.string().min(1),
  version: z.string().optional(),
  integrity: z.string().optional(),
  optional: z.boolean().default(false),
  tier: Tier.default('required'),
  transitive: z.boolean().default(false),
  dependencies: z.array(z.string()).optional(),
})
export type ManifestPackage = z.infer<typeof ManifestPackage>

export const Manifest = z.object({
  version: z.string().default('1'),
  created_at: z.string(),
  environment: z.string().min(1),
  packages: z.array(ManifestPackage),
  metadata: z.object({
    created_by: z.string(),
    team: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    locked_at: z.string().nullable().optional(),
    projects: z.array(z.string()).optional(),
  }),
})
export type Manifest = z.infer<typeof Manifest>

// ---------- audit log ----------
export const AuditEntry = z.object({
  seq: z.number().int().nonnegative(),
  timestamp: z.string(),
  user: z.string(),
  action: z.string(),
  details: z.string(),
  affected_packages: z.array(z.string()),
  result: z.enum(['success', 'failure']),
  environment: z.object({project: z.string().nullable(), machine: z.string(), os: z.string()}),
  /** the project's team, when the operation concerns a project that names one (absent otherwise: older entries hash the same) */
  team: z.string().optional(),
  prev_hash: z.string(),
  hash: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntry>
