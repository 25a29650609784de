/**
 * Marketplace pack bundles: `marketplace/packs/<id>.toml` with a `[pack]` table (ggen `packs`
 * v3.3+): id, name, version, description, category, author, license, production_ready,
 * `packages = [names]` (some names are not in any registry), optional
 * `dependencies = [{pack_id, version, optional}]`, `[[pack.templates]]`, `[pack.metadata] tags/keywords`.
 * SPARQL queries and conformance tables describe generation and are not kept.
 */
import {splitAt} from '../domain/spec.js'
import {z} from 'zod'
import {PacksError} from '../domain/errors.js'
import {PackageId, type RegistryIndex} from '../domain/schemas.js'
import {parseTomlText, validate} from './parse.js'

export const PackBundleDependency = z.object({
  pack_id: PackageId,
  version: z.string().min(1).default('*'),
  optional: z.boolean().default(false),
})
export type PackBundleDependency = z.infer<typeof PackBundleDependency>

export const PackBundleDef = z.object({
  id: PackageId,
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().default(''),
  category: z.string().optional(),
  author: z.string().optional(),
  license: z.string().optional(),
  repository: z.string().optional(),
  production_ready: z.boolean().optional(),
  /** package names the bundle installs (may name packages a registry does not hold) */
  packages: z.array(z.string().min(1)).default([]),
  dependencies: z.array(PackBundleDependency).default([]),
  /** names of the `[[pack.templates]]` entries */
  templates: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  keywords: z.array(z.string()).default([]),
})
export type PackBundleDef = z.infer<typeof PackBundleDef>

const isTable = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** `[pack]` table (already parsed TOML) -> PackBundleDef; PacksError naming file and `pack.<field>` */
export function normalizePackBundleRaw(raw: Record<string, unknown>, file: string): PackBundleDef {
  const pack = raw.pack
  if (!isTable(pack)) {
    throw new PacksError('E_SCHEMA', `${file}: missing \`[pack]\` table`, {
      file,
      field: 'pack',
      hint: 'A pack bundle file needs [pack] id, name, version and packages = ["name", ...].',
    })
  }
  const meta = isTable(pack.metadata) ? pack.metadata : {}
  const templates = Array.isArray(pack.templates)
    ? pack.templates.map((t) => (isTable(t) && typeof t.name === 'string' ? t.name : typeof t === 'string' ? t : undefined)).filter((t): t is string => t !== undefined)
    : undefined
  const dependencies = Array.isArray(pack.dependencies)
    ? pack.dependencies.map((d) => {
        if (typeof d !== 'string') return d
        const {id, rest} = splitAt(d)
        return rest !== undefined ? {pack_id: id, version: rest || '*'} : {pack_id: id}
      })
    : pack.dependencies
  const value = {
    id: pack.id ?? pack.name,
    name: pack.name ?? pack.id,
    version: pack.version,
    description: pack.description ?? '',
    category: pack.category,
    author: pack.author,
    license: pack.license,
    repository: pack.repository,
    production_ready: pack.production_ready,
    packages: pack.packages,
    dependencies,
    templates,
    tags: pack.tags ?? meta.tags,
    keywords: pack.keywords ?? meta.keywords,
  }
  return validate(PackBundleDef, value, file, 'pack')
}

export function parsePackBundle(text: string, file: string): PackBundleDef {
  return normalizePackBundleRaw(parseTomlText(text, file), file)
}

/** the bundle's package names that `index` does not hold (real bundles name e.g. `tera`, `api-gateway-service-mesh`) */
export function bundlePackagesMissingFrom(bundle: PackBundleDef, index: RegistryIndex): string[] {
  return bundle.packages.filter((name) => !index.packages[name])
}
