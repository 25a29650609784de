/**
 * What bin/run.js runs: oclif's runner, from the copy of @oclif/core bundled with the commands
 * (scripts/build.mjs), so the runner and the commands share one copy. Only the runner's modules:
 * `ggen --help` and `--version` never load the rest of @oclif/core (its index), which the
 * commands load when they run.
 */
export {run} from '@oclif/core/run'
export {flush} from '@oclif/core/flush'
export {handle} from '@oclif/core/handle'

// @oclif/core's index warns when the current directory is gone: load it then, as before
try {
  process.cwd()
} catch {
  await import('@oclif/core')
}
