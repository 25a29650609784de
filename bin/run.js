#!/usr/bin/env node
// ggen CLI entry point (production: the commands and @oclif/core bundled into dist/ by
// scripts/build.mjs, oclif.manifest.json).
// As oclif's execute(), except that a file-system fault striking before a command runs (EMFILE
// while its modules load under a low `ulimit -n`) is reported with its code and exit code 8.
import {flush, handle, run} from '../dist/src/cli/entry.js'
// loaded up front (one small file): when the fault strikes, reads still in flight hold the
// descriptors a later import would need
import {reportStartupFault} from '../dist/src/cli/error-output.js'

await run(process.argv.slice(2), import.meta.url)
  .then(() => flush())
  .catch(async (error) => {
    if (!reportStartupFault(error)) await handle(error)
  })
