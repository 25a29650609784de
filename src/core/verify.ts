/**
 * `packs verify [--project DIR | --all]`: is each project consistent? Problems, each with a
 * severity (errors fail verification: exit code 1; warnings are reported, and fail it too with
 * `strict`):
 *   unreadable          error    ggen.toml or the lockfile cannot be read (file and field named)
 *   no-lockfile         error    ggen.toml requires packs, nothing is installed
 *   no-manifest         warning  a lockfile without ggen.toml
 *   legacy-lockfile     warning  only a legacy ggen.lock / gpack.lock (read; `install` rewrites it)
 *   not-locked          error    a ggen.toml requirement the lockfile does not lock
 *   unsatisfied-range   error    a requirer's range (ggen.toml's or a locked package's) the locked version does not satisfy
 *   missing-dependency  error    a locked package requires an id the lockfile does not lock
 *   dangling-dependency error    a lock entry lists a dependency id that is not a key of the lockfile
 *   integrity-invalid   error    not a digest (`sha256-UNKNOWN-pack-not-found-locally`, empty); a warning for non-registry sources
 *   integrity-not-sri   warning  a digest, but hex or another algorithm rather than SRI base64
 *   store-missing       error    a registry package's store entry is gone
 *   store-corrupt       error    its files changed since they were added (re-hashed)
 *   cycle               error    a dependency cycle among the locks
 *   unreachable         warning  locked, but no path from ggen.toml reaches it
 *   yanked              warning  a yanked version is in use (a lock keeps it working, as cargo; `--strict` fails)
 *   deprecated          warning  a deprecated version is in use
 * And across projects: version drift of one package (warnings; with --all the projects on each
 * version are listed with --show-conflicts, otherwise counted).
 * Graph questions (ranges, cycles, reachability, drift) go to the GraphStore; file, integrity and
 * store checks read the project files and $GGEN_HOME. Store entries are re-hashed in project mode
 * and with `deep`; `--all` checks that each entry is present (fast), `--all --deep` re-hashes all.
 */
import type {PolicyVerifyResult} from './policy-verify.js'
import {count} from '../util/text.js'
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {Lockfile} from '../domain/schemas.js'
import {describeIntegrity, LEGACY_LOCKFILE, WIP_GPACK_LOCKFILE, type IntegrityInfo} from '../formats/legacy-lockfile.js'
import {lockfilePath} from '../formats/lockfile.js'
import {projectFilePath} from '../formats/project-toml.js'
import type {Drift, ProjectRef, ProjectScope} from '../graph/graph-store.js'
import {projectKey, splitVersionKey, versionKey} from '../graph/model.js'
import {integrityDirName} from '../store/integrity.js'
import {openStore, type PacksContext} from './context.js'
import {isProjectDir, knownMachines, machinesText, projectOut, readOneProject, withAnalysisGraph, type AnalysisGraph, type ProjectOut} from './analysis/graph.js'
import {deprecationText} from '../registry/deprecations.js'
import {optionalCatalog} from './impact.js'
import type {EnvironmentVerifyResult, ManifestVerifyResult} from './manifest-verify.js'

export type ProblemCode =
  | 'unreadable'
  | 'no-lockfile'
  | 'no-manifest'
  | 'legacy-lockfile'
  | 'not-locked'
  | 'unsatisfied-range'
  | 'missing-dependency'
  | 'dangling-dependency'
  | 'integrity-invalid'
  | 'integrity-not-sri'
  | 'store-missing'
  | 'store-corrupt'
  | 'cycle'
  | 'unreachable'
  | 'yanked'
  | 'deprecated'

const ORDER: ProblemCode[] = [
  'unreadable',
  'no-lockfile',
  'no-manifest',
  'legacy-lockfile',
  'not-locked',
  'unsatisfied-range',
  'missing-dependency',
  'dangling-dependency',
  'cycle',
  'yanked',
  'integrity-invalid',
  'store-missing',
  'store-corrupt',
  'integrity-not-sri',
  'unreachable',
  'deprecated',
]

export interface VerifyProblem {
  code: ProblemCode
  severity: 'error' | 'warning'
  message: string
  /** the package concerned */
  id?: string
  /** its locked version (null: not locked) */
  version?: string | null
  requirer?: string
  range?: string
  /** cycle: the packages along it */
  cycle?: string[]
  file?: string
  field?: string
  /** the command that repairs it, when one does */
  fix?: string
}

export interface ProjectVerification {
  project: ProjectOut
  ok: boolean
  problems: VerifyProblem[]
}

export interface DriftRow {
  id: string
  /** by semver; `projects` listed in project mode and with `showConflicts` */
  versions: {version: string; count: number; projects?: ProjectOut[]}[]
}

export interface ProjectsVerifyResult {
  ok: boolean
  mode: 'project' | 'all'
  projects: ProjectVerification[]
  /** packages locked at several versions (in project mode: those this project takes part in) */
  drift: DriftRow[]
  summary: {projects: number; failing: number; errors: number; warnings: number; drift: number}
}

/** what `packs verify` prints with --json, one type per mode: --manifest with --project, --manifest with --env, projects, --policy */
export type VerifyResult = ManifestVerifyResult | EnvironmentVerifyResult | ProjectsVerifyResult | PolicyVerifyResult

export interface ProjectsVerifyOptions {
  /**
   * one project directory unless `all`; when neither is given: the current directory if it is a
   * project, else every known project (a machine-wide command run outside a project means --all)
   */
  project?: string
  all?: boolean
  /** only projects of this machine (default: this machine's) */
  machine?: string
  /** skip the store checks */
  skipStore?: boolean
  /** re-hash every store entry even with --all */
  deep?: boolean
  /** warnings fail verification too */
  strict?: boolean
  /** list the projects on each version of a drifting package (always in project mode) */
  showConflicts?: boolean
  backend?: string
  roots?: string[]
}

interface VersionState {
  yanked: boolean
  deprecated: string | null
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** yanked / deprecated per version key: the registry's word when it has one, else what was recorded at install */
async function versionStates(ctx: PacksContext, g: AnalysisGraph): Promise<Map<string, VersionState>> {
  const out = new Map<string, VersionState>()
  if (g.snapshot) {
    for (const v of g.snapshot.versions) out.set(versionKey(v.id, v.version), {yanked: v.yanked ?? false, deprecated: v.deprecated ?? null})
  } else {
    for (const v of await g.store.listInstalled({machine: ctx.machine})) out.set(versionKey(v.id, v.version), {yanked: v.yanked ?? false, deprecated: v.deprecated ?? null})
  }
  if (ctx.registries.length > 0) {
    const catalog = await optionalCatalog(ctx, 'yanked and deprecated states are those recorded at install time')
    if (catalog) {
      for (const key of out.keys()) {
        const {id, version} = splitVersionKey(key)
        const v = catalog.version(id, version)
        if (v) out.set(key, {yanked: v.yanked, deprecated: v.deprecated ? deprecationText(v.deprecated, v.replacement) : null})
      }
    }
  }
  return out
}

function fileProblems(dir: string, lock: Lockfile): VerifyProblem[] {
  const out: VerifyProblem[] = []
  // a lockfile we wrote is never legacy: spare the stat
  if (!lock.ggen_version?.startsWith('ggen-packs/') && !existsSync(lockfilePath(dir))) {
    const legacy = [LEGACY_LOCKFILE, WIP_GPACK_LOCKFILE].find((f) => existsSync(join(dir, f)))
    if (legacy) {
      out.push({code: 'legacy-lockfile', severity: 'warning', file: join(dir, legacy), message: `only a legacy ${legacy} (read as is); \`ggen packs install\` writes .ggen/packs.lock`})
    }
  }
  for (const [id, e] of Object.entries(lock.packs)) {
    for (const d of e.dependencies) {
      if (!lock.packs[d]) out.push({code: 'dangling-dependency', severity: 'error', id: d, version: null, requirer: versionKey(id, e.version), file: lockfilePath(dir), field: `packs.${id}.dependencies`, message: `${id}@${e.version} lists dependency ${d}, which the lockfile does not lock`})
    }
  }
  return out
}

const NO_PROBLEMS: VerifyProblem[] = []
/** what installs record: 64 bytes of sha512 in base64 (86 characters and `==`); the common case skips the full check */
const SHA512_SRI = /^sha512-[A-Za-z0-9+/]{85}[AQgw]==$/
const SRI_OK: IntegrityInfo = {kind: 'sri', algorithm: 'sha512', sri: ''}

interface StoreCheck {
  problems(id: string, version: string, integrity: string, source: string, dir: string): VerifyProblem[]
}

function storeChecker(ctx: PacksContext, o: {skip: boolean; rehash: boolean}): StoreCheck {
  const store = openStore(ctx)
  // without re-hashing, presence is one directory listing instead of a stat per entry
  let dirs: Set<string> | undefined
  const present = (integrity: string): boolean => {
    if (o.rehash) return store.has(integrity)
    dirs ??= new Set(store.listDirs())
    return dirs.has(integrityDirName(integrity))
  }
  const results = new Map<string, string[] | 'missing'>()
  const described = new Map<string, IntegrityInfo>()
  return {
    problems(id, version, integrity, source, dir) {
      let info = described.get(integrity)
      if (!info) described.set(integrity, (info = SHA512_SRI.test(integrity) ? SRI_OK : describeIntegrity(integrity)))
      if (info.kind === 'sri' && (o.skip || source !== 'Registry')) return NO_PROBLEMS
      const at = {id, version, file: lockfilePath(dir), field: `packs.${id}.integrity`}
      if (info.kind === 'invalid') {
        return [{code: 'integrity-invalid', severity: source === 'Registry' ? 'error' : 'warning', ...at, message: `${id}@${version}: integrity "${integrity}" is not a digest (${info.reason})`}]
      }
      if (info.kind !== 'sri') {
        return [{code: 'integrity-not-sri', severity: 'warning', ...at, message: `${id}@${version}: integrity is ${info.kind === 'hex' ? `a hex ${info.algorithm} digest` : `a ${info.algorithm} digest`}, not SRI (sha512-<base64>); reinstalling records SRI`}]
      }
      let r = results.get(integrity)
      if (r === undefined) {
        r = !present(integrity) ? 'missing' : o.rehash ? store.verifyEntry(integrity) : []
        results.set(integrity, r)
      }
      const fix = `ggen packs install --project ${dir}`
      if (r === 'missing') return [{code: 'store-missing', severity: 'error', id, version, fix, message: `${id}@${version} is missing from the store (${store.entryDir(integrity)}); fetch it again: ${fix}`}]
      if (r.length === 0) return NO_PROBLEMS
      return [{code: 'store-corrupt', severity: 'error', id, version, fix, message: `${id}@${version}: the store copy is damaged (${r.join('; ')}); repair it: ${fix} (fetches it again and checks it against the lockfile's integrity)`}]
    },
  }
}

const driftOut = (d: Drift, multi: boolean, listProjects: boolean): DriftRow => ({
  id: d.id,
  versions: d.versions.map((v) => ({version: v.version, count: v.projects.length, ...(listProjects ? {projects: v.projects.map((p) => projectOut(p, multi))} : {})})),
})

/** `verify --all` over a graph that holds no project of the machine: a gate that checks nothing fails, naming the machines it knows */
async function nothingToVerify(g: AnalysisGraph, machine: string): Promise<PacksError> {
  return new PacksError('E_NO_PROJECT', `verify checked nothing: no known project of machine "${machine}" (machines known: ${machinesText(await knownMachines(g))})`, {
    hint: 'Name a machine that has projects with --machine NAME; on this machine, install into a project (it is then known) or pass --root DIR to scan a folder of projects; for the team graph, sync this machine first (ggen packs graph sync).',
  })
}

export async function verifyProjects(ctx: PacksContext, o: ProjectsVerifyOptions = {}): Promise<ProjectsVerifyResult> {
  const all = o.all === true || (o.project === undefined && !isProjectDir(resolve('.')))
  const machine = o.machine ?? ctx.machine
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots, project: all ? undefined : (o.project ?? '.'), withProjects: all}, async (g) => {
    const multi = g.store.capabilities.scope === 'team'
    // one project: its own files (the graph still holds every project, for drift); --all: the
    // files of this machine's projects (another machine's are checked through the graph alone)
    const scanned = !all ? [await readOneProject(g.projectPath!)] : machine === ctx.machine ? g.projects : []
    const scope: ProjectScope = all ? {machine} : {projectKey: g.projectKey}
    ctx.progress.step('Checking ranges, cycles and reachability')
    const [unsatisfied, cycles, unreachable, states] = await Promise.all([g.store.unsatisfied(scope), g.store.cycles(scope), g.store.unreachable(scope), versionStates(ctx, g)])
    const lockedHere = all ? undefined : Object.keys(scanned[0]?.lock?.packs ?? {})
    const drift = (await g.store.drift({machine, ids: lockedHere})).filter((d) => all || d.versions.some((v) => v.projects.some((p) => p.key === g.projectKey)))

    const byProject = new Map<string, VerifyProblem[]>()
    const add = (key: string, p: VerifyProblem) => {
      const list = byProject.get(key)
      if (list) list.push(p)
      else byProject.set(key, [p])
    }
    const noLockfile = new Set<string>()
    const store = storeChecker(ctx, {skip: o.skipStore === true, rehash: !all || o.deep === true})
    const refs = new Map<string, ProjectRef>()
    // --all: every project the graph holds for the machine, those without problems too
    if (all) for (const p of await g.store.projects({machine})) refs.set(p.key, p)
    let i = 0
    for (const sp of scanned) {
      i++
      if (all) ctx.progress.step('Verifying projects', i, scanned.length)
      const key = projectKey(ctx.machine, sp.path)
      if (sp.error) add(key, {code: 'unreadable', severity: 'error', message: sp.error.message, ...(sp.error.file ? {file: sp.error.file} : {}), ...(sp.error.field ? {field: sp.error.field} : {})})
      if (!refs.has(key)) refs.set(key, {key, name: sp.config?.project.name ?? sp.path.split('/').pop() ?? sp.path, path: sp.path, machine: ctx.machine})
      if (!sp.config && !sp.lock) continue
      const requires = Object.keys(sp.config?.packs ?? {}).length
      if (!sp.lock) {
        if (requires > 0) {
          noLockfile.add(key)
          add(key, {code: 'no-lockfile', severity: 'error', file: lockfilePath(sp.path), fix: `ggen packs install --project ${sp.path}`, message: `ggen.toml requires ${count(requires, 'pack')} but nothing is installed; run: ggen packs install --project ${sp.path}`})
        }
        continue
      }
      if (!sp.config && !sp.error) add(key, {code: 'no-manifest', severity: 'warning', file: projectFilePath(sp.path), message: 'a lockfile without ggen.toml: nothing says which packs are wanted'})
      for (const p of fileProblems(sp.path, sp.lock)) add(key, p)
      for (const [id, e] of Object.entries(sp.lock.packs)) {
        for (const p of store.problems(id, e.version, e.integrity, String(e.source.type), sp.path)) add(key, p)
        const st = states.get(versionKey(id, e.version))
        if (st?.yanked) add(key, {code: 'yanked', severity: 'warning', id, version: e.version, fix: `ggen packs update ${id} --project ${sp.path}`, message: `${id}@${e.version} is yanked (the lockfile keeps it working; new installs skip it); move off it: ggen packs update ${id} --project ${sp.path}`})
        else if (st?.deprecated) add(key, {code: 'deprecated', severity: 'warning', id, version: e.version, message: `${id}@${e.version} is deprecated: ${st.deprecated}`})
      }
    }
    ctx.progress.stop()

    for (const u of unsatisfied) {
      const key = u.project.key
      if (!refs.has(key)) refs.set(key, u.project)
      if (u.requirer === 'ggen.toml') {
        if (u.locked === null) {
          if (!noLockfile.has(key)) add(key, {code: 'not-locked', severity: 'error', id: u.id, version: null, requirer: u.requirer, range: u.range, fix: `ggen packs install --project ${u.project.path}`, message: `ggen.toml requires ${u.id} ${u.range}, but the lockfile does not lock it; run: ggen packs install --project ${u.project.path}`})
        } else {
          add(key, {code: 'unsatisfied-range', severity: 'error', id: u.id, version: u.locked, requirer: u.requirer, range: u.range, message: `ggen.toml requires ${u.id} ${u.range}, but ${u.locked} is locked`})
        }
      } else if (u.locked === null) {
        const dup = byProject.get(key)?.some((p) => p.code === 'dangling-dependency' && p.id === u.id && p.requirer === u.requirer)
        if (!dup) add(key, {code: 'missing-dependency', severity: 'error', id: u.id, version: null, requirer: u.requirer, range: u.range, message: `${u.requirer} requires ${u.id} ${u.range}, but the lockfile does not lock ${u.id}`})
      } else {
        add(key, {code: 'unsatisfied-range', severity: 'error', id: u.id, version: u.locked, requirer: u.requirer, range: u.range, fix: `ggen packs resolve ${u.id} --project ${u.project.path}`, message: `${u.requirer} requires ${u.id} ${u.range}, but ${u.locked} is locked; see: ggen packs resolve ${u.id} --project ${u.project.path}`})
      }
    }
    for (const c of cycles) {
      const ids = c.cycle.map((s) => s.id)
      add(c.project.key, {code: 'cycle', severity: 'error', id: ids[0], cycle: ids, message: `dependency cycle: ${[...c.cycle, c.cycle[0]!].map((s) => `${s.id}@${s.version}`).join(' -> ')}`})
    }
    for (const u of unreachable) add(u.project.key, {code: 'unreachable', severity: 'warning', id: u.id, version: u.version, message: `${u.id}@${u.version} is locked but nothing in ggen.toml needs it (\`ggen packs uninstall\` of its last dependent would have pruned it)`})

    const rank = new Map(ORDER.map((c, n) => [c, n]))
    const failing = (ps: VerifyProblem[]) => ps.some((p) => p.severity === 'error' || o.strict === true)
    const keys = all ? [...refs.keys()] : [g.projectKey!]
    const projects: ProjectVerification[] = []
    for (const key of keys) {
      const ref = refs.get(key) ?? {key, name: g.projectPath!.split('/').pop()!, path: g.projectPath!, machine: ctx.machine}
      const problems = (byProject.get(key) ?? []).sort((a, b) => rank.get(a.code)! - rank.get(b.code)! || cmp(a.id ?? '', b.id ?? '') || cmp(a.requirer ?? '', b.requirer ?? ''))
      projects.push({project: projectOut(ref, multi), ok: !failing(problems), problems})
    }
    if (all && projects.length === 0) throw await nothingToVerify(g, machine)
    projects.sort((a, b) => cmp(a.project.path, b.project.path))
    const errors = projects.reduce((n, p) => n + p.problems.filter((x) => x.severity === 'error').length, 0)
    const warnings = projects.reduce((n, p) => n + p.problems.filter((x) => x.severity === 'warning').length, 0)
    const driftRows = drift.map((d) => driftOut(d, multi, !all || o.showConflicts === true))
    const bad = projects.filter((p) => !p.ok).length
    const ok = bad === 0 && !(o.strict && driftRows.length > 0)
    return {ok, mode: all ? 'all' : 'project', projects, drift: driftRows, summary: {projects: projects.length, failing: bad, errors, warnings, drift: driftRows.length}}
  })
}
