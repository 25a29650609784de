/**
 * `gpack.toml` package manifests, canonical `[gpack]` form plus the Cargo-like `[package]` form
 * and marketplace `package.toml` (handled in legacy.ts via normalizeGpackRaw).
 */
import {join} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {GpackManifest} from '../domain/schemas.js'
import {readTextOrNull} from './fs.js'
import {parseTomlText, validate} from './parse.js'

export const GPACK_FILE = 'gpack.toml'

/** normalise the known table shapes into the GpackManifest input; `[gpack]` wins over `[package]` */
export function normalizeGpackRaw(raw: Record<string, unknown>, file: string): {value: Record<string, unknown>; base: string} {
  const deps = (raw.dependencies ?? {}) as unknown
  if (raw.gpack && typeof raw.gpack === 'object') {
    const g = raw.gpack as Record<string, unknown>
    const authors = g.authors ?? (typeof g.author === 'string' ? [g.author] : undefined)
    return {value: {...g, authors, dependencies: normalizeDeps(deps, file)}, base: 'gpack'}
  }
  if (raw.package && typeof raw.package === 'object') {
    const p = raw.package as Record<string, unknown>
    const tags = raw.tags as Record<string, unknown> | undefined
    const market = raw.marketplace as Record<string, unknown> | undefined
    const authors = p.authors ?? (typeof p.author === 'string' ? [p.author] : undefined)
    const pr = market?.production_ready ?? tags?.['production-ready'] ?? p.production_ready
    const pdeps = p.dependencies ?? deps
    return {
      value: {
        id: p.id ?? p.name,
        name: p.name,
        version: p.version,
        description: p.description ?? '',
        license: p.license,
        authors,
        repository: p.repository,
        homepage: p.homepage,
        keywords: p.keywords ?? [],
        tags: Array.isArray(p.tags) ? p.tags : [],
        category: p.category,
        production_ready: typeof pr === 'boolean' ? pr : undefined,
        quality_score: typeof p.maturity === 'number' ? p.maturity : undefined,
        dependencies: normalizeDeps(pdeps, file),
      },
      base: 'package',
    }
  }
  throw new PacksError('E_SCHEMA', `${file}: missing \`[gpack]\` table (or legacy \`[package]\`)`, {file, field: 'gpack', hint: 'A gpack.toml needs [gpack] id, name, version.'})
}

/** `{id = "range"}`, `{id = {version = "range"}}` or `["id", "id@range"]` -> {id: range} */
export function normalizeDeps(deps: unknown, file: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (Array.isArray(deps)) {
    for (const d of deps) {
      if (typeof d !== 'string') continue
      const at = d.lastIndexOf('@')
      if (at > 0) out[d.slice(0, at)] = d.slice(at + 1) || '*'
      else out[d] = '*'
    }
    return out
  }
  if (deps && typeof deps === 'object') {
    for (const [id, spec] of Object.entries(deps as Record<string, unknown>)) {
      if (typeof spec === 'string') out[id] = spec
      else if (spec && typeof spec === 'object' && typeof (spec as {version?: unknown}).version === 'string') out[id] = (spec as {version: string}).version
      else if (spec && typeof spec === 'object') out[id] = '*'
      else throw new PacksError('E_SCHEMA', `${file}: field \`dependencies.${id}\` must be a version range`, {file, field: `dependencies.${id}`})
    }
  }
  return out
}

export function parseGpackToml(text: string, file: string): GpackManifest {
  const raw = parseTomlText(text, file)
  const {value, base} = normalizeGpackRaw(raw, file)
  return validate(GpackManifest, value, file, base)
}

export function readGpackToml(dir: string): GpackManifest | null {
  const file = join(dir, GPACK_FILE)
  const text = readTextOrNull(file)
  return text === null ? null : parseGpackToml(text, file)
}
