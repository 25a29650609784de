/**
 * How a PacksError reaches the user: `--json` gets {"error": {...}} on stdout, people get
 * "Error [CODE]: message" and "Try this: hint" on stderr; the exit code is the error's. Used by
 * the base command and by bin/run.js for faults that strike before a command runs (EMFILE while
 * the command's modules load under a low `ulimit -n`). Imports nothing heavy: it must load when
 * hardly a file descriptor is left.
 */
import {resolve} from 'node:path'
import type {PacksError, PacksErrorJson} from '../domain/errors.js'
import {ioError} from '../domain/io-errors.js'
import {ggenHome} from '../workspace/home.js'

/**
 * What every command prints on stdout with --json when it fails (schemas/json/error.json); it
 * exits with the error's exit code. On success --json prints the command's result alone.
 */
export interface ErrorOutput {
  error: PacksErrorJson
}

export function writeError(err: PacksError, json: boolean): void {
  process.exitCode = err.exitCode
  if (json) {
    process.stdout.write(JSON.stringify({error: err.toJSON()} satisfies ErrorOutput, null, 2) + '\n')
    return
  }
  process.stderr.write(`Error [${err.code}]: ${err.message}\n`)
  if (err.hint) process.stderr.write(`Try this: ${err.hint}\n`)
}

/** the value of `--project DIR` / `-C DIR` / `--project=DIR` in raw arguments */
function projectArg(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a.startsWith('--project=')) return a.slice('--project='.length)
    if (a === '--project' || a === '-C') return argv[i + 1]
  }
  return undefined
}

/** a file-system fault as its PacksError, its hints naming $GGEN_HOME and the command's --project; else undefined */
export function asFault(e: unknown, argv: string[], home = ggenHome()): PacksError | undefined {
  const project = projectArg(argv)
  return ioError(e, {home, ...(project ? {project: resolve(project)} : {})})
}

/**
 * A file-system fault that escaped before a command ran: report it as the command would have.
 * Returns false (nothing written) for anything else, which oclif then reports itself.
 */
export function reportStartupFault(e: unknown, argv: string[] = process.argv.slice(2)): boolean {
  const err = asFault(e, argv)
  if (!err) return false
  writeError(err, argv.includes('--json'))
  return true
}
