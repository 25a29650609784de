/**
 * PacksError is the one error type for anything a user can fix. A plain Error escaping to the
 * CLI is a bug. Codes are stable; the one documented table of exit and error codes is
 * docs/cli.md#exit-codes, and test/unit/exit-codes.test.ts checks it against this file.
 */
export const ExitCode = {
  OK: 0,
  /** findings: vulnerabilities, violations, drift, differences (when a flag asks for it) */
  FINDINGS: 1,
  USAGE: 2,
  /** bad input files: broken TOML/JSON, wrong types, dangling ids */
  INPUT: 3,
  /** resolution impossible, unknown package or version */
  RESOLVE: 4,
  /** integrity, signature, store corruption, path traversal, unsafe tarballs */
  INTEGRITY: 5,
  /** network / registry / neo4j unreachable, offline without cache */
  UNAVAILABLE: 6,
  /** lock held too long, concurrent modification */
  BUSY: 7,
  /** the file system or the machine refused: permissions, read-only or full disk, a file where a folder should be, too many open files */
  ENVIRONMENT: 8,
  /** a policy (bundle, license, quality) refused the change: nothing was written */
  POLICY: 9,
  /** internal error: a bug */
  INTERNAL: 70,
} as const

export type ErrorCode =
  | 'E_USAGE'
  | 'E_PARSE'
  | 'E_SCHEMA'
  | 'E_NOT_FOUND'
  | 'E_NO_PROJECT'
  | 'E_VERSION_NOT_FOUND'
  | 'E_RESOLVE'
  | 'E_INTEGRITY'
  | 'E_SIGNATURE'
  | 'E_PATH_TRAVERSAL'
  /** a tarball that is not a safe, well-formed gzipped tar within the extraction limits */
  | 'E_TARBALL'
  | 'E_REGISTRY'
  | 'E_OFFLINE'
  | 'E_LOCKED'
  | 'E_NEO4J'
  | 'E_NEO4J_AUTH'
  | 'E_READ_ONLY'
  | 'E_POLICY'
  | 'E_MANIFEST'
  | 'E_HISTORY'
  | 'E_INJECTED'
  | 'E_PERMISSION'
  | 'E_NO_SPACE'
  | 'E_FILESYSTEM'
  | 'E_RESOURCE'

/** the exit code of each error code (docs/cli.md#error-codes lists the same) */
export const ERROR_EXIT: Readonly<Record<ErrorCode, number>> = {
  E_USAGE: ExitCode.USAGE,
  E_PARSE: ExitCode.INPUT,
  E_SCHEMA: ExitCode.INPUT,
  E_NOT_FOUND: ExitCode.RESOLVE,
  E_NO_PROJECT: ExitCode.INPUT,
  E_VERSION_NOT_FOUND: ExitCode.RESOLVE,
  E_RESOLVE: ExitCode.RESOLVE,
  E_INTEGRITY: ExitCode.INTEGRITY,
  E_SIGNATURE: ExitCode.INTEGRITY,
  E_PATH_TRAVERSAL: ExitCode.INTEGRITY,
  E_TARBALL: ExitCode.INTEGRITY,
  E_REGISTRY: ExitCode.UNAVAILABLE,
  E_OFFLINE: ExitCode.UNAVAILABLE,
  E_LOCKED: ExitCode.BUSY,
  E_NEO4J: ExitCode.UNAVAILABLE,
  E_NEO4J_AUTH: ExitCode.UNAVAILABLE,
  E_READ_ONLY: ExitCode.USAGE,
  E_POLICY: ExitCode.POLICY,
  E_MANIFEST: ExitCode.INPUT,
  E_HISTORY: ExitCode.INPUT,
  E_INJECTED: ExitCode.INTERNAL,
  E_PERMISSION: ExitCode.ENVIRONMENT,
  E_NO_SPACE: ExitCode.ENVIRONMENT,
  E_FILESYSTEM: ExitCode.ENVIRONMENT,
  E_RESOURCE: ExitCode.ENVIRONMENT,
}

/** a PacksError as `--json` prints it (inside {"error": ...}); E_INTERNAL is a bug (exit 70) */
export interface PacksErrorJson {
  code: ErrorCode | 'E_INTERNAL'
  message: string
  /** how to fix it ("Try this:") */
  hint?: string
  /** file the problem was found in */
  file?: string
  /** dotted path of the field inside the file */
  field?: string
  details?: unknown
}

export interface PacksErrorOptions {
  hint?: string
  exitCode?: number
  /** file the problem was found in */
  file?: string
  /** dotted path of the field inside the file */
  field?: string
  details?: unknown
  cause?: unknown
}

export class PacksError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly exitCode: number
  readonly file?: string
  readonly field?: string
  readonly details?: unknown

  constructor(code: ErrorCode, message: string, opts: PacksErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = 'PacksError'
    this.code = code
    this.hint = opts.hint
    this.exitCode = opts.exitCode ?? ERROR_EXIT[code]
    this.file = opts.file
    this.field = opts.field
    this.details = opts.details
  }

  toJSON(): PacksErrorJson {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? {hint: this.hint} : {}),
      ...(this.file ? {file: this.file} : {}),
      ...(this.field ? {field: this.field} : {}),
      ...(this.details === undefined ? {} : {details: this.details}),
    }
  }
}

export const isPacksError = (e: unknown): e is PacksError => e instanceof PacksError

/** a documented error code (a problem recorded as {code, message} keeps its code when it is raised again) */
export const isErrorCode = (s: unknown): s is ErrorCode => typeof s === 'string' && Object.hasOwn(ERROR_EXIT, s)
