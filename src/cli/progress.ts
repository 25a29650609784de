/**
 * Progress on long work, to stderr only, only on a TTY (or GGEN_PROGRESS=1), never in --json
 * output. `step` rewrites one line; `stop` clears it.
 */
import {environment} from '../util/environment.js'

/** a terminal that can rewrite a line (TERM=dumb cannot: progress prints one line per step there) */
const live = (): boolean => !!process.stderr.isTTY && environment().term !== 'dumb'

export class Progress {
  private active = false
  private last = 0
  readonly enabled: boolean

  constructor(human: boolean) {
    const forced = environment().progress
    this.enabled = forced ?? (human && !!process.stderr.isTTY)
  }

  step(text: string, done?: number, total?: number): void {
    if (!this.enabled) return
    const now = Date.now()
    if (done !== undefined && total !== undefined && done < total && now - this.last < 80) return
    this.last = now
    const counter = done !== undefined && total !== undefined ? ` ${done}/${total}` : ''
    const line = `${text}${counter}`
    if (live()) process.stderr.write(`\r\x1b[2K${line}`)
    else process.stderr.write(`${line}\n`)
    this.active = true
  }

  stop(ok = true, text?: string): void {
    if (!this.enabled || !this.active) return
    if (live()) process.stderr.write('\r\x1b[2K')
    if (text) process.stderr.write(`${ok ? '' : '! '}${text}\n`)
    this.active = false
  }
}
