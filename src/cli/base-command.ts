/**
 * The one base command: owns --json output (the result alone; a failure as {"error": ...},
 * schemas/json/error.json), maps errors to exit codes with a "Try this:" hint (file-system
 * faults such as EACCES or ENOSPC through the one table in src/domain/io-errors.ts), and carries
 * the shared context (GGEN_HOME paths, config, machine, registries, offline).
 * Commands stay thin: parse -> context -> core use-case -> return data (the --json value) and
 * render it for people when --json is off.
 */
import {Command} from '@oclif/core'
import type {Interfaces} from '@oclif/core'

// oclif's own (unexported) constraints on parse()'s type parameters
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FlagOutput = {[name: string]: any}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ArgOutput = {[name: string]: any}
type Input<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput> = Interfaces.Input<F, B, A>
type ParserOutput<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput> = Interfaces.ParserOutput<F, B, A>
import {ExitCode, isPacksError, PacksError} from '../domain/errors.js'
import {environment} from '../util/environment.js'
import {asFault, writeError, type ErrorOutput} from './error-output.js'
import {homePaths, type HomePaths} from '../workspace/home.js'
import {readConfig, type Config} from '../workspace/config.js'
import {Progress} from './progress.js'
import {writeJsonPieces} from '../util/json-chunks.js'
import {writeOutput, type Written} from './output.js'
import {withoutColor} from './render.js'

export abstract class PacksCommand extends Command {
  static override enableJsonFlag = true

  private _paths?: HomePaths
  private _config?: Config
  private _progress?: Progress

  get paths(): HomePaths {
    return (this._paths ??= homePaths())
  }

  get packsConfig(): Config {
    return (this._config ??= readConfig(this.paths))
  }

  get progress(): Progress {
    return (this._progress ??= new Progress(!this.jsonEnabled()))
  }

  /**
   * Every error oclif raises while parsing flags and arguments (unknown flag, a missing
   * `exists: true` file or folder, a bad option value) is a usage error, exit 2 — never a bug.
   */
  protected override async parse<F extends FlagOutput, B extends FlagOutput, A extends ArgOutput>(options?: Input<F, B, A>, argv?: string[]): Promise<ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      if (isPacksError(error)) throw error
      const message = (error as Error).message ?? String(error)
      throw new PacksError('E_USAGE', message.replace(/\nSee more help with --help$/, ''), {hint: `See \`${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help\` for the flags, arguments and examples.`})
    }
  }

  /**
   * --json output. oclif's default colourises the whole document token by token (about a second
   * for a 5 MB list); machines get plain JSON, written as JSON.stringify(json, null, 2) would
   * write it, a long array in pieces (src/util/json-chunks.ts).
   */
  protected override logJson(json: unknown): void {
    // through a pipe, one piece at a time (exit codes are set through process.exitCode: the
    // process ends once the last piece is written)
    writeJsonPieces(process.stdout, json)
  }

  /** print for people (only when --json is off) */
  protected out(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : text + '\n')
  }

  /**
   * Write a rendered form: to `output` (atomically, without colour, with a note on stderr) when
   * given, else to stdout for people (never in --json mode: stdout then holds the JSON result).
   */
  protected async emit(render: () => string | Promise<string>, output?: string): Promise<Written | undefined> {
    const eol = (t: string) => (t.endsWith('\n') || t === '' ? t : t + '\n')
    if (output) {
      const w = writeOutput(output, eol(await withoutColor(render)))
      this.note(`wrote ${w.file} (${w.bytes} bytes)`)
      return w
    }
    if (!this.jsonEnabled()) process.stdout.write(eol(await render()))
    return undefined
  }

  /** warnings go to stderr in both modes */
  protected note(text: string): void {
    process.stderr.write(`${text}\n`)
  }

  /** findings (vulnerabilities, drift, violations) set exit code 1 without throwing */
  protected findings(): void {
    process.exitCode = ExitCode.FINDINGS
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    this._progress?.stop(false)
    // a file-system fault (EACCES, ENOSPC, ENOTDIR, ...) becomes its documented PacksError (src/domain/io-errors.ts)
    const known = isPacksError(err) ? err : asFault(err, this.argv, this.paths.root)
    if (known) return writeError(known, this.jsonEnabled())
    // oclif's own usage/parse errors carry oclif.exit (2); let oclif print them
    if (err.oclif?.exit !== undefined || /^(Nonexistent flag|Missing required|Unexpected argument|Expected|--)/.test(err.message ?? '')) {
      if (this.jsonEnabled()) {
        process.exitCode = ExitCode.USAGE
        this.logJson({error: {code: 'E_USAGE', message: err.message}} satisfies ErrorOutput)
        return
      }
      return super.catch(err as never)
    }
    process.exitCode = ExitCode.INTERNAL
    if (this.jsonEnabled()) this.logJson({error: {code: 'E_INTERNAL', message: err.message}} satisfies ErrorOutput)
    else {
      process.stderr.write(`Internal error: ${err.message}\n`)
      if (environment().debug) process.stderr.write(`${err.stack}\n`)
      else process.stderr.write('This is a bug in ggen packs. Run again with DEBUG=1 for a stack trace and report it.\n')
    }
    return
  }
}

import {makeContext, type PacksContext} from '../core/context.js'

/**
 * The only flags that reach the context, typed: a command's other flags (--machine, a filter, is
 * one of them) never do. Filters go to the use-case as its own typed options.
 */
export interface CtxFlags {
  registry?: string[]
  offline?: boolean
  /** names this machine (`graph sync --as`; default GGEN_MACHINE, config `machine`, the host name) */
  identity?: string
  refresh?: boolean
  'require-signatures'?: boolean
}

/** build the use-case context from the shared flags; progress and warnings go to stderr */
export function contextFor(cmd: PacksCommand, flags: CtxFlags = {}): PacksContext {
  return makeContext({
    paths: cmd.paths,
    config: cmd.packsConfig,
    registry: flags.registry,
    offline: flags.offline,
    machine: flags.identity,
    refresh: flags.refresh,
    requireSignatures: flags['require-signatures'],
    progress: cmd.progress,
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
  })
}
