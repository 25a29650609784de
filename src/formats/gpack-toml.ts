/**
 * `gpack.toml` package manifests, canonical `[gpack]` form plus the Cargo-like `[package]` form
 * and marketplace `package.toml` (handled in legacy.ts via normalizeGpackRaw).
 */
import {splitDependency} from '../domain/spec.js'
import {basename, join} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {GpackManifest} from '../domain/schemas.js'
import {readTextOrNull} from './fs.js'
import {parseTomlText, validate} from './parse.js'

export const GPACK_FILE = 'gpack.toml'

/** warnings for things a lenient reader drops or guesses (never silently) */
export type ManifestWarn = (message: string) => void

const isTable = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/**
 * A list of strings from the shapes real manifests use: `["a", "b"]`, or a sub-table holding such
 * lists (`[package.tags] tags = [...]`, seen in 10 marketplace package.toml files).
 */
export function stringList(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  if (isTable(v)) {
    const out: string[] = []
    for (const x of Object.values(v)) if (Array.isArray(x)) out.push(...x.filter((y): y is string => typeof y === 'string'))
    return out
  }
  return undefined
}

/**
 * normalise the known table shapes into the GpackManifest input; `[gpack]` wins over `[package]`
 * (Cargo-like gpack.toml and marketplace package.toml), which wins over `[pack]` (the engine
 * `pack.toml`: name/version/description only).
 */
export function normalizeGpackRaw(raw: Record<string, unknown>, file: string, warn: ManifestWarn = () => {}): {value: Record<string, unknown>; base: string} {
  const deps = (raw.dependencies ?? {}) as unknown
  if (isTable(raw.gpack)) {
    const g = raw.gpack
    const authors = g.authors ?? (typeof g.author === 'string' ? [g.author] : undefined)
    return {value: {...g, authors, dependencies: normalizeDeps(deps, file)}, base: 'gpack'}
  }
  if (isTable(raw.package)) {
    const p = raw.package
    const tags = isTable(raw.tags) ? raw.tags : undefined
    const market = isTable(raw.marketplace) ? raw.marketplace : undefined
    const metadata = isTable(raw.metadata) ? raw.metadata : undefined
    const authors = stringList(p.authors) ?? (typeof p.author === 'string' ? [p.author] : undefined)
    const pr = market?.production_ready ?? tags?.['production-ready'] ?? p.production_ready
    const categories = stringList(p.categories)
    return {
      value: {
        id: p.id ?? p.name,
        name: p.name,
        version: p.version,
        description: p.description ?? '',
        license: p.license,
        authors,
        repository: p.repository ?? str(metadata?.repository),
        homepage: p.homepage ?? str(metadata?.homepage),
        keywords: stringList(p.keywords) ?? p.keywords ?? [],
        tags: stringList(p.tags) ?? [],
        category: p.category ?? str(market?.category) ?? categories?.[0],
        production_ready: typeof pr === 'boolean' ? pr : undefined,
        quality_score: typeof p.maturity === 'number' ? p.maturity : undefined,
        dependencies: packageFormDeps(raw, p, file, warn),
      },
      base: 'package',
    }
  }
  if (isTable(raw.pack) && raw.pack.packages === undefined) {
    const k = raw.pack
    return {
      value: {
        id: k.id ?? k.name,
        name: k.name,
        version: k.version,
        description: k.description ?? '',
        license: k.license,
        authors: stringList(k.authors) ?? (typeof k.author === 'string' ? [k.author] : undefined),
        repository: k.repository,
        keywords: stringList(k.keywords) ?? [],
        tags: stringList(k.tags) ?? [],
        category: k.category,
        production_ready: typeof k.production_ready === 'boolean' ? k.production_ready : undefined,
        dependencies: normalizeDeps(k.dependencies ?? deps, file),
      },
      base: 'pack',
    }
  }
  throw new PacksError('E_SCHEMA', `${file}: missing \`[gpack]\` table (or legacy \`[package]\`)`, {
    file,
    field: 'gpack',
    hint: 'A gpack.toml needs [gpack] id, name, version (a marketplace bundle with [pack] packages = [...] is read with parsePackBundle).',
  })
}

/**
 * Dependencies of the `[package]` forms. `[package] dependencies = ["name", "name@range"]` is what
 * ggen's marketplace reads. In marketplace `package.toml` a top-level `[dependencies]` table lists the
 * crates of the *generated* code (serde, tokio, even `rdf_ontology = "ontology/x.ttl"`), and ggen's
 * registry ignores it; the one gpack-shaped form, `[dependencies] required = [...]`, is honoured.
 * In a Cargo-like `gpack.toml` a top-level `[dependencies]` table is read as gpack ids -> ranges.
 */
function packageFormDeps(raw: Record<string, unknown>, p: Record<string, unknown>, file: string, warn: ManifestWarn): Record<string, string> {
  if (p.dependencies !== undefined) return normalizeDeps(p.dependencies, file, 'package.dependencies')
  const top = raw.dependencies
  if (!isTable(top)) return normalizeDeps(top, file)
  if (Array.isArray(top.required) || Array.isArray(top.optional)) {
    const out = normalizeDeps(top.required ?? [], file, 'dependencies.required')
    const optional = stringList(top.optional) ?? []
    if (optional.length > 0) warn(`${file}: optional dependencies ${optional.join(', ')} (field \`dependencies.optional\`) are not gpack requirements; not added`)
    return out
  }
  const marketplaceForm = raw.marketplace !== undefined || basename(file) === 'package.toml'
  if (marketplaceForm) {
    const names = Object.keys(top)
    if (names.length > 0) warn(`${file}: top-level [dependencies] (${names.join(', ')}) describe the generated code, not gpacks; ignored as ggen's marketplace does (use \`[package] dependencies = [...]\`)`)
    return {}
  }
  return normalizeDeps(top, file)
}

/** `{id = "range"}`, `{id = {version = "range"}}` or `["id", "id@range"]` -> {id: range} */
export function normalizeDeps(deps: unknown, file: string, field = 'dependencies'): Record<string, string> {
  const out: Record<string, string> = {}
  if (Array.isArray(deps)) {
    for (const d of deps) {
      if (typeof d !== 'string') continue
      const {id, range} = splitDependency(d)
      out[id] = range
    }
    return out
  }
  if (deps && typeof deps === 'object') {
    for (const [id, spec] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof spec === 'string') out[id] = spec
      else if (spec && typeof spec === 'object' && typeof (spec as {version?: unknown}).version === 'string') out[id] = (spec as {version: string}).version
      else if (spec && typeof spec === 'object') out[id] = '*'
      else throw new PacksError('E_SCHEMA', `${file}: field \`${field}.${id}\` must be a version range`, {file, field: `${field}.${id}`, hint: 'Write `id = "^1.0"` or `id = { version = "^1.0" }`.'})
    }
  }
  return out
}

export function parseGpackToml(text: string, file: string, warn: ManifestWarn = () => {}): GpackManifest {
  const raw = parseTomlText(text, file)
  const {value, base} = normalizeGpackRaw(raw, file, warn)
  return validate(GpackManifest, value, file, base)
}

export function readGpackToml(dir: string): GpackManifest | null {
  const file = join(dir, GPACK_FILE)
  const text = readTextOrNull(file)
  return text === null ? null : parseGpackToml(text, file)
}
