#!/usr/bin/env node
/**
 * Benchmark data generator: a registry, a GGEN_HOME and a workspace of projects as real installs
 * would leave them, at any size, deterministically for a given seed.
 *
 *   node bench/generate.mjs --versions 10000 --projects 1000 --seed 1 --out .bench/big
 *   (npm run bench:generate -- ... builds dist/ first; this file imports the COMPILED modules)
 *
 * Writes, under --out:
 *   registry/index.json          canonical index (ggen-packs-registry/1), ~versions/5 packages
 *   registry/tarballs/*.tgz      real deterministic tarballs (package/gpack.toml + package/templates/main.tmpl)
 *   home/store/v1/index.json     one entry per installed (locked) version
 *   home/store/v1/<algo>-<hex>/  the extracted files + .ggen-store.json marker (treeDigest)
 *   home/projects.json           every project registered
 *   workspace/pNNNN/             ggen.toml + .ggen/packs.lock (byte for byte what `packs install` writes)
 *   advisories/*.json            with --advisories N (default 0: none): N OSV records over the
 *                                generated packages (ranges, versions lists, CVSS vectors, aliases)
 *   bench-meta.json              parameters, counts and generator hash, written last (bench/run.mjs
 *                                reuses a data set whose meta matches)
 *   .ggen-bench                  marks the directory as the generator's: only such a directory
 *                                (or an empty one) is ever wiped and rewritten
 *
 * Shape: packages sit in 4 layers (core -> libraries -> frameworks -> apps); every version declares
 * 0-6 dependencies on packages of lower layers only (so on smaller package indexes: a DAG), with
 * ranges (^x.y.z / ~x.y.z / >=M.0.0 <M+1.0.0) aimed at the dependency's newest version when it was
 * published. Each project was "installed" at some moment (its epoch): its direct requirements are
 * ^(newest version then) and the resolver prefers the versions that were newest at the epoch, so
 * projects lock a realistic spread of old and new versions. Versions are chosen by construction
 * (packages visited from the highest index down, so all requirers of a package are decided before
 * it; a direct requirement that leads to an unsatisfiable package is dropped), then the REAL resolver
 * (dist/src/resolve/resolver.js) resolves the project with those versions as its lockfile, exactly as
 * `packs install` on a locked project does; its answer is what gets written (bench-meta.json counts
 * any difference from the construction as resolverDiffers; expected 0). Package ids end in the
 * package index (io.ggen.<category>.<word>-NNNN). No clock reads: every timestamp derives from the seed.
 *
 * Tuning aids: BENCH_DEBUG=1 prints phase times; BENCH_NOWRITE=1 computes everything, writes nothing.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync} from 'node:fs'
import {rm, writeFile} from 'node:fs/promises'
import {dirname, join, resolve as resolvePath} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, '..', 'dist', 'src')
if (!existsSync(join(dist, 'resolve', 'resolver.js'))) {
  console.error('bench/generate: dist/ is missing; build first (npm run build, or npx tsc -p tsconfig.build.json)')
  process.exit(2)
}
const imp = (rel) => import(new URL(`../dist/src/${rel}`, import.meta.url).href)
const [{resolve: resolveDeps}, {serializeLockfile, GGEN_VERSION}, {serializeProjectToml}, {stableStringify}, {integrityDirName, computeIntegrity}, {satisfies}] =
  await Promise.all([
    imp('resolve/resolver.js'),
    imp('formats/lockfile.js'),
    imp('formats/project-toml.js'),
    imp('formats/fs.js'),
    imp('store/integrity.js'),
    imp('resolve/versions.js'),
  ])

/** bump when the generated data changes shape, so bench/run.mjs regenerates */
export const GENERATOR_VERSION = 1

// ---------------------------------------------------------------- PRNG
function mulberry32(a) {
  return function () {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
class Rng {
  constructor(seed) {
    this.next = mulberry32(seed >>> 0)
  }
  float() {
    return this.next()
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p) {
    return this.next() < p
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)]
  }
  /** index into `weights` with probability proportional to the weight */
  weighted(weights) {
    let total = 0
    for (const w of weights) total += w
    let x = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]
      if (x < 0) return i
    }
    return weights.length - 1
  }
}
/** a sub-stream per purpose, so changing one part does not reshuffle the others */
const stream = (seed, name) => new Rng((seed * 0x9e3779b1) ^ parseInt(createHash('sha256').update(name).digest('hex').slice(0, 8), 16))

// ---------------------------------------------------------------- vocabulary
const CATEGORIES = ['core', 'rust', 'web', 'api', 'data', 'cli', 'infra', 'ml', 'docs', 'test', 'ui', 'mobile', 'db', 'auth', 'cloud', 'obs']
const WORDS = [
  'axum', 'actix', 'serde', 'tokio', 'react', 'vue', 'svelte', 'next', 'graphql', 'grpc', 'rest', 'openapi', 'kafka', 'redis', 'postgres', 'sqlite', 'mongo',
  'docker', 'helm', 'terraform', 'k8s', 'lambda', 'pytorch', 'pandas', 'arrow', 'parquet', 'jwt', 'oauth', 'ldap', 'otel', 'prom', 'grafana', 'logging',
  'config', 'errors', 'naming', 'paths', 'strings', 'layout', 'forms', 'tables', 'charts', 'router', 'state', 'cache', 'queue', 'cron', 'mailer', 'i18n',
  'auth', 'crud', 'schema', 'migrate', 'seed', 'fixtures', 'bench', 'lint', 'fmt', 'ci', 'release', 'docs', 'book', 'site', 'cli', 'tui', 'wasm', 'ffi',
]
const AUTHORS = ['ggen-team', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'xena', 'yuri', 'zoe', 'acme-labs', 'contoso', 'initech']
const LICENSES = ['MIT', 'MIT', 'MIT', 'Apache-2.0', 'Apache-2.0', 'BSD-3-Clause', 'MPL-2.0', 'ISC']
const TEAMS = ['platform', 'web', 'data', 'mobile', 'infra', 'ml', 'payments', 'growth', 'security', 'devex']
const OWNERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'ken', 'lena', 'mike', 'nora', 'oscar', 'pia', 'quinn', 'ravi', 'sara', 'tom']
const KINDS = ['api', 'svc', 'app', 'web', 'worker', 'lib', 'tool', 'site', 'etl', 'bot']

const DAY = 86_400_000
const iso = (ms) => new Date(ms).toISOString()

// ---------------------------------------------------------------- tarballs (ustar, written by hand: fast and byte-stable)
function tarHeader(name, size) {
  const h = Buffer.alloc(512, 0)
  h.write(name, 0, 100, 'utf8')
  h.write('0000644\0', 100, 'ascii')
  h.write('0000000\0', 108, 'ascii')
  h.write('0000000\0', 116, 'ascii')
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'ascii')
  h.write('00000000000\0', 136, 'ascii')
  h.write('        ', 148, 'ascii')
  h.write('0', 156, 'ascii')
  h.write('ustar\0', 257, 'ascii')
  h.write('00', 263, 'ascii')
  let sum = 0
  for (let i = 0; i < 512; i++) sum += h[i]
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii')
  return h
}
function makeTarball(files) {
  const parts = []
  for (const [rel, content] of files) {
    const data = Buffer.from(content, 'utf8')
    parts.push(tarHeader(`package/${rel}`, data.length), data)
    const pad = (512 - (data.length % 512)) % 512
    if (pad) parts.push(Buffer.alloc(pad, 0))
  }
  parts.push(Buffer.alloc(1024, 0))
  return gzipSync(Buffer.concat(parts), {level: 6})
}

const q = (s) => JSON.stringify(s)
function packFiles(pkg, v) {
  const deps = Object.entries(v.dependencies).map(([d, r]) => `${q(d)} = ${q(r)}\n`).join('')
  const reg = [`published_at = ${q(v.published_at)}`]
  if (v.deprecated) reg.push(`deprecated = ${q(v.deprecated)}`)
  if (v.yanked) reg.push('yanked = true')
  const toml =
    `[gpack]\nid = ${q(pkg.id)}\nname = ${q(pkg.name)}\nversion = ${q(v.version)}\ndescription = ${q(pkg.description)}\nlicense = ${q(v.license)}\n` +
    `authors = [${q(pkg.author)}]\nkeywords = [${pkg.keywords.map(q).join(', ')}]\ncategory = ${q(pkg.category)}\nggen_compat = ">=3.0.0"\n` +
    `repository = ${q(pkg.repository)}\nproduction_ready = ${v.production_ready}\nquality_score = ${v.quality_score}\n\n[dependencies]\n${deps}\n` +
    `[templates]\nmain = "templates/main.tmpl"\n\n[registry]\n${reg.join('\n')}\n`
  const tmpl = `---\nto: generated/${pkg.word}.txt\n---\n${pkg.name} ${v.version}: generated by ggen for {{ project }}\n`
  // sorted as listPackFiles walks them
  return [
    ['gpack.toml', toml],
    ['templates/main.tmpl', tmpl],
  ]
}


/** the digest store.add records (treeDigest in src/store/store.ts), computed from the files in listPackFiles order */
function treeDigestOf(files) {
  const h = createHash('sha256')
  for (const [rel, content] of files) h.update(rel).update('\0').update(content)
  return h.digest('hex')
}

/** many small files on a slow disk: keep up to `limit` writes in flight (creation is I/O-latency bound) */
class Writer {
  constructor(limit) {
    this.limit = limit
    this.pending = new Set()
    this.dirs = new Set()
  }
  async write(file, data) {
    if (process.env.BENCH_NOWRITE) return
    const dir = dirname(file)
    if (!this.dirs.has(dir)) {
      mkdirSync(dir, {recursive: true})
      this.dirs.add(dir)
    }
    const p = writeFile(file, data).finally(() => this.pending.delete(p))
    this.pending.add(p)
    if (this.pending.size >= this.limit) await Promise.race(this.pending)
  }
  async flush() {
    await Promise.all(this.pending)
  }
}

// ---------------------------------------------------------------- registry
function nextVersion(prev, r, count) {
  const [M, m, p] = prev.split('.').map(Number)
  const x = r.float()
  if (count >= 2 && x < 0.04) return `${M + 1}.0.0`
  if (x < 0.42) return `${M}.${m + 1}.0`
  return `${M}.${m}.${p + 1}`
}

function buildRegistry(N, seed, T0, W) {
  const r = stream(seed, 'registry')
  const P = Math.max(1, Math.round(N / 5))
  // versions per package: 3..7, then adjusted to sum to exactly N
  const counts = Array.from({length: P}, () => r.int(3, 7))
  let sum = counts.reduce((a, b) => a + b, 0)
  while (sum !== N) {
    const i = r.int(0, P - 1)
    const step = sum > N ? (counts[i] > 1 ? -1 : 0) : counts[i] < 12 ? 1 : 0
    counts[i] += step
    sum += step
  }
  // layers by package index: core 5%, libraries 15%, frameworks 30%, apps 50%
  const bounds = [0, Math.ceil(P * 0.05), Math.ceil(P * 0.2), Math.ceil(P * 0.5), P]
  const layerOf = (i) => (i < bounds[1] ? 0 : i < bounds[2] ? 1 : i < bounds[3] ? 2 : 3)
  // popularity inside the packages below a layer: low indexes (older, more basic) are used more
  const popularity = Array.from({length: P}, (_, i) => 1 / Math.pow(1 + (i - bounds[layerOf(i)]), 0.6))

  const packages = []
  for (let i = 0; i < P; i++) {
    const layer = layerOf(i)
    const cat = layer === 0 ? 'core' : r.pick(CATEGORIES.slice(1))
    const word = r.pick(WORDS)
    const id = `io.ggen.${cat}.${word}-${String(i).padStart(4, '0')}`
    const title = word[0].toUpperCase() + word.slice(1)
    packages.push({
      index: i,
      layer,
      id,
      word,
      category: cat,
      name: `${title} ${['core', 'kit', 'templates', 'starter', 'toolkit', 'scaffold'][layer === 0 ? 0 : r.int(1, 5)]} ${i}`,
      description: `${title} templates for ${cat} projects (${['basic', 'production', 'opinionated', 'minimal', 'full-stack'][r.int(0, 4)]} layout)`,
      author: AUTHORS[Math.min(AUTHORS.length - 1, Math.floor(Math.pow(r.float(), 1.8) * AUTHORS.length))],
      license: r.pick(LICENSES),
      keywords: [cat, word],
      repository: `https://example.org/gpacks/${id}`,
      downloads: Math.round(popularity[i] * 100000 * (0.5 + r.float())),
      versions: [],
    })
  }
  // dependency count distribution per layer (0-6, mean ~1.2); lower layers have fewer
  const DEP_WEIGHTS = [[1], [45, 35, 15, 5], [30, 35, 20, 8, 4, 2, 1], [28, 34, 20, 9, 5, 3, 1]]

  for (const pkg of packages) {
    const n = counts[pkg.index]
    // publication times: lower layers first published earlier; all within [T0, T0 + W]
    const [lo, hi] = [[0, 0.1], [0, 0.3], [0.05, 0.45], [0.1, 0.6]][pkg.layer]
    let t = T0 + (lo + r.float() * (hi - lo)) * W
    const span = T0 + W - t
    const gaps = Array.from({length: n}, () => 0.3 + r.float())
    const gapSum = gaps.reduce((a, b) => a + b, 0)
    // the base dependency set, grown over versions
    const below = bounds[pkg.layer]
    const depIds = []
    if (below > 0) {
      const k = Math.min(below, r.weighted(DEP_WEIGHTS[pkg.layer]))
      const w = popularity.slice(0, below)
      while (depIds.length < k) {
        const d = r.weighted(w)
        if (!depIds.includes(d)) depIds.push(d)
      }
    }
    let version = '1.0.0'
    for (let j = 0; j < n; j++) {
      if (j > 0) {
        version = nextVersion(version, r, j)
        t += (gaps[j - 1] / gapSum) * span * 0.98
        // now and then a release adds or drops a dependency
        if (below > 0 && depIds.length < 6 && r.chance(0.12)) {
          const d = r.weighted(popularity.slice(0, below))
          if (!depIds.includes(d)) depIds.push(d)
        } else if (depIds.length > 0 && r.chance(0.05)) depIds.splice(r.int(0, depIds.length - 1), 1)
      }
      const quality = Math.max(20, Math.min(100, Math.round(55 + 25 * (r.float() + r.float() - 1) + pkg.layer * -3 + 10)))
      pkg.versions.push({
        version,
        published_ms: Math.round(t / 1000) * 1000,
        depIds: [...depIds],
        quality_score: quality,
        production_ready: quality >= 70 && r.chance(0.8),
        license: pkg.license,
      })
    }
    // registry-side state: an older version deprecated now and then, a few yanked, a few abandoned packages
    const abandoned = r.chance(0.01)
    for (let j = 0; j < n; j++) {
      const v = pkg.versions[j]
      const latest = pkg.versions[n - 1].version
      v.deprecated = abandoned
        ? 'no longer maintained; no replacement planned'
        : j < n - 1 && r.chance(0.07)
          ? `contains known bugs; upgrade to ${latest}`
          : null
      v.yanked = j > 0 && r.chance(0.012)
    }
  }
  // ranges: aimed at the dependency's newest (non-yanked) version when this version was published
  for (const pkg of packages) {
    for (const v of pkg.versions) {
      const deps = {}
      for (const d of v.depIds) {
        const dep = packages[d]
        let target = dep.versions[0]
        for (const dv of dep.versions) if (dv.published_ms <= v.published_ms && !dv.yanked) target = dv
        const [M] = target.version.split('.')
        const x = r.float()
        deps[dep.id] = x < 0.7 ? `^${target.version}` : x < 0.82 ? `~${target.version}` : `>=${M}.0.0 <${Number(M) + 1}.0.0`
      }
      v.dependencies = deps
      v.published_at = iso(v.published_ms)
    }
  }
  return packages
}

// ---------------------------------------------------------------- main generator
export async function generate(opts) {
  const started = process.hrtime.bigint()
  const N = opts.versions
  const M = opts.projects
  const seed = opts.seed
  const out = resolvePath(opts.out)
  const t0 = performance.now()
  const log0 = opts.log ?? (() => {})
  const log = (m) => log0(process.env.BENCH_DEBUG ? `${m} (+${Math.round(performance.now() - t0)} ms)` : m)
  const T0 = Date.UTC(2024, 0, 1) + (Math.abs(seed) % 97) * DAY
  const W = 730 * DAY

  // refuse to wipe a directory this generator did not write
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, '.ggen-bench')) && !existsSync(join(out, 'bench-meta.json'))) {
    throw new Error(`${out} exists, is not empty and was not written by bench/generate.mjs: refusing to overwrite it`)
  }
  mkdirSync(out, {recursive: true})
  await writeFile(join(out, '.ggen-bench'), 'written by bench/generate.mjs; the whole directory is regenerated on demand\n')
  await Promise.all(['registry', 'home', 'workspace', 'advisories', 'bench-meta.json'].map((sub) => rm(join(out, sub), {recursive: true, force: true})))
  const writer = new Writer(64)
  const regDir = join(out, 'registry')
  const home = join(out, 'home')
  const ws = join(out, 'workspace')
  const registryUrl = opts.registryUrl ?? regDir
  mkdirSync(join(regDir, 'tarballs'), {recursive: true})
  mkdirSync(join(home, 'store', 'v1'), {recursive: true})
  mkdirSync(ws, {recursive: true})

  // ---- registry
  log('registry: generating packages and versions')
  const packages = buildRegistry(N, seed, T0, W)
  const byId = new Map(packages.map((p) => [p.id, p]))
  const index = {format: 'ggen-packs-registry/1', name: `bench-${seed}`, updated_at: iso(T0 + W), keys: [], packages: {}}
  const versionInfo = new Map() // `${id}@${version}` -> {integrity, files, size}
  let versionRequires = 0
  let yankedCount = 0
  let deprecatedCount = 0
  for (const pkg of packages) {
    const versions = {}
    for (const v of pkg.versions) {
      const content = packFiles(pkg, v)
      const tgz = makeTarball(content)
      const integrity = computeIntegrity(tgz)
      const size = content.reduce((s, [, c]) => s + Buffer.byteLength(c), 0)
      const tarRel = `tarballs/${pkg.id}-${v.version}.tgz`
      await writer.write(join(regDir, tarRel), tgz)
      versionInfo.set(`${pkg.id}@${v.version}`, {integrity, files: content, size, digest: treeDigestOf(content)})
      versionRequires += Object.keys(v.dependencies).length
      if (v.yanked) yankedCount++
      if (v.deprecated) deprecatedCount++
      versions[v.version] = {
        version: v.version,
        dependencies: v.dependencies,
        integrity,
        tarball: tarRel,
        license: v.license,
        quality_score: v.quality_score,
        production_ready: v.production_ready,
        deprecated: v.deprecated,
        yanked: v.yanked,
        published_at: v.published_at,
        size,
        ggen_compat: '>=3.0.0',
      }
    }
    index.packages[pkg.id] = {
      id: pkg.id,
      name: pkg.name,
      description: pkg.description,
      author: pkg.author,
      license: pkg.license,
      category: pkg.category,
      keywords: pkg.keywords,
      tags: [],
      repository: pkg.repository,
      downloads: pkg.downloads,
      versions,
    }
  }
  await writer.write(join(regDir, 'index.json'), stableStringify(index))

  // ---- projects
  log('workspace: resolving projects')
  const r = stream(seed, 'projects')
  const sourceCache = new Map()
  const source = {
    versions(id) {
      let c = sourceCache.get(id)
      if (c === undefined) {
        const p = byId.get(id)
        c = p ? p.versions.map((v) => ({version: v.version, dependencies: v.dependencies, yanked: v.yanked})) : undefined
        sourceCache.set(id, c)
      }
      return c
    },
  }
  /** newest version published at or before `ms` (yanked later or not: a project may hold a since-yanked version) */
  const newestAt = (pkg, ms) => {
    let best
    for (const v of pkg.versions) if (v.published_ms <= ms) best = v
    return best
  }
  const P = packages.length
  const appStart = Math.ceil(P * 0.2)
  const directPopularity = packages.map((p, i) => (i >= appStart ? 1 : 0.15) / Math.pow(1 + (i % 97), 0.3))
  /**
   * Choose one version per package for a project by construction. Dependencies only point to
   * smaller package indexes, so walking the candidate packages from the highest index down decides
   * every requirer of a package before the package itself: pick the newest version published by
   * the epoch that satisfies every range seen (else any satisfying version). When none does, report
   * which direct requirement to drop (the last picked one that reaches the conflict).
   */
  const construct = (direct, epoch) => {
    const want = new Map() // package index -> {ranges: [range], roots: bitmask of direct positions}
    const need = (idx) => {
      let w = want.get(idx)
      if (!w) want.set(idx, (w = {ranges: [], roots: 0}))
      return w
    }
    direct.forEach((d, k) => {
      const w = need(d.pkg.index)
      w.ranges.push(d.range)
      w.roots |= 1 << k
    })
    const versions = {}
    const lastRoot = (mask) => 31 - Math.clz32(mask)
    for (let idx = P - 1; idx >= 0; idx--) {
      const w = want.get(idx)
      if (!w) continue
      const pkg = packages[idx]
      const ok = pkg.versions.filter((v) => w.ranges.every((rg) => satisfies(v.version, rg)))
      const atEpoch = ok.filter((v) => v.published_ms <= epoch)
      const chosen = atEpoch.length ? atEpoch[atEpoch.length - 1] : ok.find((v) => !v.yanked)
      if (!chosen || (chosen.yanked && atEpoch.length === 0)) return {conflict: lastRoot(w.roots)}
      versions[pkg.id] = chosen.version
      for (const depId of Object.keys(chosen.dependencies)) {
        const dw = need(byId.get(depId).index)
        dw.ranges.push(chosen.dependencies[depId])
        dw.roots |= w.roots
      }
    }
    return {versions}
  }
  const width = Math.max(4, String(M).length)
  const projectsFile = {format: 'ggen-packs-projects/1', projects: {}}
  const installed = new Map() // integrity -> {pkg, v, added_ms}
  let projectRequires = 0
  let locks = 0
  let dependsOn = 0
  let dropped = 0
  let resolveSteps = 0
  let resolverDiffers = 0
  for (let i = 1; i <= M; i++) {
    const dirName = `p${String(i).padStart(width, '0')}`
    const dir = join(ws, dirName)
    const epoch = Math.round((T0 + (0.18 + 0.82 * r.float()) * W) / 1000) * 1000
    const kind = r.pick(KINDS)
    const team = r.pick(TEAMS)
    const owner = r.pick(OWNERS)
    const want = r.int(3, 10)
    // direct requirements: ^(newest version at the epoch), a few ~
    const direct = []
    for (let tries = 0; direct.length < want && tries < want * 20; tries++) {
      const pkg = packages[r.weighted(directPopularity)]
      if (direct.some((d) => d.pkg === pkg)) continue
      const v = newestAt(pkg, epoch)
      if (!v || v.yanked) continue
      direct.push({pkg, range: r.chance(0.1) ? `~${v.version}` : `^${v.version}`})
    }
    let resolution
    while (direct.length > 0) {
      const plan = construct(direct, epoch)
      if (plan.conflict !== undefined) {
        // drop the most recently picked direct requirement that leads to the conflict
        direct.splice(plan.conflict, 1)
        dropped++
        continue
      }
      // the real resolver, with the constructed versions as the lockfile it prefers (as `install`
      // on a project with a lockfile does): a consistent preference resolves without backtracking
      const roots = Object.fromEntries(direct.map((d) => [d.pkg.id, d.range]))
      try {
        resolution = resolveDeps(source, {roots, locked: plan.versions, rootName: dirName, maxSteps: 20_000})
      } catch (error) {
        if (!error || error.code === undefined) throw error
        direct.pop()
        dropped++
        continue
      }
      resolveSteps += resolution.steps
      for (const [id, rp] of Object.entries(resolution.packages)) if (plan.versions[id] !== rp.version) resolverDiffers++
      if (Object.keys(resolution.packages).length !== Object.keys(plan.versions).length) resolverDiffers++
      break
    }
    const installedAt = iso(epoch + 60_000 + r.int(0, 3_000_000))
    const packs = {}
    for (const [id, rp] of Object.entries(resolution?.packages ?? {})) {
      const info = versionInfo.get(`${id}@${rp.version}`)
      const deps = Object.keys(rp.dependencies).filter((d) => resolution.packages[d]).sort()
      packs[id] = {
        version: rp.version,
        source: {type: 'Registry', url: registryUrl},
        integrity: info.integrity,
        installed_at: installedAt,
        dependencies: deps,
        requires: {...rp.dependencies},
      }
      locks++
      dependsOn += deps.length
      const prev = installed.get(info.integrity)
      const ms = Date.parse(installedAt)
      if (!prev) installed.set(info.integrity, {pkg: byId.get(id), version: rp.version, added_ms: ms})
      else if (ms < prev.added_ms) prev.added_ms = ms
    }
    projectRequires += direct.length
    const cfg = {
      project: {name: `${team}-${kind}-${String(i).padStart(width, '0')}`, team, owner},
      packs: Object.fromEntries(direct.map((d) => [d.pkg.id, {version: d.range, optional: false, tier: 'required'}])),
      extra: {},
    }
    const lock = {packs, ggen_version: GGEN_VERSION, ...(direct.length ? {updated_at: installedAt} : {})}
    await writer.write(join(dir, 'ggen.toml'), serializeProjectToml(cfg))
    await writer.write(join(dir, '.ggen', 'packs.lock'), serializeLockfile(lock))
    projectsFile.projects[dir] = {registered_at: iso(epoch)}
  }

  // ---- GGEN_HOME
  log(`home: writing ${installed.size} store entries`)
  const storeDir = join(home, 'store', 'v1')
  const storeIndex = {format: 'ggen-packs-store/1', entries: {}}
  for (const [integrity, e] of installed) {
    const info = versionInfo.get(`${e.pkg.id}@${e.version}`)
    const v = e.pkg.versions.find((x) => x.version === e.version)
    const dirName = integrityDirName(integrity)
    const entryDir = join(storeDir, dirName)
    for (const [rel, content] of info.files) {
      await writer.write(join(entryDir, rel), content)
    }
    await writer.write(
      join(entryDir, '.ggen-store.json'),
      stableStringify({integrity, id: e.pkg.id, version: e.version, size: info.size, files: info.files.length, digest: info.digest}),
    )
    storeIndex.entries[integrity] = {
      integrity,
      id: e.pkg.id,
      version: e.version,
      name: e.pkg.name,
      author: e.pkg.author,
      license: v.license,
      quality_score: v.quality_score,
      production_ready: v.production_ready,
      deprecated: v.deprecated,
      yanked: v.yanked,
      size: info.size,
      files: info.files.length,
      added_at: iso(e.added_ms),
      dir: dirName,
    }
  }
  await writer.write(join(storeDir, 'index.json'), stableStringify(storeIndex))
  await writer.write(join(home, 'projects.json'), stableStringify(projectsFile))
  const advisories = opts.advisories ?? 0
  if (advisories > 0) {
    log(`advisories: writing ${advisories} OSV records`)
    for (const r of advisoryRecords(packages, advisories, seed, T0)) await writer.write(join(out, 'advisories', `${r.id}.json`), JSON.stringify(r))
  }
  await writer.flush()

  const edges = {versionRequires, projectRequires, locks, dependsOn}
  const summary = {
    generator: GENERATOR_VERSION,
    params: {versions: N, projects: M, seed, ...(advisories > 0 ? {advisories} : {})},
    registry: {packages: P, versions: N, yanked: yankedCount, deprecated: deprecatedCount},
    workspace: {projects: M, droppedDirectRequirements: dropped, resolveSteps, resolverDiffers},
    store: {entries: installed.size},
    edges: {...edges, total: versionRequires + projectRequires + locks + dependsOn, versionOf: N},
  }
  await writeFile(join(out, 'bench-meta.json'), stableStringify({...summary, generatorHash: generatorHash()}))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return {...summary, out, seconds}
}

export function generatorHash() {
  return createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 16)
}

// ---------------------------------------------------------------- advisories
const BENCH_VECTORS = ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:N', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N']

/** N OSV records over random packages: an introduced/fixed (or last_affected) range between two of its versions, or a versions list; some with a CVSS vector, every 10th a CVE alias shared with a second record */
function advisoryRecords(packages, n, seed, t0) {
  const rng = stream(seed, 'advisories')
  const out = []
  for (let i = 0; i < n; i++) {
    const pkg = rng.pick(packages)
    const vs = pkg.versions.map((v) => v.version)
    const a = rng.int(0, vs.length - 1)
    const b = rng.int(a, vs.length - 1)
    const affected = {package: {ecosystem: 'ggen', name: pkg.id}}
    if (rng.chance(0.2)) affected.versions = vs.slice(a, b + 1)
    else affected.ranges = [{type: 'SEMVER', events: [{introduced: a === 0 ? '0' : vs[a]}, ...(b + 1 < vs.length ? [rng.chance(0.7) ? {fixed: vs[b + 1]} : {last_affected: vs[b]}] : [])]}]
    const id = `GGEN-BENCH-${String(i).padStart(5, '0')}`
    const cve = `CVE-2026-${String(Math.floor(i / 2)).padStart(5, '0')}`
    out.push({
      schema_version: '1.7.0',
      id,
      modified: iso(t0 + i * 60_000),
      summary: `bench advisory ${i} for ${pkg.id}`,
      ...(i % 10 < 2 ? {aliases: [cve]} : {}),
      ...(rng.chance(0.6) ? {severity: [{type: BENCH_VECTORS[i % BENCH_VECTORS.length].startsWith('CVSS:4') ? 'CVSS_V4' : 'CVSS_V3', score: BENCH_VECTORS[i % BENCH_VECTORS.length]}]} : {database_specific: {severity: rng.pick(['LOW', 'MODERATE', 'HIGH', 'CRITICAL'])}}),
      affected: [affected],
    })
  }
  return out
}

// ---------------------------------------------------------------- CLI
function parseArgs(argv) {
  const o = {versions: 10000, projects: 1000, seed: 1, out: '.bench/big'}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const [k, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.replace(/^--/, ''), undefined]
    const val = () => inline ?? argv[++i]
    if (k === 'versions' || k === 'projects' || k === 'seed' || k === 'advisories') {
      const n = Number(val())
      const min = k === 'seed' || k === 'advisories' ? 0 : 1
      if (!Number.isInteger(n) || n < min) throw new Error(`--${k} needs a ${min === 0 ? 'non-negative' : 'positive'} integer`)
      o[k] = n
    } else if (k === 'out') o.out = val()
    else if (k === 'registry-url') o.registryUrl = val()
    else if (k === 'quiet') o.quiet = true
    else if (k === 'help' || k === 'h') o.help = true
    else throw new Error(`unknown argument ${a}`)
  }
  return o
}

if (process.argv[1] && resolvePath(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let o
  try {
    o = parseArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`bench/generate: ${error.message}`)
    console.error('usage: node bench/generate.mjs --versions N --projects M --seed S --out DIR [--registry-url URL] [--advisories N] [--quiet]')
    process.exit(2)
  }
  if (o.help) {
    console.log('usage: node bench/generate.mjs --versions N --projects M --seed S --out DIR [--registry-url URL] [--advisories N] [--quiet]')
    process.exit(0)
  }
  let s
  try {
    s = await generate({...o, log: o.quiet ? undefined : (m) => console.error(`bench/generate: ${m}`)})
  } catch (error) {
    console.error(`bench/generate: ${error.message}`)
    process.exit(1)
  }
  if (!o.quiet) {
    const e = s.edges
    console.log(`generated ${s.out} (seed ${s.params.seed}) in ${s.seconds.toFixed(1)} s`)
    console.log(`  registry:  ${s.registry.versions} versions of ${s.registry.packages} packages (${s.registry.deprecated} deprecated, ${s.registry.yanked} yanked), real tarballs`)
    console.log(`  workspace: ${s.workspace.projects} projects (${s.workspace.droppedDirectRequirements} unresolvable direct requirements dropped)`)
    console.log(`  store:     ${s.store.entries} installed versions`)
    console.log(`  edges:     ${e.total} = ${e.versionRequires} Version-REQUIRES + ${e.projectRequires} Project-REQUIRES + ${e.locks} LOCKS + ${e.dependsOn} DEPENDS_ON  (+${e.versionOf} Version-OF)`)
  }
}
