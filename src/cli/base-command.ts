/**
 * The one base command: owns the --json envelope, maps errors to exit codes with a "Try this:"
 * hint, and carries the shared context (GGEN_HOME paths, config, machine, registries, offline).
 * Commands stay thin: parse -> context -> core use-case -> return data (the --json value) and
 * render it for people when --json is off.
 */
import {Command} from '@oclif/core'
import {ExitCode, isPacksError, PacksError} from '../domain/errors.js'
import {homePaths, type HomePaths} from '../workspace/home.js'
import {readConfig, type Config} from '../workspace/config.js'
import {Progress} from './progress.js'

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
   * --json output. oclif's default colourises the whole document token by token (about a second
   * for a 5 MB list); machines get plain JSON, written in one piece.
   */
  protected override logJson(json: unknown): void {
    process.stdout.write(JSON.stringify(json, null, 2) + '\n')
  }

  /** print for people (only when --json is off) */
  protected out(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : text + '\n')
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
    if (isPacksError(err)) {
      process.exitCode = err.exitCode
      if (this.jsonEnabled()) {
        this.logJson({error: err.toJSON()})
      } else {
        process.stderr.write(`Error [${err.code}]: ${err.message}\n`)
        if (err.hint) process.stderr.write(`Try this: ${err.hint}\n`)
      }
      return
    }
    // oclif's own usage/parse errors carry oclif.exit (2); let oclif print them
    if (err.oclif?.exit !== undefined || /^(Nonexistent flag|Missing required|Unexpected argument|Expected|--)/.test(err.message ?? '')) {
      if (this.jsonEnabled()) {
        process.exitCode = ExitCode.USAGE
        this.logJson({error: {code: 'E_USAGE', message: err.message}})
        return
      }
      return super.catch(err as never)
    }
    process.exitCode = ExitCode.INTERNAL
    const internal = new PacksError('E_USAGE', err.message)
    if (this.jsonEnabled()) this.logJson({error: {code: 'E_INTERNAL', message: err.message}})
    else {
      process.stderr.write(`Internal error: ${err.message}\n`)
      if (process.env.DEBUG) process.stderr.write(`${err.stack}\n`)
      else process.stderr.write('This is a bug in ggen packs. Run again with DEBUG=1 for a stack trace and report it.\n')
    }
    void internal
    return
  }
}

import {makeContext, type PacksContext} from '../core/context.js'

export interface CtxFlags {
  registry?: string[]
  offline?: boolean
  /** the `--machine` filter: never this machine's identity (GGEN_MACHINE / config `machine`), so not read here */
  machine?: string
  /** names this machine (`graph sync --machine`) */
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
