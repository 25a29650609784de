#!/usr/bin/env node
/**
 * Read-command benchmark: times WHOLE PROCESSES of the real binary (bin/run.js, compiled dist/)
 * against the generated 10,000-version / 1,000-project data set, and compares with the goals.
 *
 *   npm run bench            (builds dist/ first; then: node bench/run.mjs)
 *   node bench/run.mjs [--runs 7] [--warmup 1] [--data .bench/big] [--regenerate] [--only list-cold,info]
 *
 * Start-up cases come first: `node -e 0` (the floor every other median is also given as a ratio
 * of), `--version`, `--help`, `packs --help`, `packs list --help`, and `packs list --json` on the
 * small example workspace (examples/.out, made by `npm run example` when missing).
 *
 * The data set (bench/generate.mjs --versions 10000 --projects 1000 --seed 1) is generated into
 * .bench/big when missing, or when its bench-meta.json records other parameters or another
 * generator. Every command runs with GGEN_HOME=<data>/home, GGEN_REGISTRY_URL=<data>/registry,
 * GGEN_MACHINE=bench, NO_COLOR=1, and an environment copied from ours minus NODE_EXTRA_CA_CERTS
 * and every other GGEN_* variable. Peak RSS comes from `/usr/bin/time -f %M` (the node process).
 * Results: a table on stdout and .bench/results.json. Exit 0 regardless: this is a report.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir, totalmem} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SCALES = {
  '1k': {params: {versions: 1000, projects: 100, seed: 1}, data: '.bench/big-1k'},
  '10k': {params: {versions: 10000, projects: 1000, seed: 1}, data: '.bench/big'},
  '100k': {params: {versions: 100000, projects: 10000, seed: 1}, data: '.bench/big-100k'},
}
const GENERATOR = join(repo, 'bench', 'generate.mjs')
const BIN = join(repo, 'bin', 'run.js')
const TIME = '/usr/bin/time'

// ------------------------------------------------------------------ options
const argv = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  if (i >= 0) return argv[i + 1]
  const eq = argv.find((a) => a.startsWith(`--${name}=`))
  return eq ? eq.slice(name.length + 3) : dflt
}
const SCALE = opt('scale', '10k')
if (!SCALES[SCALE]) {
  console.error(`bench: --scale is one of ${Object.keys(SCALES).join(', ')}`)
  process.exit(0)
}
const PARAMS = SCALES[SCALE].params
const RUNS = Number(opt('runs', SCALE === '100k' ? 3 : 7))
const WARMUP = Number(opt('warmup', 1))
const DATA = resolve(repo, opt('data', SCALES[SCALE].data))
const NEO4J = argv.includes('--neo4j') || !!process.env.GGEN_NEO4J_URI
const WRITE_DOCS = !argv.includes('--no-docs')
const ONLY = opt('only', '')
  .split(',')
  .filter(Boolean)
const REGENERATE = argv.includes('--regenerate')
const RESULTS = join(repo, '.bench', SCALE === '10k' ? 'results.json' : `results-${SCALE}.json`)
const DOCS = join(repo, 'docs', 'benchmarks.md')
/** OSV records the data set carries for the security-scan cases (issue 11: 5,000) */
const ADVISORIES = Number(opt('advisories', 5000))

if (!existsSync(join(repo, 'dist', 'commands', 'packs', 'list.js'))) {
  console.error('bench: dist/ is missing; run `npm run build` first (npm run bench does it)')
  process.exit(0)
}

// ------------------------------------------------------------------ data set
const generatorHash = createHash('sha256').update(readFileSync(GENERATOR)).digest('hex').slice(0, 16)
function readMeta() {
  try {
    return JSON.parse(readFileSync(join(DATA, 'bench-meta.json'), 'utf8'))
  } catch {
    return null
  }
}
let meta = readMeta()
const metaMatches = (m) =>
  m && m.params?.versions === PARAMS.versions && m.params?.projects === PARAMS.projects && m.params?.seed === PARAMS.seed && (m.params?.advisories ?? 0) === ADVISORIES && m.generatorHash === generatorHash
if (REGENERATE || !metaMatches(meta)) {
  console.error(`bench: ${meta ? (REGENERATE ? 'regenerating' : 'data set is stale (other parameters or generator); regenerating') : 'generating'} ${DATA}`)
  const g = spawnSync(process.execPath, [GENERATOR, '--versions', String(PARAMS.versions), '--projects', String(PARAMS.projects), '--seed', String(PARAMS.seed), '--advisories', String(ADVISORIES), '--out', DATA], {
    cwd: repo,
    stdio: 'inherit',
  })
  if (g.status !== 0) {
    console.error(`bench: generation failed (exit ${g.status})`)
    process.exit(0)
  }
  meta = readMeta()
} else {
  console.error(`bench: reusing ${DATA} (seed ${meta.params.seed}, ${meta.params.versions} versions, ${meta.params.projects} projects)`)
}

// ------------------------------------------------------------------ environment
const HOME = join(DATA, 'home')
const REGISTRY = join(DATA, 'registry')
const env = {...process.env}
delete env.NODE_EXTRA_CA_CERTS
for (const k of Object.keys(env)) if (k.startsWith('GGEN_')) delete env[k]
delete env.DEBUG
Object.assign(env, {GGEN_HOME: HOME, GGEN_REGISTRY_URL: REGISTRY, GGEN_MACHINE: 'bench', NO_COLOR: '1'})
const CACHE_DIR = join(HOME, 'cache')
/** every derived cache of the workspace scan (the snapshot in whatever format, the parsed-project cache) */
const dropCaches = () => {
  for (const f of existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : []) if (/^(snapshot|workspace|list-view)/.test(f)) rmSync(join(CACHE_DIR, f), {recursive: true, force: true})
}

// ------------------------------------------------------------------ arguments from the data
const projectsFile = JSON.parse(readFileSync(join(HOME, 'projects.json'), 'utf8'))
const projectDirs = Object.keys(projectsFile.projects).sort()
const lockOf = (dir) => JSON.parse(readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8'))
const usage = new Map() // id -> projects locking it
let biggest = {dir: projectDirs[0], locks: -1}
const locks = new Map()
for (const dir of projectDirs) {
  const lock = lockOf(dir)
  locks.set(dir, lock)
  const ids = Object.keys(lock.packs)
  for (const id of ids) usage.set(id, (usage.get(id) ?? 0) + 1)
  if (ids.length > biggest.locks) biggest = {dir, locks: ids.length}
}
const popular = [...usage].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]
const index = JSON.parse(readFileSync(join(REGISTRY, 'index.json'), 'utf8'))
const newestOf = (id) => Object.keys(index.packages[id]?.versions ?? {}).sort(semverCompare).pop()
function semverCompare(a, b) {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i]
  return 0
}
// `why`: the most widely used transitive (not direct) package of the biggest project
const bigToml = readFileSync(join(biggest.dir, 'ggen.toml'), 'utf8')
const bigDirect = new Set([...bigToml.matchAll(/^"([^"]+)"\s*=/gm)].map((m) => m[1]))
const bigLock = locks.get(biggest.dir)
const whyId =
  Object.keys(bigLock.packs)
    .filter((id) => !bigDirect.has(id))
    .sort((a, b) => (usage.get(b) ?? 0) - (usage.get(a) ?? 0) || (a < b ? -1 : 1))[0] ?? popular
const searchWord = popular?.split('.')[2]?.replace(/-\d+$/, '') ?? 'core'

/**
 * One project's lockfile, changed in a way that changes the answer: one locked version moved to
 * another installed version of the same package (its integrity with it); `flip` alternates the
 * changed and the original bytes, `restore` puts the original back.
 */
function lockToggle() {
  const store = JSON.parse(readFileSync(join(HOME, 'store', 'v1', 'index.json'), 'utf8'))
  const installed = new Map() // id -> [{version, integrity}]
  for (const [integrity, e] of Object.entries(store.entries ?? {})) {
    if (!e.id || !e.version) continue
    if (!installed.has(e.id)) installed.set(e.id, [])
    installed.get(e.id).push({version: e.version, integrity})
  }
  for (const dir of projectDirs) {
    const lock = locks.get(dir)
    for (const [id, entry] of Object.entries(lock.packs)) {
      const other = (installed.get(id) ?? []).find((x) => x.version !== entry.version)
      if (!other) continue
      const file = join(dir, '.ggen', 'packs.lock')
      const original = readFileSync(file)
      const changed = JSON.stringify({...lock, packs: {...lock.packs, [id]: {...entry, version: other.version, integrity: other.integrity}}}, null, 2) + '\n'
      let flipped = false
      return {
        what: `${dir.split('/').pop()}: ${id} ${entry.version} -> ${other.version}`,
        flip: () => {
          flipped = !flipped
          writeFileSync(file, flipped ? changed : original)
        },
        restore: () => writeFileSync(file, original),
      }
    }
  }
  return null
}

// ------------------------------------------------------------------ cases
let manifest = {commands: {}}
try {
  manifest = JSON.parse(readFileSync(join(repo, 'oclif.manifest.json'), 'utf8'))
} catch {
  // no manifest: oclif finds commands itself; flags are guessed below
}
const commandExists = (name) => existsSync(join(repo, 'dist', 'commands', 'packs', `${name}.js`))
const flagsOf = (name) => Object.keys(manifest.commands?.[`packs:${name.replace(' ', ':')}`]?.flags ?? {})
const argsOf = (name) => Object.entries(manifest.commands?.[`packs:${name.replace(' ', ':')}`]?.args ?? {})

/**
 * argv for a command from its manifest entry: positional args by name (package -> `pkg`, project
 * directory -> the biggest project, version -> the package's newest version), plus `extra` flags
 * the command has. Returns null (with the reason) when a required argument cannot be guessed.
 */
function argvFor(name, {pkg, extra = [], project = false, version}) {
  const flags = flagsOf(name)
  const out = ['packs', ...name.split(' ')]
  let usedPkg = false
  let usedProject = false
  for (const [arg, spec] of argsOf(name)) {
    if (/^(package|packages|pkg|id|spec|target)$/.test(arg) && pkg && !usedPkg) {
      out.push(pkg)
      usedPkg = true
    } else if (/^(project|dir|directory|path)$/.test(arg) && (project || spec.required)) {
      out.push(biggest.dir)
      usedProject = true
    } else if (/^(version|to)$/.test(arg) && (version || spec.required)) out.push(version ?? newestOf(pkg))
    else if (/^(query|term|text)$/.test(arg)) out.push(searchWord)
    else if (spec.required) return {skip: `cannot guess the required argument <${arg}>`}
  }
  if (!manifest.commands?.[`packs:${name.replace(' ', ':')}`] && pkg) out.push(pkg) // not in the manifest: assume a package argument
  if (project && !usedProject && flags.includes('project')) out.push('--project', biggest.dir)
  for (const f of extra) {
    const parts = Array.isArray(f) ? f : [f]
    const bare = parts[0].replace(/^--/, '').split('=')[0]
    if (flags.length === 0 || flags.includes(bare)) out.push(...parts)
  }
  if (flags.length === 0 || flags.includes('json')) out.push('--json')
  return {argv: out}
}

// issue 13's goals; list-changed's is 1.2x the nothing-changed run measured in the same run
const READ_CASES = ['list-warm', 'tree', 'why', 'dependents', 'dependents-transitive', 'impact', 'info-dependents', 'search']
const GOALS_BY_SCALE = {
  '10k': {help: {ms: 150}, ...Object.fromEntries(READ_CASES.map((n) => [n, {ms: 200}])), 'list-cold': {ms: 500}, 'verify-all': {ms: 400}, 'list-changed': {relative: 'list-warm', factor: 1.2}, 'neo4j-sync-first': {ms: 8000}, 'neo4j-sync-again': {ms: 500}, 'neo4j-dependents': {ms: 400}, 'neo4j-dependents-server': {ms: 20}, 'neo4j-list': {ms: 400}, 'db-import': {ms: 3000}, 'scan-all': {ms: 1000}, 'scan-fresh': {ms: 1000}},
  '100k': {...Object.fromEntries(READ_CASES.map((n) => [n, {ms: 600}])), 'list-warm': {ms: 2000}, 'list-cold': {ms: 5000}, 'verify-all': {ms: 3000}, 'list-changed': {relative: 'list-warm', factor: 1.2}, 'neo4j-sync-first': {ms: 90000}},
}
const GOALS = GOALS_BY_SCALE[SCALE] ?? {}
const MEMORY_GOAL_MB = SCALE === '100k' ? 500 : 120

// ------------------------------------------------------------------ start-up (no data set needed)
const EXAMPLE = join(repo, 'examples', '.out')
const exampleEnv = {...env, GGEN_HOME: join(EXAMPLE, 'home'), GGEN_REGISTRY_URL: join(EXAMPLE, 'registry'), GGEN_MACHINE: 'example-laptop'}
function prepareExample() {
  if (existsSync(join(EXAMPLE, 'home', 'projects.json'))) return null
  const r = spawnSync(process.execPath, [join(repo, 'scripts', 'example.mjs')], {cwd: repo, env, encoding: 'utf8'})
  return r.status === 0 ? null : `npm run example failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`
}
const STARTUP = new Set(['node-floor', 'startup', 'help', 'packs-help', 'list-help', 'list-example'])
const cases = []
cases.push({name: 'node-floor', note: '`node -e 0`: the process floor, for the ratios (the machine is shared)', node: ['-e', '0']})
cases.push({name: 'startup', note: '`ggen --version`: oclif + node startup floor', argv: ['--version']})
cases.push({name: 'help', note: '`ggen --help` (issue 9: <= 150 ms)', argv: ['--help']})
cases.push({name: 'packs-help', note: '`ggen packs --help`', argv: ['packs', '--help']})
cases.push({name: 'list-help', note: '`ggen packs list --help`', argv: ['packs', 'list', '--help']})
cases.push({name: 'list-example', note: '`packs list --json` on the example workspace (examples/.out, npm run example)', argv: ['packs', 'list', '--json'], env: exampleEnv, prepare: prepareExample})
cases.push({name: 'list-cold', note: 'first run: every cache under $GGEN_HOME/cache (snapshot, parsed projects) deleted before every run', argv: ['packs', 'list', '--json'], before: dropCaches})
cases.push({name: 'list-warm', note: 'nothing-changed rescan (snapshot valid)', argv: ['packs', 'list', '--json']})
const toggle = lockToggle()
if (toggle) cases.push({name: 'list-changed', note: `ONE project's lockfile changed before every run (${toggle.what}; toggled back and forth)`, argv: ['packs', 'list', '--json'], before: toggle.flip, after: toggle.restore})
const maybe = (name, caseName, o, note) => {
  if (!commandExists(name)) return
  const a = argvFor(name, o)
  cases.push({name: caseName, note, ...(a.skip ? {skip: a.skip} : {argv: a.argv})})
}
maybe('tree', 'tree', {project: true}, 'dependency tree of the biggest project')
maybe('why', 'why', {pkg: whyId, project: true}, `why the biggest project has ${whyId}`)
maybe('dependents', 'dependents', {pkg: popular}, `projects/packages depending on the most used package`)
if (commandExists('dependents') && flagsOf('dependents').includes('transitive')) {
  const a = argvFor('dependents', {pkg: popular, extra: ['--transitive']})
  if (a.argv) cases.push({name: 'dependents-transitive', note: 'including projects reaching it through other packages', argv: a.argv})
}
// impact: `<id>@<version>` as its target, or `<id> --to <version>` where it has that flag
if (flagsOf('impact').includes('to')) maybe('impact', 'impact', {pkg: popular, extra: [['--to', newestOf(popular)]]}, 'impact of moving the most used package to its newest version')
else maybe('impact', 'impact', {pkg: `${popular}@${newestOf(popular)}`}, 'impact of moving the most used package to its newest version')
if (commandExists('verify')) {
  const f = flagsOf('verify')
  if (f.includes('all')) maybe('verify', 'verify-all', {extra: ['--all']}, 'every project + every store entry')
  else if (f.includes('manifest')) {
    // no --all yet: time the manifest mode on the biggest project, against its own manifest (untimed set-up)
    const file = join(repo, '.bench', 'manifest-bench.json')
    const g = existsSync(join(repo, 'dist', 'commands', 'packs', 'manifest', 'generate.js'))
      ? spawnSync(process.execPath, [BIN, 'packs', 'manifest', 'generate', 'bench', '--project', biggest.dir, '--lock-all', '-o', file], {cwd: repo, env, encoding: 'utf8'})
      : null
    if (g && g.status === 0) maybe('verify', 'verify-manifest', {project: true, extra: [['--manifest', file]]}, 'the biggest project against its own manifest, store entries re-hashed (no goal set; verify --all does not exist yet)')
    else cases.push({name: 'verify-manifest', note: 'verify --manifest', skip: g ? `\`packs manifest generate\` failed: ${(g.stderr || g.stdout).trim().split('\n')[0]}` : 'no --all flag, and no `packs manifest generate` to make a manifest'})
  } else maybe('verify', 'verify', {project: true}, 'the biggest project (no --all flag)')
}
if (commandExists('security-scan') && existsSync(join(DATA, 'advisories'))) {
  const importArgv = ['packs', 'security-scan', '--vulnerability-db-update', '--from', join(DATA, 'advisories'), '--json']
  cases.push({name: 'db-import', note: `import of ${ADVISORIES} OSV records from a folder (issue 11: <= 3 s)`, argv: importArgv})
  const prepareScan = () => {
    const r = spawnSync(process.execPath, [BIN, ...importArgv], {cwd: repo, env, encoding: 'utf8'})
    return r.status === 0 ? null : `the advisory import failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').pop()}`
  }
  cases.push({name: 'scan-all', note: `security-scan of every project against ${ADVISORIES} advisories, nothing changed since the last scan (its kept findings answer; issue 11: <= 1 s)`, argv: ['packs', 'security-scan', '--json'], prepare: prepareScan})
  cases.push({name: 'scan-fresh', note: `the same scan made in full: its kept findings (cache/scan-core.cache) deleted before every run (issue 11: <= 1 s)`, argv: ['packs', 'security-scan', '--json'], before: () => rmSync(join(CACHE_DIR, 'scan-core.cache'), {force: true})})
}
maybe('info', 'info-dependents', {pkg: popular, extra: ['--include-dependents']}, 'registry metadata + every project using it (no goal set)')
maybe('search', 'search', {}, `registry search for "${searchWord}" (no goal set)`)
maybe('gc', 'gc-dry-run', {extra: ['--dry-run']}, 'full uncached rescan + store index (no goal set)')

// ------------------------------------------------------------------ Neo4j (GGEN_NEO4J_URI set, or --neo4j)
const neo4jEnv = {
  ...env,
  GGEN_NEO4J_URI: process.env.GGEN_NEO4J_URI ?? 'bolt://127.0.0.1:7687',
  GGEN_NEO4J_USER: process.env.GGEN_NEO4J_USER ?? 'neo4j',
  GGEN_NEO4J_PASSWORD: process.env.GGEN_NEO4J_PASSWORD ?? 'ggen-packs-local',
  ...(process.env.GGEN_NEO4J_DATABASE ? {GGEN_NEO4J_DATABASE: process.env.GGEN_NEO4J_DATABASE} : {}),
}
// the tests' cross-process lock on the same server (test/support/neo4j.ts): never sync while a suite wipes it
const neo4jLockDir = join(tmpdir(), `ggen-packs-neo4j-test-${createHash('sha256').update(`${neo4jEnv.GGEN_NEO4J_URI}|${neo4jEnv.GGEN_NEO4J_DATABASE ?? ''}`).digest('hex').slice(0, 12)}.lock`)
let neo4jLocked = false
function lockNeo4j() {
  if (neo4jLocked) return null
  const t0 = Date.now()
  while (true) {
    try {
      mkdirSync(neo4jLockDir)
      writeFileSync(join(neo4jLockDir, 'owner'), String(process.pid))
      neo4jLocked = true
      process.on('exit', unlockNeo4j)
      return null
    } catch (e) {
      if (e.code !== 'EEXIST') return `cannot take the Neo4j test lock: ${e.message}`
      let owner = NaN
      try {
        owner = Number(readFileSync(join(neo4jLockDir, 'owner'), 'utf8'))
      } catch {
        // being created
      }
      let alive = true
      try {
        process.kill(owner, 0)
      } catch (err) {
        alive = err.code === 'EPERM'
      }
      if (Number.isInteger(owner) && !alive) rmSync(neo4jLockDir, {recursive: true, force: true})
      else if (Date.now() - t0 > 10 * 60_000) return 'timed out waiting for the Neo4j test lock'
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
}
function unlockNeo4j() {
  if (neo4jLocked) rmSync(neo4jLockDir, {recursive: true, force: true})
  neo4jLocked = false
}
/** remove a machine's rows: a sync of an empty home under its name prunes everything it synced */
const EMPTY_HOME = join(repo, '.bench', 'empty-home')
function pruneMachine(machine) {
  mkdirSync(EMPTY_HOME, {recursive: true})
  writeFileSync(join(EMPTY_HOME, 'projects.json'), JSON.stringify({format: 'ggen-packs-projects/1', projects: {}}))
  spawnSync(process.execPath, [BIN, 'packs', 'graph', 'sync', '--as', machine, '--json'], {cwd: repo, env: {...neo4jEnv, GGEN_HOME: EMPTY_HOME}, encoding: 'utf8'})
}
if (NEO4J && commandExists('graph/sync')) {
  const prepare = () => lockNeo4j()
  cases.push({name: 'neo4j-sync-first', neo4j: true, note: 'first `graph sync` of this machine (its rows pruned before every run)', argv: ['packs', 'graph', 'sync', '--as', 'bench-first', '--json'], env: neo4jEnv, prepare, before: () => pruneMachine('bench-first'), after: () => pruneMachine('bench-first')})
  cases.push({name: 'neo4j-sync-again', neo4j: true, note: 'nothing-changed re-sync', argv: ['packs', 'graph', 'sync', '--json'], env: neo4jEnv, prepare})
  cases.push({name: 'neo4j-dependents', neo4j: true, note: 'dependents of the most used package, answered by Neo4j', argv: ['packs', 'dependents', popular, '--backend', 'neo4j', '--json'], env: neo4jEnv, prepare})
  // the server's own time (no client start-up): the issue's goal for the dependents query is <= 20 ms
  const serverParams = JSON.stringify({id: popular, machine: null, team: null, owner: null, transitive: true})
  cases.push({name: 'neo4j-dependents-server', neo4j: true, note: 'server time (resultAvailableAfter + resultConsumedAfter) of read/dependent-projects for the most used package, warm', node: [join(repo, 'bench', 'neo4j-server-time.mjs'), 'read/dependent-projects', serverParams], env: neo4jEnv, prepare, serverTime: true})
  cases.push({name: 'neo4j-list', neo4j: true, note: '`list --backend neo4j`', argv: ['packs', 'list', '--backend', 'neo4j', '--json'], env: neo4jEnv, prepare, after: unlockNeo4j})
}
const TIMED = new Set(['list', 'tree', 'why', 'dependents', 'impact', 'verify', 'info', 'search', 'gc', 'security-scan'])
const notTimed = Object.keys(manifest.commands ?? {})
  .filter((id) => id.startsWith('packs:') && !TIMED.has(id.slice(6)))
  .map((id) => id.slice(6).replace(':', ' '))
  .sort()
const selected = ONLY.length ? cases.filter((c) => ONLY.includes(c.name)) : cases

// ------------------------------------------------------------------ measuring
const haveTime = existsSync(TIME)
const rssFile = join(tmpdir(), `ggen-bench-rss-${process.pid}.txt`)
function runOnce(c) {
  c.before?.()
  const nodeArgs = c.node ?? [BIN, ...c.argv]
  const cmd = haveTime ? TIME : process.execPath
  const args = haveTime ? ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...nodeArgs] : nodeArgs
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {cwd: repo, env: c.env ?? env, maxBuffer: 1 << 30, encoding: 'utf8'})
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  let rssKb = null
  let cpuMs = null
  if (haveTime) {
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n')
      const [rss, user, sys] = lines[lines.length - 1].split(' ').map(Number)
      rssKb = rss
      cpuMs = (user + sys) * 1000
    } catch {
      rssKb = null
    }
  }
  // a case measuring the server's time reports it; the process's own time is not the figure
  const server = c.serverTime && r.status === 0 ? Number(JSON.parse(r.stdout).server_ms) : null
  return {ms: server ?? ms, rssKb: c.serverTime ? null : rssKb, cpuMs: c.serverTime ? null : cpuMs, status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? ''}
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** sanity of the output of the first measured run */
function describeOutput(c, out) {
  if (c.serverTime) return `server time, ${JSON.parse(out).rows} rows`
  if (c.node || !c.argv.includes('--json')) return `${out.length} bytes of text`
  if (c.name !== 'list-cold' && c.name !== 'list-warm') {
    try {
      const j = JSON.parse(out)
      const rows = Array.isArray(j) ? j.length : Object.entries(j).map(([k, v]) => (Array.isArray(v) ? `${k}: ${v.length}` : null)).filter(Boolean).join(', ')
      return `json ok${rows !== '' ? ` (${Array.isArray(j) ? `${rows} rows` : rows})` : ''}`
    } catch {
      return `output is not JSON (${out.length} bytes)`
    }
  }
  try {
    const rows = JSON.parse(out)
    const projects = new Set(rows.flatMap((r) => r.projects.map((p) => p.path)))
    const refs = rows.reduce((s, r) => s + r.projects.length, 0)
    return `${rows.length} rows (expected ${meta.store.entries}), ${projects.size} projects, ${refs} project refs (expected ${meta.edges.locks} locks), ${rows.filter((r) => r.yanked).length} yanked, ${rows.filter((r) => r.deprecated).length} deprecated, ${(out.length / 1e6).toFixed(1)} MB`
  } catch (error) {
    return `output is not JSON: ${error.message}`
  }
}

const load0 = loadavg()
console.log(`\nggen packs read-command benchmark — ${new Date().toISOString()}`)
console.log(`data: ${DATA} — ${meta.registry.versions} versions / ${meta.registry.packages} packages, ${meta.workspace.projects} projects, ${meta.store.entries} installed versions, ${meta.edges.total} edges (seed ${meta.params.seed})`)
console.log(`env: node ${process.version}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load avg ${load0.map((x) => x.toFixed(2)).join(' ')}`)
console.log(`     NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'REMOVED from' : 'not set in'} the child environment; other GGEN_* variables cleared; GGEN_HOME, GGEN_REGISTRY_URL, GGEN_MACHINE=bench, NO_COLOR=1 set`)
console.log(`     ${WARMUP} warm-up + ${RUNS} measured runs per command; wall time of the whole process (spawn to exit)${haveTime ? '; peak RSS via /usr/bin/time -f %M' : '; /usr/bin/time missing: no RSS'}`)
console.log(`     "cold" = workspace cache deleted; the OS page cache stays warm. cpu = median user+sys of the process (/usr/bin/time, 10 ms resolution): less sensitive to a busy machine than wall time\n`)

const results = []
for (const c of selected) {
  if (c.skip) {
    results.push({name: c.name, note: c.note, skipped: c.skip})
    console.error(`bench: ${c.name}: skipped (${c.skip})`)
    continue
  }
  const unprepared = c.prepare?.()
  if (unprepared) {
    results.push({name: c.name, note: c.note, skipped: unprepared})
    console.error(`bench: ${c.name}: skipped (${unprepared})`)
    continue
  }
  const command = c.node ? `node ${c.node.join(' ')}` : `ggen ${c.argv.join(' ')}`
  console.error(`bench: ${c.name}: ${command}`)
  for (let i = 0; i < WARMUP; i++) runOnce(c)
  const runs = []
  let output = ''
  let failed = null
  for (let i = 0; i < RUNS; i++) {
    const r = runOnce(c)
    if (i === 0) output = describeOutput(c, r.stdout) + (r.stdout.trim() === '' && !c.node ? ` (exit ${r.status}; stderr: ${r.stderr.trim().split('\n')[0] || 'empty'})` : '')
    if (r.status !== 0 && r.status !== 1) {
      failed = `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ')}`
      break
    }
    runs.push(r)
  }
  c.after?.()
  if (failed) {
    results.push({name: c.name, command, note: c.note, error: failed})
    console.error(`bench: ${c.name}: FAILED ${failed}`)
    continue
  }
  const ms = runs.map((r) => r.ms)
  const rss = runs.map((r) => r.rssKb).filter((x) => x !== null)
  const cpu = runs.map((r) => r.cpuMs).filter((x) => x !== null)
  const goal = GOALS[c.name]
  const med = median(ms)
  const peakMb = rss.length ? Math.max(...rss) / 1024 : null
  let status = '-'
  let goalMs = goal?.ms
  if (goal?.relative) {
    const base = results.find((r) => r.name === goal.relative && r.median_ms)
    goalMs = base ? Math.round(base.median_ms * goal.factor) : undefined
  }
  if (goalMs) status = med <= goalMs ? 'PASS' : goal.ceiling && med <= goal.ceiling ? 'OVER (within ceiling)' : 'OVER'
  const memStatus = STARTUP.has(c.name) || c.neo4j || peakMb === null ? '-' : peakMb <= MEMORY_GOAL_MB ? 'PASS' : 'OVER'
  results.push({
    name: c.name,
    command,
    note: c.note,
    runs_ms: ms.map((x) => Math.round(x * 10) / 10),
    median_ms: Math.round(med * 10) / 10,
    min_ms: Math.round(Math.min(...ms) * 10) / 10,
    max_ms: Math.round(Math.max(...ms) * 10) / 10,
    peak_rss_mb: peakMb === null ? null : Math.round(peakMb * 10) / 10,
    cpu_ms_median: cpu.length ? Math.round(median(cpu)) : null,
    cpu_ms_runs: cpu.map((x) => Math.round(x)),
    exit: runs[0].status,
    ...(c.serverTime ? {server_time: true} : {}),
    output,
    goal_ms: goalMs ?? null,
    ceiling_ms: goal?.ceiling ?? null,
    time_status: status,
    memory_goal_mb: STARTUP.has(c.name) ? null : MEMORY_GOAL_MB,
    memory_status: memStatus,
  })
}
rmSync(rssFile, {force: true})
const load1 = loadavg()
// every median as a multiple of `node -e 0`'s, measured in the same run
const floor = results.find((r) => r.name === 'node-floor' && r.median_ms)
const helpRun = results.find((r) => r.name === 'help' && r.median_ms)
for (const r of results) {
  if (r.server_time) continue // the server's time: no process to compare
  if (floor && r.median_ms) r.x_node = Math.round((r.median_ms / floor.median_ms) * 10) / 10
  if (helpRun && r.median_ms) r.x_help = Math.round((r.median_ms / helpRun.median_ms) * 100) / 100
}

// ------------------------------------------------------------------ report
const pad = (s, n) => String(s).padEnd(n)
const lpad = (s, n) => String(s).padStart(n)
const header = ['case', 'median', 'min', 'max', 'cpu (u+s)', 'peak RSS', 'x node', 'x help', 'time goal', 'time', 'mem']
const rows = results.map((r) =>
  r.skipped || r.error
    ? [r.name, '-', '-', '-', '-', '-', '-', '-', '-', r.skipped ? 'SKIPPED' : 'FAILED', '-']
    : [
        r.name,
        `${r.median_ms.toFixed(0)} ms`,
        `${r.min_ms.toFixed(0)} ms`,
        `${r.max_ms.toFixed(0)} ms`,
        r.cpu_ms_median === null ? '-' : `${r.cpu_ms_median} ms`,
        r.peak_rss_mb === null ? '-' : `${r.peak_rss_mb.toFixed(0)} MB`,
        r.x_node === undefined ? '-' : `${r.x_node.toFixed(1)}x`,
        r.x_help === undefined ? '-' : `${r.x_help.toFixed(2)}x`,
        r.goal_ms ? `<= ${r.goal_ms}${r.ceiling_ms ? ` (max ${r.ceiling_ms})` : ''}` : '-',
        r.time_status,
        r.memory_status,
      ],
)
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
const line = (cells) => cells.map((c, i) => (i >= 1 && i <= 7 ? lpad(c, widths[i]) : pad(c, widths[i]))).join('  ')
console.log(line(header))
console.log(widths.map((w) => '-'.repeat(w)).join('  '))
for (const r of rows) console.log(line(r))
console.log('')
for (const r of results) {
  if (r.skipped) console.log(`${r.name}: skipped — ${r.skipped}`)
  else if (r.error) console.log(`${r.name}: ${r.error}`)
  else console.log(`${r.name}: ${r.command.replaceAll(repo + '/', '')}\n    ${r.note}; ${r.output}`)
}
const absent = ['tree', 'why', 'dependents', 'impact', 'verify'].filter((n) => !commandExists(n))
if (absent.length) console.log(`\nnot timed (no dist/commands/packs/<name>.js yet): ${absent.join(', ')}`)
if (notTimed.length) console.log(`other commands, not benchmarked (writes, neo4j, or no goal): ${notTimed.join(', ')}`)
console.log(`memory goal: peak RSS <= ${MEMORY_GOAL_MB} MB for every command. load avg before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${load1.map((x) => x.toFixed(2)).join(' ')}${load0[0] > cpus().length ? ' — the machine was busy: timings are pessimistic' : ''}`)

mkdirSync(dirname(RESULTS), {recursive: true})
writeFileSync(
  RESULTS,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadavg_before: load0,
      loadavg_after: load1,
      runs: RUNS,
      warmup: WARMUP,
      data: {dir: DATA, ...meta},
      env: {NODE_EXTRA_CA_CERTS: 'removed', GGEN_HOME: HOME, GGEN_REGISTRY_URL: REGISTRY, GGEN_MACHINE: 'bench'},
      results,
    },
    null,
    2,
  ) + '\n',
)
console.log(`\nwrote ${RESULTS}`)

// ------------------------------------------------------------------ docs/benchmarks.md (a full run only)
function docsTable() {
  const cell = (r) =>
    r.skipped || r.error
      ? `| ${r.name} | ${r.skipped ? `skipped: ${r.skipped}` : `FAILED: ${r.error}`} | | | | | | | |`
      : `| ${r.name} | ${r.median_ms.toFixed(0)} ms | ${r.min_ms.toFixed(0)}–${r.max_ms.toFixed(0)} | ${r.cpu_ms_median === null ? '-' : `${r.cpu_ms_median} ms`} | ${r.peak_rss_mb === null ? '-' : `${r.peak_rss_mb.toFixed(0)} MB`} | ${r.x_node === undefined ? '-' : `${r.x_node.toFixed(1)}x`} | ${r.x_help === undefined ? '-' : `${r.x_help.toFixed(2)}x`} | ${r.goal_ms ? `≤ ${r.goal_ms} ms` : '-'} | ${r.time_status}${r.memory_status === 'OVER' ? ', RSS OVER' : ''} |`
  return [
    `<!-- bench:${SCALE} -->`,
    `### ${meta.registry.versions.toLocaleString('en')} versions / ${meta.workspace.projects.toLocaleString('en')} projects (\`npm run bench${SCALE === '10k' ? '' : ` -- --scale ${SCALE}`}\`)`,
    '',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; node ${process.version}; ${cpus().length} CPUs (shared), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load avg ${load0[0].toFixed(2)} before, ${load1[0].toFixed(2)} after; \`NODE_EXTRA_CA_CERTS\` unset in the child; ${WARMUP} warm-up + ${RUNS} runs each; ${meta.store.entries} installed versions, ${meta.edges.total} edges. Peak RSS goal ${MEMORY_GOAL_MB} MB (embedded).`,
    '',
    '| case | median | min–max ms | cpu u+s | peak RSS | x `node -e 0` | x `ggen --help` | goal | status |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.filter((r) => !['startup', 'packs-help', 'list-help', 'list-example'].includes(r.name)).map(cell),
    `<!-- /bench:${SCALE} -->`,
  ].join('\n')
}
if (WRITE_DOCS && ONLY.length === 0 && existsSync(DOCS)) {
  const text = readFileSync(DOCS, 'utf8')
  const re = new RegExp(`<!-- bench:${SCALE} -->[\\s\\S]*?<!-- /bench:${SCALE} -->`)
  const next = re.test(text) ? text.replace(re, docsTable()) : `${text.trimEnd()}\n\n${docsTable()}\n`
  writeFileSync(DOCS, next)
  console.log(`wrote the ${SCALE} table into ${DOCS}`)
}
