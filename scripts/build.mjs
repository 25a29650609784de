#!/usr/bin/env node
/**
 * Bundles the CLI into dist/ with esbuild (run by `npm run build`, after `tsc --noEmit` has
 * type-checked the sources and before `oclif manifest`).
 *
 * Entry points: one per command (dist/commands/packs/**.js, which oclif finds from the manifest),
 * the command_not_found hook, src/cli/entry.ts (the @oclif/core runner bin/run.js calls) and the
 * few modules that scripts and tests import from dist/ on their own. @oclif/core and the other dependencies are
 * bundled in; code splitting puts what entry points share in dist/chunks/, so the runner and the
 * commands use one copy of @oclif/core, and what the sources import lazily (neo4j-driver, tar,
 * the registry catalog, yaml) stays a chunk of its own, loaded only when a command needs it.
 * Left to Node (external): typescript, which oclif requires (when installed) to read
 * tsconfig.json in development, and the CommonJS packages the sources import() lazily (yaml,
 * picomatch, @cyclonedx/cyclonedx-library, whose optional XML peers are never loaded): in a chunk of its own esbuild gives a CommonJS module a default export only, where
 * Node gives its named exports too. The build fails if another such import() appears.
 *
 * dist/src/cli/error-output.js, which bin/run.js loads to report a fault that strikes while a
 * command's modules load (EMFILE under a low `ulimit -n`), is one file sharing no chunk: a chunk
 * that failed to load stays failed, and the report must not depend on one.
 *
 * dist/assets/graph-view.js is the HTML graph view's page script (src/graph/export/html-app/main.ts
 * with graphology and sigma), bundled for the browser as one IIFE; src/graph/export/html.ts reads it
 * at run time and inlines it into each exported page, so the page needs no network.
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
// imported from dist/ by bench/generate.mjs (the resolver and the formats it writes) and by
// test/security/user-files.test.ts (writeFileAtomic run as another user)
const modules = ['src/resolve/resolver.ts', 'src/resolve/versions.ts', 'src/formats/lockfile.ts', 'src/formats/project-toml.ts', 'src/formats/fs.ts', 'src/store/integrity.ts']

const LAZY_CJS = ['yaml', 'picomatch', '@cyclonedx/cyclonedx-library']

const banner = [
  "import {createRequire as __ggenCreateRequire} from 'node:module'",
  'const require = __ggenCreateRequire(import.meta.url)',
].join('\n')

/**
 * zod's `locales` namespace (core and classic re-export every language: 370 KB of the 750 KB zod
 * puts in the bundle, parsed by every command that validates a file) holds only the English one
 * the sources use (zod configures it itself; nothing here calls z.locales.*): the chunk halves,
 * and a command loading it starts ~10 ms sooner.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({filter: /^\.\.\/locales\/index\.js$/}, (args) => (/[\\/]zod[\\/]v4[\\/](core|classic)$/.test(args.resolveDir) ? {path: 'zod-locales-en', namespace: 'zod-locales'} : undefined))
    b.onLoad({filter: /.*/, namespace: 'zod-locales'}, () => ({contents: "export {default as en} from 'zod/v4/locales/en.js'", resolveDir: repo, loader: 'js'}))
  },
}

const common = {
  absWorkingDir: repo,
  plugins: [zodEnglishOnly],
  outbase: '.',
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: {js: banner},
  external: ['typescript', ...LAZY_CJS],
  metafile: true,
  logLevel: 'warning',
}

/**
 * import() of a bundled CommonJS module: only src/cli/entry.ts's of @oclif/core (for its side
 * effect) is known to be right; any other would lose its named exports (see LAZY_CJS).
 */
function checkLazyImports({inputs}) {
  const wrong = Object.entries(inputs).flatMap(([file, input]) =>
    input.imports
      .filter((i) => i.kind === 'dynamic-import' && !i.external && inputs[i.path]?.format === 'cjs' && !(file === 'src/cli/entry.ts' && i.original === '@oclif/core'))
      .map((i) => `${file}: import('${i.original}')`),
  )
  if (wrong.length) throw new Error(`CommonJS modules imported with import(); add them to LAZY_CJS in scripts/build.mjs:\n  ${wrong.join('\n  ')}`)
}

/** the page script of the HTML graph view: browser, one file, no imports left */
const graphView = {
  absWorkingDir: repo,
  entryPoints: ['src/graph/export/html-app/main.ts'],
  outfile: join(outdir, 'assets', 'graph-view.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'inline',
  logLevel: 'warning',
}

rmSync(outdir, {recursive: true, force: true})
const [cli] = await Promise.all([
  build({...common, entryPoints: [...commands, ...modules, 'src/cli/entry.ts', 'src/cli/hooks/not-found.ts'], splitting: true, chunkNames: 'chunks/[name]-[hash]'}),
  build({...common, entryPoints: ['src/cli/error-output.ts']}),
  build(graphView),
])
checkLazyImports(cli.metafile)
