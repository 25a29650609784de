/**
 * $GGEN_HOME/config.json: registries, backend, neo4j connection, machine name.
 * Environment variables win over the file (documented in docs/formats.md#config).
 */
import {PacksError} from '../domain/errors.js'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {parseJsonText} from '../formats/parse.js'
import {LIMIT_NAMES, type ExtractLimits} from '../store/limits.js'
import {environment, type Environment} from '../util/environment.js'
import {homePaths, machineName, type HomePaths} from './home.js'

export interface Config {
  registries: string[]
  backend: 'memory' | 'neo4j'
  machine?: string
  neo4j: {uri?: string; user?: string; password?: string; database?: string}
  /** trusted registry keys; `registry` limits a key to one registry (absent: every registry) */
  registry_keys: {keyid: string; public_key: string; registry?: string}[]
  /** refuse registries that have no trusted key (also GGEN_REQUIRE_SIGNATURES=1, --require-signatures) */
  require_signatures: boolean
  /** extraction limits (src/store/limits.ts); environment variables win (src/workspace/limits.ts) */
  limits?: Partial<ExtractLimits>
  /** the advisory database (security-scan): where updates come from, the ecosystem matched, the maximum age */
  advisories?: {source?: string; ecosystem?: string; max_age_days?: number}
}

export const defaultConfig = (): Config => ({registries: [], backend: 'memory', neo4j: {}, registry_keys: [], require_signatures: false})


export function readConfig(paths: HomePaths = homePaths()): Config {
  const text = readTextOrNull(paths.config)
  if (text === null) return defaultConfig()
  return checkConfig(parseJsonText(text, paths.config), paths.config)
}

/**
 * Validate config.json by hand (it is read by every command; a schema library would cost more
 * start-up time than the whole check). Errors name the file and the field.
 */
export function checkConfig(raw: unknown, file: string): Config {
  const bad = (field: string, want: string) =>
    new PacksError('E_SCHEMA', `${file}: field \`${field}\`: expected ${want}`, {file, field, hint: 'Fix the config file (see docs/formats.md, $GGEN_HOME); nothing was changed.'})
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('(root)', 'an object')
  const r = raw as Record<string, unknown>
  const cfg = defaultConfig()
  if (r.registries !== undefined) {
    if (!Array.isArray(r.registries)) throw bad('registries', 'an array of registry locations')
    r.registries.forEach((x, i) => {
      if (typeof x !== 'string') throw bad(`registries[${i}]`, 'a string')
    })
    cfg.registries = r.registries as string[]
  }
  if (r.backend !== undefined) {
    if (r.backend !== 'memory' && r.backend !== 'neo4j') throw bad('backend', '"memory" or "neo4j"')
    cfg.backend = r.backend
  }
  if (r.machine !== undefined) {
    if (typeof r.machine !== 'string') throw bad('machine', 'a string')
    cfg.machine = r.machine
  }
  if (r.neo4j !== undefined) {
    if (!r.neo4j || typeof r.neo4j !== 'object' || Array.isArray(r.neo4j)) throw bad('neo4j', 'an object {uri, user, password, database}')
    for (const k of ['uri', 'user', 'password', 'database'] as const) {
      const v = (r.neo4j as Record<string, unknown>)[k]
      if (v !== undefined && typeof v !== 'string') throw bad(`neo4j.${k}`, 'a string')
      if (typeof v === 'string') cfg.neo4j[k] = v
    }
  }
  if (r.registry_keys !== undefined) {
    if (!Array.isArray(r.registry_keys)) throw bad('registry_keys', 'an array of {keyid, public_key}')
    r.registry_keys.forEach((k, i) => {
      if (!k || typeof k !== 'object' || typeof (k as {public_key?: unknown}).public_key !== 'string') throw bad(`registry_keys[${i}].public_key`, 'a string')
    })
    r.registry_keys.forEach((k, i) => {
      const reg = (k as {registry?: unknown}).registry
      if (reg !== undefined && typeof reg !== 'string') throw bad(`registry_keys[${i}].registry`, 'a registry location (string)')
    })
    cfg.registry_keys = (r.registry_keys as {keyid?: string; public_key: string; registry?: string}[]).map((k) => ({keyid: k.keyid ?? '', public_key: k.public_key, ...(k.registry ? {registry: k.registry} : {})}))
  }
  if (r.require_signatures !== undefined) {
    if (typeof r.require_signatures !== 'boolean') throw bad('require_signatures', 'true or false')
    cfg.require_signatures = r.require_signatures
  }
  if (r.limits !== undefined) {
    if (!r.limits || typeof r.limits !== 'object' || Array.isArray(r.limits)) throw bad('limits', `an object {${LIMIT_NAMES.join(', ')}}`)
    const l = r.limits as Record<string, unknown>
    for (const k of Object.keys(l)) if (!(LIMIT_NAMES as string[]).includes(k)) throw bad(`limits.${k}`, `one of ${LIMIT_NAMES.join(', ')}`)
    for (const k of LIMIT_NAMES) {
      const v = l[k]
      if (v !== undefined && !(typeof v === 'number' && Number.isSafeInteger(v) && v > 0)) throw bad(`limits.${k}`, 'a positive whole number')
    }
    cfg.limits = l as Partial<ExtractLimits>
  }
  if (r.advisories !== undefined) cfg.advisories = checkAdvisories(r.advisories, bad)
  return cfg
}

function checkAdvisories(raw: unknown, bad: (field: string, want: string) => PacksError): NonNullable<Config['advisories']> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('advisories', 'an object {source, ecosystem, max_age_days}')
  const a = raw as Record<string, unknown>
  for (const k of ['source', 'ecosystem'] as const) if (a[k] !== undefined && (typeof a[k] !== 'string' || a[k] === '')) throw bad(`advisories.${k}`, 'a non-empty string')
  if (a.max_age_days !== undefined && !(typeof a.max_age_days === 'number' && Number.isFinite(a.max_age_days) && a.max_age_days >= 0)) throw bad('advisories.max_age_days', 'a number of days (0 or more)')
  return {...(a.source ? {source: a.source as string} : {}), ...(a.ecosystem ? {ecosystem: a.ecosystem as string} : {}), ...(a.max_age_days !== undefined ? {max_age_days: a.max_age_days as number} : {})}
}

export function writeConfig(cfg: Config, paths: HomePaths = homePaths()): void {
  writeJsonAtomic(paths.config, cfg)
}

/**
 * Registry precedence (first wins for a package id that several registries carry):
 *   1. --registry flags (in the order given)
 *   2. GGEN_REGISTRY_URL (comma-separated)
 *   3. config.json `registries`
 */
export function registryUrls(cfg: Config, flags: string[] = [], env: Pick<Environment, 'registryUrls'> = environment()): string[] {
  const all = [...flags, ...env.registryUrls, ...cfg.registries]
  return [...new Set(all)]
}

export function isOffline(flag?: boolean, env: Pick<Environment, 'offline'> = environment()): boolean {
  return flag === true || env.offline
}

/** GGEN_REQUIRE_SIGNATURES=1 (or true), the flag, or config `require_signatures` */
export function requireSignatures(cfg: Config, flag?: boolean, env: Pick<Environment, 'requireSignatures'> = environment()): boolean {
  if (flag) return true
  return env.requireSignatures ?? cfg.require_signatures
}

export function resolveMachine(cfg: Config, flag?: string, env: Pick<Environment, 'machine'> = environment()): string {
  return flag || env.machine || cfg.machine || machineName(env)
}
