/**
 * The bundled example (`npm run example`) built once into a temporary folder laid out like the
 * repository (bin/, examples/gpacks, examples/.out/{home,registry,workspace}), and fresh copies of
 * it for tests that change it. Commands run in examples/.out/workspace with GGEN_HOME and
 * GGEN_REGISTRY_URL pointing beside it, as the README tells a reader to set up.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot, tempDir} from './cli.js'

/** build the example registry and install every example project (about 15 s); returns the folder */
export function buildExample(): string {
  const base = tempDir('ggen-example-')
  const out = join(base, 'examples', '.out')
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'example.mjs'), '--fresh', '--json'], {env: {...process.env, GGEN_EXAMPLE_OUT: out, NO_COLOR: '1'}, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`npm run example failed: ${r.stderr}`)
  symlinkSync(join(repoRoot, 'bin'), join(base, 'bin'))
  cpSync(join(repoRoot, 'examples', 'gpacks'), join(base, 'examples', 'gpacks'), {recursive: true})
  cpSync(join(repoRoot, 'examples', 'advisories'), join(base, 'examples', 'advisories'), {recursive: true})
  return base
}

/** a copy of a built example, so tests do not see each other's changes (with an empty tmp/) */
export function copyExample(example: string): string {
  const dir = tempDir('ggen-example-copy-')
  cpSync(join(example, 'examples'), join(dir, 'examples'), {recursive: true})
  symlinkSync(join(repoRoot, 'bin'), join(dir, 'bin'))
  mkdirSync(join(dir, 'tmp'), {recursive: true})
  return dir
}

/** where commands run in a copy, and the environment the README sets up there */
export function exampleWorkspace(copy: string): {cwd: string; env: Record<string, string>} {
  const out = join(copy, 'examples', '.out')
  return {cwd: join(out, 'workspace'), env: {GGEN_HOME: join(out, 'home'), GGEN_REGISTRY_URL: join(out, 'registry')}}
}

export interface Example {
  /** examples/.out: home/, registry/, workspace/ */
  out: string
  home: string
  registry: string
  workspace: string
  /** GGEN_HOME, GGEN_REGISTRY_URL and GGEN_MACHINE of the example, for runCli's env */
  env: Record<string, string>
}

/** a built example's folders and environment, for tests that run the binary in it directly */
export function exampleHome(): Example {
  const out = join(buildExample(), 'examples', '.out')
  const home = join(out, 'home')
  const registry = join(out, 'registry')
  return {out, home, registry, workspace: join(out, 'workspace'), env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry, GGEN_MACHINE: 'example-laptop'}}
}
