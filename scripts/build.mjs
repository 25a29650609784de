#!/usr/bin/env node
/**
 * Bundles the CLI into dist/ with esbuild (run by `npm run build`, after `tsc --noEmit` has
 * type-checked the sources and before `oclif manifest`).
 *
 * One entry point per command (dist/commands/packs/**.js, found by oclif from the manifest), the
 * command_not_found hook and entry (the @oclif/core runner bin/run.js calls). @oclif/core and the
 * other dependencies are bundled in; code splitting puts what entry points share in dist/chunks/,
 * so the runner and the commands use one copy of @oclif/core, and what the sources import lazily
 * (neo4j-driver, tar, the registry catalog, yaml) stays a chunk of its own, loaded only when a
 * command needs it. Only typescript stays outside: oclif requires it (when installed) to read
 * tsconfig.json in development.
 *
 * dist/src/cli/error-output.js, which bin/run.js imports when a fault (EMFILE under a low
 * `ulimit -n`) struck while the modules loaded, is one file sharing no chunk: a chunk that failed
 * to load stays failed, and the report must not depend on one.
 */
import {build} from 'esbuild'
import {readdirSync, rmSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outdir = join(repo, 'dist')

const commands = readdirSync(join(repo, 'commands'), {recursive: true})
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join('commands', f))

// CommonJS modules in the bundle (most of @oclif/core) call require() for Node built-ins and for
// the plugins oclif loads by path: give the ES module a real one.
const banner = [
  "import {createRequire as __ggenCreateRequire} from 'node:module'",
  'const require = __ggenCreateRequire(import.meta.url)',
].join('\n')

const common = {
  absWorkingDir: repo,
  outbase: '.',
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: {js: banner},
  external: ['typescript'],
  logLevel: 'warning',
}

rmSync(outdir, {recursive: true, force: true})
await Promise.all([
  build({...common, entryPoints: [...commands, 'src/cli/entry.ts', 'src/cli/hooks/not-found.ts'], splitting: true, chunkNames: 'chunks/[name]-[hash]'}),
  build({...common, entryPoints: ['src/cli/error-output.ts']}),
])
