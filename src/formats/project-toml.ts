/**
 * `ggen.toml`: [project] name/team/owner/environment and [packs] id = "range" or
 * id = { version, optional, tier, env }. Real ggen's `{ path = ... }` / `{ git = ..., version = ... }`
 * forms are read too (path/git packs have no registry range: they read as "*" and are kept verbatim).
 * Every other table is preserved when we rewrite the file.
 */
import {basename} from 'node:path'
import {stringify as stringifyToml} from 'smol-toml'
import {PacksError} from '../domain/errors.js'
import {PackRequirement, ProjectConfig} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic, type WriteResult} from './fs.js'
import {parseTomlText, validate} from './parse.js'
import {projectFilePath} from './paths.js'

export {PROJECT_FILE, projectFilePath} from './paths.js'

export function parseProjectToml(text: string, file: string, dirName = 'project'): ProjectConfig {
  const raw = parseTomlText(text, file)
  const {project, packs, ...extra} = raw as {project?: unknown; packs?: unknown}
  if (project !== undefined && (typeof project !== 'object' || project === null || Array.isArray(project))) {
    throw new PacksError('E_SCHEMA', `${file}: field \`project\` must be a table`, {file, field: 'project'})
  }
  const proj = {name: dirName, ...(project as Record<string, unknown> | undefined)}
  const normalized: Record<string, unknown> = {}
  if (packs !== undefined) {
    if (typeof packs !== 'object' || packs === null || Array.isArray(packs)) {
      throw new PacksError('E_SCHEMA', `${file}: field \`packs\` must be a table of id = "range"`, {file, field: 'packs'})
    }
    for (const [id, spec] of Object.entries(packs as Record<string, unknown>)) {
      if (typeof spec === 'string') normalized[id] = {version: spec}
      else if (spec && typeof spec === 'object' && !Array.isArray(spec)) {
        const s = spec as Record<string, unknown>
        // real ggen: { path = "..." } or { git = "...", version = "..." }
        normalized[id] = {...s, version: typeof s.version === 'string' ? s.version : s.version ?? '*'}
        for (const k of Object.keys(s)) if (!['version', 'optional', 'tier', 'env'].includes(k)) delete (normalized[id] as Record<string, unknown>)[k]
      } else {
        throw new PacksError('E_SCHEMA', `${file}: field \`packs.${id}\` must be a version range string or a table`, {file, field: `packs.${id}`})
      }
    }
  }
  const cfg = validate(ProjectConfig, {project: proj, packs: normalized, extra}, file)
  // keep the raw (path/git) specs so a rewrite does not lose them
  if (packs) for (const [id, spec] of Object.entries(packs as Record<string, unknown>)) {
    if (spec && typeof spec === 'object' && ('path' in spec || 'git' in spec)) {
      ;(cfg.extra.__rawPacks ??= {}) as Record<string, unknown>
      ;(cfg.extra.__rawPacks as Record<string, unknown>)[id] = spec
    }
  }
  return cfg
}

export function readProjectToml(dir: string): ProjectConfig | null {
  const file = projectFilePath(dir)
  const text = readTextOrNull(file)
  if (text === null) return null
  return parseProjectToml(text, file, basename(dir))
}

export function serializeProjectToml(cfg: ProjectConfig): string {
  const {__rawPacks, ...extra} = cfg.extra as Record<string, unknown> & {__rawPacks?: Record<string, unknown>}
  const project: Record<string, unknown> = {name: cfg.project.name}
  if (cfg.project.team) project.team = cfg.project.team
  if (cfg.project.owner) project.owner = cfg.project.owner
  if (cfg.project.environment) project.environment = cfg.project.environment
  const packs: Record<string, unknown> = {}
  for (const id of Object.keys(cfg.packs).sort()) {
    const r: PackRequirement = cfg.packs[id]!
    const raw = __rawPacks?.[id]
    if (raw && typeof raw === 'object') packs[id] = mergeRawSpec(raw as Record<string, unknown>, r)
    else if (!r.optional && r.tier === 'required' && !r.env) packs[id] = r.version
    else {
      const t: Record<string, unknown> = {version: r.version}
      if (r.optional) t.optional = true
      if (r.tier !== 'required') t.tier = r.tier
      if (r.env) t.env = r.env
      packs[id] = t
    }
  }
  return stringifyToml({project, packs, ...extra}) + '\n'
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

export function writeProjectToml(dir: string, cfg: ProjectConfig): WriteResult {
  return writeFileAtomic(projectFilePath(dir), serializeProjectToml(cfg))
}
