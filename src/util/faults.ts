/**
 * Test-only fault injection. Each write step calls faultPoint(name). With
 *   GGEN_PACKS_FAULT=fail:<N>   the N-th write step (1-based) throws (an injected failure)
 *   GGEN_PACKS_FAULT=kill:<N>   the N-th write step SIGKILLs the process (a crash)
 *   GGEN_PACKS_FAULT=fail:<name> / kill:<name>  the first step whose name contains <name>
 * Without the variable this is one branch per write. Step names are printed with
 *   GGEN_PACKS_FAULT=trace  (to stderr), which is how the crash tests count the steps.
 */
import {PacksError} from '../domain/errors.js'
import {environment} from './environment.js'

let counter = 0
const spec = environment().fault

export function faultPoint(name: string): void {
  if (!spec) return
  counter++
  if (spec === 'trace') {
    process.stderr.write(`[fault-step ${counter}] ${name}\n`)
    return
  }
  const [mode, target] = spec.split(':', 2)
  const hit = /^\d+$/.test(target ?? '') ? counter === Number(target) : name.includes(target ?? '\u0000')
  if (!hit) return
  if (mode === 'kill') process.kill(process.pid, 'SIGKILL')
  if (mode === 'fail') throw new PacksError('E_INJECTED', `injected failure at write step ${counter} (${name})`)
}

export function faultStepCount(): number {
  return counter
}
