#!/usr/bin/env node
// The README's first command: build the bundled example registry from examples/gpacks, install
// every example project (a copy under examples/.out/workspace) with the embedded backend, then
// import the bundled advisories (examples/advisories) and run a security scan, then run
// `ggen packs list` on them. The team's bundles and policy come from examples/compliance.
// Everything it writes stays under examples/.out/.
import {spawnSync} from 'node:child_process'
import {copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = process.env.GGEN_EXAMPLE_OUT || join(repo, 'examples', '.out')
const bin = join(repo, 'bin', 'run.js')
const fresh = process.argv.includes('--fresh')
if (fresh) rmSync(out, {recursive: true, force: true})

const env = {...process.env, GGEN_HOME: join(out, 'home'), GGEN_REGISTRY_URL: join(out, 'registry'), GGEN_MACHINE: 'example-laptop'}
const run = (args, opts = {}) => {
  const r = spawnSync(process.execPath, [bin, ...args], {env, stdio: opts.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit'})
  if (r.status !== 0) {
    console.error(`example: \`ggen ${args.join(' ')}\` failed (exit ${r.status})`)
    process.exit(r.status ?? 1)
  }
}

if (!existsSync(join(repo, 'dist', 'commands'))) {
  console.error('example: building first (npm run build)')
  const b = spawnSync('npm', ['run', 'build', '--silent'], {cwd: repo, stdio: 'inherit'})
  if (b.status !== 0) process.exit(b.status ?? 1)
}

console.error('example: building the registry from examples/gpacks')
run(['packs', 'registry', 'build', join(repo, 'examples', 'gpacks'), join(out, 'registry')], {quiet: true})

// the team's compliance set-up: two bundles (payments: hard, web: soft) and a soft team policy
const compliance = join(repo, 'examples', 'compliance')
mkdirSync(env.GGEN_HOME, {recursive: true})
copyFileSync(join(compliance, 'policy.toml'), join(env.GGEN_HOME, 'policy.toml'))
for (const b of ['payments-standard.toml', 'web-frontend.toml']) {
  if (!existsSync(join(env.GGEN_HOME, 'bundles', b))) run(['packs', 'bundle', 'import', join(compliance, b)], {quiet: true})
}

const ws = join(out, 'workspace')
if (!existsSync(ws)) cpSync(join(repo, 'examples', 'workspace'), ws, {recursive: true})
// every folder with a ggen.toml is a project (legacy/ holds a legacy lockfile for `packs import`)
for (const p of readdirSync(ws).sort().filter((d) => existsSync(join(ws, d, 'ggen.toml')))) {
  console.error(`example: installing ${p}`)
  run(['packs', 'install', '--project', join(ws, p)], {quiet: true})
}

console.error('example: importing the advisories of examples/advisories and scanning every project')
run(['packs', 'security-scan', '--vulnerability-db-update', '--from', join(repo, 'examples', 'advisories')], {quiet: true})
run(['packs', 'security-scan'], {quiet: process.argv.includes('--json')})

console.error(`\nexample: GGEN_HOME=${env.GGEN_HOME} GGEN_REGISTRY_URL=${env.GGEN_REGISTRY_URL}\n`)
run(['packs', 'list', ...process.argv.slice(2).filter((a) => a !== '--fresh')])
