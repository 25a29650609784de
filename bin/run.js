#!/usr/bin/env node
// ggen CLI entry point (production: compiled commands in dist/, oclif.manifest.json).
// As oclif's execute(), except that a file-system fault striking before a command runs (EMFILE
// while its modules load under a low `ulimit -n`) is reported with its code and exit code 8.
import {flush, handle, run} from '@oclif/core'

await run(process.argv.slice(2), import.meta.url)
  .then(() => flush())
  .catch(async (error) => {
    const {reportStartupFault} = await import('../dist/src/cli/error-output.js').catch(() => ({reportStartupFault: () => false}))
    if (!reportStartupFault(error)) await handle(error)
  })
