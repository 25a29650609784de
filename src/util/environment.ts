/**
 * The environment, read in one place. Every variable ggen packs honours is declared in
 * `VARIABLES` (the table docs/formats.md shows) and read here, once per process, into a typed
 * `Environment`; no other module touches `process.env` (test/unit/architecture.test.ts checks).
 * `makeContext` (src/core/context.ts) carries the Environment and passes its values down;
 * deep tunables (timeouts, batch sizes, the fault injection) read the cached `environment()`.
 * Dependency-free, so every layer may use it.
 */

/** every variable read, with what it means (docs/formats.md lists the same names) */
export const VARIABLES = {
  GGEN_HOME: 'state folder (default `~/.ggen`)',
  GGEN_MACHINE: 'machine name for projects (default: config `machine`, then the host name)',
  GGEN_REGISTRY_URL: 'registry location(s), comma-separated (after `--registry`, before config `registries`)',
  GGEN_OFFLINE: 'same as `--offline` (`1`/`true`): only cached indexes and stored packages',
  GGEN_REGISTRY_TTL: 'seconds an http index stays fresh (300)',
  GGEN_HTTP_TIMEOUT_MS: 'timeout of one registry request (30000)',
  GGEN_MARKETPLACE_PUBLIC_KEY: 'a trusted registry public key (64 hex, base64 SPKI or PEM) for every registry',
  GGEN_REQUIRE_SIGNATURES: 'refuse registries that have no trusted key (`1`/`true`; `0`/`false` overrides config)',
  GGEN_BACKEND: 'graph backend when `--backend` is not given: `memory` or `neo4j`',
  GGEN_NEO4J_URI: 'Neo4j address (bolt://127.0.0.1:7687)',
  GGEN_NEO4J_USER: 'Neo4j user (neo4j)',
  GGEN_NEO4J_PASSWORD: 'Neo4j password',
  GGEN_NEO4J_DATABASE: 'Neo4j database (the server default)',
  GGEN_NEO4J_BATCH: 'rows per Neo4j write transaction in `graph sync` (5000)',
  GGEN_NEO4J_CONNECT_TIMEOUT_MS: 'Neo4j connection timeout (5000)',
  GGEN_PACKS_LOCK_TIMEOUT_MS: 'how long to wait for a project or state lock (120000)',
  GGEN_MAX_UNPACKED_BYTES: 'tarball extraction limit: total bytes (over config `limits`)',
  GGEN_MAX_FILES: 'tarball extraction limit: entries',
  GGEN_MAX_FILE_BYTES: 'tarball extraction limit: bytes of one entry',
  GGEN_USER: 'user name recorded in the audit log and history (default: the login name, then `USER`)',
  USER: 'user name when the login name cannot be read',
  GGEN_PROGRESS: '`0`/`1`: force progress output off/on',
  NO_COLOR: 'no colour (any non-empty value)',
  FORCE_COLOR: 'colour on stdout even when it is not a terminal (`0`/`false`: never); wins over NO_COLOR',
  TERM: '`dumb`: no colour, and progress prints one line per step',
  GGEN_AUDIT_MAX_BYTES: 'size at which the audit log is rotated into audit.log.N (33554432)',
  GGEN_NOW: 'the clock, an ISO date (`2026-03-01T12:00:00Z`), for tests and reproducible output: what audit entries, history generations and lockfile `installed_at` record, what `stats --timeline` and `--since` count back from, and the SBOM timestamp and serial number',
  SOURCE_DATE_EPOCH: 'reproducible builds: seconds since 1970 for the timestamps written into exported files (SBOM, graph exports) when GGEN_NOW is unset; never the audit clock',
  DEBUG: 'print the stack trace of an internal error',
  GGEN_PACKS_FAULT: 'test only: `fail:N`, `kill:N`, `fail:NAME`, `trace` (src/util/faults.ts)',
} as const

export type VariableName = keyof typeof VARIABLES

export interface Environment {
  /** GGEN_HOME, unresolved; undefined: `~/.ggen` */
  home?: string
  /** GGEN_MACHINE */
  machine?: string
  /** GGEN_REGISTRY_URL, split on commas */
  registryUrls: string[]
  /** GGEN_OFFLINE set to anything but empty, `0` or `false` */
  offline: boolean
  /** GGEN_REQUIRE_SIGNATURES; undefined when unset (config decides) */
  requireSignatures?: boolean
  /** GGEN_MARKETPLACE_PUBLIC_KEY (as given) */
  trustedKeys: string[]
  /** GGEN_BACKEND */
  backend?: string
  neo4j: {uri?: string; user?: string; password?: string; database?: string; batchSize: number; connectTimeoutMs: number}
  registryTtlSeconds: number
  httpTimeoutMs: number
  lockTimeoutMs: number
  /** GGEN_MAX_* as given (validated with the config by src/workspace/limits.ts) */
  limits: Partial<Record<string, string>>
  /** GGEN_USER, then USER (the login name sits between them, src/audit/log.ts) */
  user?: string
  fallbackUser?: string
  /** GGEN_PROGRESS: true = force on, false = force off */
  progress?: boolean
  noColor: boolean
  /** FORCE_COLOR as given */
  forceColor?: string
  /** TERM */
  term?: string
  auditMaxBytes: number
  debug: boolean
  /** GGEN_NOW as a time (ms since the epoch); undefined: the real clock (also when it is not a date) */
  now?: number
  /** the time exported files record: GGEN_NOW, else SOURCE_DATE_EPOCH, as an ISO time; undefined: the real clock */
  fixedTime?: string
  /** GGEN_PACKS_FAULT */
  fault?: string
}

type Vars = Partial<Record<string, string | undefined>>

const text = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v)
const flag = (v: string | undefined): boolean | undefined => (text(v) === undefined ? undefined : v !== '0' && v!.toLowerCase() !== 'false')
/** a number variable; unset, empty or not a non-negative number falls back to the default */
const number = (v: string | undefined, fallback: number): number => {
  const n = text(v) === undefined ? Number.NaN : Number(v)
  return Number.isFinite(n) && n >= 0 ? n : fallback
}

/** GGEN_NOW (an ISO time) or SOURCE_DATE_EPOCH (whole seconds) as an ISO time; neither readable: undefined */
function fixedClock(now: string | undefined, epoch: string | undefined): string | undefined {
  const iso = text(now) === undefined ? Number.NaN : Date.parse(now!)
  if (Number.isFinite(iso)) return new Date(iso).toISOString()
  const secs = text(epoch) !== undefined && /^\d+$/.test(epoch!.trim()) ? Number(epoch) * 1000 : Number.NaN
  return Number.isFinite(secs) && secs <= 8.64e15 ? new Date(secs).toISOString() : undefined
}

/** an ISO date variable as ms since the epoch; unset or not a date: undefined */
const instant = (v: string | undefined): number | undefined => {
  const t = text(v) === undefined ? Number.NaN : Date.parse(v!)
  return Number.isNaN(t) ? undefined : t
}

/** the Environment of a set of variables (tests pass their own) */
export function readEnvironment(vars: Vars): Environment {
  const v = (name: VariableName) => vars[name]
  return {
    home: text(v('GGEN_HOME')),
    machine: text(v('GGEN_MACHINE')),
    registryUrls: (v('GGEN_REGISTRY_URL') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    offline: flag(v('GGEN_OFFLINE')) ?? false,
    requireSignatures: flag(v('GGEN_REQUIRE_SIGNATURES')),
    trustedKeys: text(v('GGEN_MARKETPLACE_PUBLIC_KEY')) ? [v('GGEN_MARKETPLACE_PUBLIC_KEY')!] : [],
    backend: text(v('GGEN_BACKEND')),
    neo4j: {
      uri: text(v('GGEN_NEO4J_URI')),
      user: text(v('GGEN_NEO4J_USER')),
      password: text(v('GGEN_NEO4J_PASSWORD')),
      database: text(v('GGEN_NEO4J_DATABASE')),
      batchSize: number(v('GGEN_NEO4J_BATCH'), 5000) || 5000,
      connectTimeoutMs: number(v('GGEN_NEO4J_CONNECT_TIMEOUT_MS'), 5000),
    },
    registryTtlSeconds: number(v('GGEN_REGISTRY_TTL'), 300),
    httpTimeoutMs: number(v('GGEN_HTTP_TIMEOUT_MS'), 30_000),
    lockTimeoutMs: number(v('GGEN_PACKS_LOCK_TIMEOUT_MS'), 120_000),
    limits: {GGEN_MAX_UNPACKED_BYTES: v('GGEN_MAX_UNPACKED_BYTES'), GGEN_MAX_FILES: v('GGEN_MAX_FILES'), GGEN_MAX_FILE_BYTES: v('GGEN_MAX_FILE_BYTES')},
    user: text(v('GGEN_USER')),
    fallbackUser: text(v('USER')),
    progress: v('GGEN_PROGRESS') === '1' ? true : v('GGEN_PROGRESS') === '0' ? false : undefined,
    noColor: text(v('NO_COLOR')) !== undefined,
    forceColor: v('FORCE_COLOR'),
    term: text(v('TERM')),
    auditMaxBytes: number(v('GGEN_AUDIT_MAX_BYTES'), 32 * 1024 * 1024) || 32 * 1024 * 1024,
    debug: text(v('DEBUG')) !== undefined,
    now: instant(v('GGEN_NOW')),
    fixedTime: fixedClock(v('GGEN_NOW'), v('SOURCE_DATE_EPOCH')),
    fault: text(v('GGEN_PACKS_FAULT')),
  }
}

let cached: Environment | undefined

/** this process's Environment, read on first use */
export function environment(): Environment {
  return (cached ??= readEnvironment(process.env))
}

/** the time now: GGEN_NOW when set (tests replay days of history in seconds), else the real clock */
export function now(): Date {
  const fixed = environment().now
  return fixed === undefined ? new Date() : new Date(fixed)
}
