/**
 * `ggen.toml`: [project] name/team/owner/environment and [packs] id = "range" or
 * id = { version, optional, tier, env }. Real ggen's `{ path = ... }` / `{ git = ..., version = ... }`
 * forms are read too (path/git packs have no registry range: they read as "*" and are kept verbatim).
 * Versions of registry packs must be ranges (checked here, when the file is read: E_SCHEMA naming
 * file, key and range). Changes are edits in place of the user's file (editProjectToml, in
 * project-toml-edit.ts: reading it loads no TOML editor).
 */
import {basename} from 'node:path'
import {stringify as stringifyToml} from 'smol-toml'
import {PacksError} from '../domain/errors.js'
import {PackRequirement, ProjectConfig} from '../domain/schemas.js'
import {validRange} from '../resolve/versions.js'
import {readTextOrNull} from './fs.js'
import {isTable, parseTomlText, validate} from './parse.js'
import {projectFilePath} from './paths.js'

export {PROJECT_FILE, projectFilePath} from './paths.js'

export function parseProjectToml(text: string, file: string, dirName = 'project'): ProjectConfig {
  const raw = parseTomlText(text, file)
  const {project, packs, ...extra} = raw as {project?: unknown; packs?: unknown}
  if (project !== undefined && !isTable(project)) {
    throw new PacksError('E_SCHEMA', `${file}: field \`project\` must be a table`, {file, field: 'project'})
  }
  if (packs !== undefined && !isTable(packs)) {
    throw new PacksError('E_SCHEMA', `${file}: field \`packs\` must be a table of id = "range"`, {file, field: 'packs'})
  }
  const normalized = Object.fromEntries(Object.entries(packs ?? {}).map(([id, spec]) => [id, normalizeSpec(id, spec, file)]))
  const cfg = validate(ProjectConfig, {project: {name: dirName, ...project}, packs: normalized, extra}, file)
  // keep the raw (path/git) specs so a fresh rewrite does not lose them
  for (const [id, spec] of Object.entries(packs ?? {})) {
    if (isTable(spec) && ('path' in spec || 'git' in spec)) ((cfg.extra.__rawPacks ??= {}) as Record<string, unknown>)[id] = spec
  }
  return cfg
}

/** one [packs] entry -> the fields of PackRequirement (version checked as a range unless path/git) */
function normalizeSpec(id: string, spec: unknown, file: string): Record<string, unknown> {
  const field = `packs.${id}`
  if (typeof spec === 'string') return {version: checkRange(spec, file, field)}
  if (!isTable(spec)) throw new PacksError('E_SCHEMA', `${file}: field \`${field}\` must be a version range string or a table`, {file, field})
  if (Object.values(spec).some(isTable)) throw dottedKeyError(id, spec, file)
  // real ggen: { path = "..." } or { git = "...", version = "..." }: no registry range to check
  const registry = !('path' in spec) && !('git' in spec)
  const version = typeof spec.version === 'string' && registry ? checkRange(spec.version, file, `${field}.version`) : (spec.version ?? '*')
  return Object.fromEntries(Object.entries({...spec, version}).filter(([k]) => SPEC_FIELDS.has(k)))
}

const SPEC_FIELDS = new Set(['version', 'optional', 'tier', 'env'])

/**
 * `io.x.y = "1"` (unquoted) is the dotted key io -> x -> y in TOML, not the id "io.x.y"; so is a
 * header [packs.io.x]. Name the id the user most likely meant: follow the nested tables down to a
 * value or to a table holding pack settings.
 */
function dottedKeyError(id: string, spec: Record<string, unknown>, file: string): PacksError {
  const isSetting = (k: string) => SPEC_FIELDS.has(k) || k === 'path' || k === 'git'
  if (Object.keys(spec).some(isSetting)) {
    const k = Object.keys(spec).find((x) => isTable(spec[x]))!
    return new PacksError('E_SCHEMA', `${file}: field \`packs.${id}.${k}\` is a table, not a pack setting`, {file, field: `packs.${id}.${k}`, hint: 'Pack settings are version, optional, tier, env (and path/git). Nothing was changed.'})
  }
  const parts = [id]
  let t = spec
  while (!Object.keys(t).some(isSetting)) {
    const [k, v] = Object.entries(t).find(([, x]) => isTable(x)) ?? Object.entries(t)[0] ?? []
    if (k === undefined) break
    parts.push(k)
    if (!isTable(v)) break
    t = v
  }
  const meant = parts.join('.')
  return new PacksError('E_SCHEMA', `${file}: field \`packs.${meant}\`: an unquoted key with dots is a dotted key in TOML (nested tables), so this is not the package id "${meant}"`, {
    file,
    field: `packs.${meant}`,
    hint: `Quote a package id that contains dots: "${meant}" = "^1.0" under [packs] (or a [packs."${meant}"] header). Nothing was changed.`,
  })
}

function checkRange(range: string, file: string, field: string): string {
  if (validRange(range)) return range
  throw new PacksError('E_SCHEMA', `${file}: field \`${field}\`: \`${range}\` is not a version range`, {
    file,
    field,
    hint: 'Use an exact version (1.2.3) or a range such as ^1.2, ~1.2.3, >=1 <2, 1.x or *. Nothing was changed.',
  })
}

export function readProjectToml(dir: string): ProjectConfig | null {
  const file = projectFilePath(dir)
  const text = readTextOrNull(file)
  if (text === null) return null
  return parseProjectToml(text, file, basename(dir))
}

/** a fresh ggen.toml (no file yet): [project], [packs] sorted, then the other tables */
export function serializeProjectToml(cfg: ProjectConfig): string {
  const {__rawPacks, ...extra} = cfg.extra as Record<string, unknown> & {__rawPacks?: Record<string, unknown>}
  const project: Record<string, unknown> = {name: cfg.project.name}
  if (cfg.project.team) project.team = cfg.project.team
  if (cfg.project.owner) project.owner = cfg.project.owner
  if (cfg.project.environment) project.environment = cfg.project.environment
  const packs: Record<string, unknown> = {}
  for (const id of Object.keys(cfg.packs).sort()) packs[id] = specValue(__rawPacks?.[id], cfg.packs[id]!)
  return stringifyToml({project, packs, ...extra}) + '\n'
}

/** the TOML value for a requirement: the user's table kept (path/git/unknown fields) or "range" / { version, ... } */
export function specValue(raw: unknown, r: PackRequirement): unknown {
  if (isTable(raw)) return mergeRawSpec(raw, r)
  if (!r.optional && r.tier === 'required' && !r.env) return r.version
  const t: Record<string, unknown> = {version: r.version}
  if (r.optional) t.optional = true
  if (r.tier !== 'required') t.tier = r.tier
  if (r.env) t.env = r.env
  return t
}

/**
 * A real-ggen `{ path = ... }` / `{ git = ..., version = ... }` spec with the requirement's current
 * values applied, so an update of the version (or optional/tier/env) of such a pack is not lost.
 */
function mergeRawSpec(raw: Record<string, unknown>, r: PackRequirement): Record<string, unknown> {
  const t: Record<string, unknown> = {...raw}
  if (r.version !== '*' || 'version' in raw) t.version = r.version
  if (r.optional) t.optional = true
  else delete t.optional
  if (r.tier !== 'required') t.tier = r.tier
  else delete t.tier
  if (r.env) t.env = r.env
  else delete t.env
  return t
}
