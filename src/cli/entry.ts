/**
 * What bin/run.js runs: oclif's runner, from the copy of @oclif/core bundled with the commands
 * (scripts/build.mjs), so the runner and the commands share one copy.
 */
export {flush, handle, run} from '@oclif/core'
