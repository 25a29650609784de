/** the bundled example (`npm run example`), built once per test file into a temporary folder */
import {spawnSync} from 'node:child_process'
import {join} from 'node:path'
import {repoRoot, tempDir} from './cli.js'

export interface Example {
  /** examples/.out: home/, registry/, workspace/ */
  out: string
  home: string
  registry: string
  workspace: string
  /** GGEN_HOME and GGEN_REGISTRY_URL of the example, for runCli's env */
  env: Record<string, string>
}

export function buildExample(): Example {
  const out = join(tempDir('ggen-example-'), '.out')
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'example.mjs'), '--fresh', '--json'], {env: {...process.env, GGEN_EXAMPLE_OUT: out, NO_COLOR: '1'}, encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`npm run example failed: ${r.stderr}`)
  const home = join(out, 'home')
  const registry = join(out, 'registry')
  return {out, home, registry, workspace: join(out, 'workspace'), env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry, GGEN_MACHINE: 'example-laptop'}}
}
