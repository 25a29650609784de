/**
 * `command_not_found`: print "Did you mean …?" with the nearest commands. @oclif/plugin-not-found
 * (which runs after this hook) only offers its suggestion as an interactive prompt; scripts and CI
 * see this line instead, then the plugin's error (exit 127, as shells use for unknown commands).
 */
import type {Hook} from '@oclif/core'
import {nearest} from '../../util/nearest.js'

const hook: Hook<'command_not_found'> = async function (opts) {
  if (process.stdin.isTTY) return // the plugin asks interactively
  const sep = opts.config.topicSeparator ?? ' '
  const ids = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const near = nearest(opts.id, ids, 3).map((id) => `${opts.config.bin} ${id.replaceAll(':', sep)}`)
  if (near.length) process.stderr.write(`Did you mean ${near.map((n) => `\`${n}\``).join(', ')}?\n`)
}

export default hook
