/**
 * `packs resolve <id>`: a conflict on one package in one project, and the ways out.
 *  - who requires what: the project's ggen.toml range and every locked package's range on the
 *    package (AnalysisQueries.requirers), plus what resolving the project's ggen.toml against the
 *    registry reports: the requirers of the version it would pick, or of the conflict when it
 *    cannot resolve. A project with a ggen.toml and no lockfile yet is answered from ggen.toml alone;
 *  - the candidate versions (registry), and which requirers each satisfies;
 *  - concrete ways out, each checked with a dry run of the very operation that applies it:
 *      install         `install`: nothing is locked yet and ggen.toml resolves as it is
 *      reresolve       `update <id>`: the current ranges allow a version every requirer accepts
 *      relax           `install <id>@^<v>`: ggen.toml's own range is what excludes <v>
 *      move-requirer   `update <requirer> --to <v>`: another version of the one requiring package
 *                      that excludes <v>, whose range accepts it
 *      move-requirers  `install <r1>@<v1> <r2>@<v2> ...`: several requirers move at once, so that
 *                      one version of the package satisfies every requirer
 *      pin             `update <id> --to <v>`: pin the package to a version every requirer accepts
 *    For each candidate version, the requirers it leaves out must each move to a version of their
 *    own whose range accepts it (or that no longer depends on the package); fewest moves first.
 *  - no way out (nothing resolves): E_RESOLVE (exit 4) naming every requirer and what was tried.
 * The dry runs go through the `check` runner the caller passes (src/ops/resolve-apply.ts hands in
 * install/update): core never imports src/ops. Applying a way (`--apply`) is src/ops/resolve-apply.ts.
 */
import {count} from '../util/text.js'
import {splitAt} from '../domain/spec.js'
import {isPacksError, PacksError} from '../domain/errors.js'
import type {Requirer} from '../graph/graph-store.js'
import {compareRequirers} from '../graph/memory/analysis.js'
import type {ChangeResult, PackageChange} from '../domain/changes.js'
import type {Catalog} from '../registry/catalog.js'
import {resolve as resolveDeps, type CandidateVersion, type Requirement, type VersionSource} from '../resolve/resolver.js'
import {satisfies, semver} from '../resolve/versions.js'
import type {ScannedProject} from '../workspace/projects.js'
import {loadCatalog, type PacksContext} from './context.js'
import {readOneProject, withAnalysisGraph, type ProjectOut, projectOut} from './analysis/graph.js'

export interface ConflictRequirer extends Requirer {
  /** does the locked version satisfy this range (null: nothing locked) */
  satisfied: boolean | null
  /** where we learnt it: the lockfile (graph), or resolving the current ggen.toml against the registry */
  source: 'lockfile' | 'resolver'
}

export interface Candidate {
  version: string
  yanked: boolean
  deprecated: string | null
  /** the requirers whose range this version satisfies */
  satisfies: string[]
  /** it satisfies every requirer */
  all: boolean
}

export type WayKind = 'install' | 'reresolve' | 'relax' | 'move-requirer' | 'move-requirers' | 'pin'

export interface WayOut {
  kind: WayKind
  /** what to do, in words */
  summary: string
  /** the command that does it */
  command: string
  /** checked with a dry run: it resolves */
  works: boolean
  /** what the dry run would change */
  changes: PackageChange[]
  /** why the dry run failed */
  error?: string
  /** how it is applied */
  operation: WayOperation
}

/** the install or update a way out runs */
export interface WayOperation {
  op: 'install' | 'update'
  ids: string[]
  to?: string
}

/** runs a way's operation on the project in `dir` (dry run or for real): src/ops/resolve-apply.ts */
export type WayRunner = (dir: string, operation: WayOperation, dryRun: boolean) => Promise<ChangeResult>

export interface ResolveConflictResult {
  package: string
  project: ProjectOut
  locked: string | null
  conflict: boolean
  /** why there is (or is not) a conflict, in one line */
  explanation: string
  requirers: ConflictRequirer[]
  candidates: Candidate[]
  ways: WayOut[]
  /** set with --apply */
  applied?: {way: number; result: ChangeResult}
}

export interface ResolveConflictOptions {
  project?: string
  backend?: string
  roots?: string[]
  /** checks each way out with a dry run */
  check: WayRunner
}

const MAX_WAYS = 6
const PROJECT = 'ggen.toml'

interface ResolveDetails {
  package: string
  requirers: Requirement[]
}

/** resolving the project's ggen.toml as `install` would (its lockfile preferred): what it picks for `id` and who requires it, or the failure */
type Outcome = {ok: true; version: string | null; requirers: Requirement[]} | {ok: false; error: PacksError; details?: ResolveDetails}

const catalogSource = (catalog: Catalog): VersionSource => ({
  versions(id: string): CandidateVersion[] | undefined {
    const p = catalog.get(id)
    return p ? Object.values(p.versions).map((v) => ({version: v.version, dependencies: v.dependencies, yanked: v.yanked})) : undefined
  },
})

function resolveAsIs(catalog: Catalog, sp: ScannedProject, id: string): Outcome {
  const roots: Record<string, string> = {}
  const optionalRoots = new Set<string>()
  for (const [pid, r] of Object.entries(sp.config?.packs ?? {})) {
    roots[pid] = r.version
    if (r.optional) optionalRoots.add(pid)
  }
  const locked = Object.fromEntries(Object.entries(sp.lock?.packs ?? {}).map(([pid, e]) => [pid, e.version]))
  try {
    const p = resolveDeps(catalogSource(catalog), {roots, optionalRoots, locked, rootName: PROJECT}).packages[id]
    return {ok: true, version: p?.version ?? null, requirers: p?.requiredBy ?? []}
  } catch (e) {
    if (!isPacksError(e)) throw e
    const d = e.details as Partial<ResolveDetails> | undefined
    return {ok: false, error: e, ...(d && typeof d.package === 'string' && Array.isArray(d.requirers) ? {details: d as ResolveDetails} : {})}
  }
}

const caret = (v: string) => (semver.valid(v) ? `^${v}` : v)

function commandOf(w: WayOut['operation'], dir: string): string {
  const where = ` --project ${dir}`
  return w.op === 'install' ? `ggen packs install${w.ids.map((x) => ` ${x}`).join('')}${where}` : `ggen packs update ${w.ids.join(' ')}${w.to ? ` --to ${w.to}` : ''}${where}`
}

type Proposal = Pick<WayOut, 'kind' | 'summary' | 'operation'>

/** how one requirer comes to accept `target`: ggen.toml's range relaxed, or another version of the requiring package */
interface Move {
  requirer: string
  /** the requiring package (null: ggen.toml) */
  id: string | null
  /** its version to move to; for ggen.toml the new range on the package */
  to: string
  /** the moved version's range on the package (null: it no longer depends on it) */
  range: string | null
}

/** another (unyanked) version of the package behind `requirer` that accepts `target` of `id`: the newest */
function moveOf(requirer: string, id: string, target: string, catalog: Catalog): Move | null {
  if (requirer === PROJECT) return {requirer, id: null, to: caret(target), range: caret(target)}
  const {id: rid, rest: current = ''} = splitAt(requirer)
  for (const alt of catalog.versions(rid)) {
    if (alt.yanked || alt.version === current) continue
    const range = alt.dependencies[id]
    if (range === undefined || satisfies(target, range)) return {requirer, id: rid, to: alt.version, range: range ?? null}
  }
  return null
}

const moveText = (m: Move, id: string, target: string): string =>
  m.id === null ? `change ggen.toml to ${id} = "${m.to}"` : m.range === null ? `use ${m.id} ${m.to}, which no longer depends on ${id}` : `use ${m.id} ${m.to}, whose range (${m.range}) accepts ${id} ${target}`

/** the way out that makes every requirer accept `target`, given the moves of those that do not yet */
function wayFor(id: string, target: string, moves: Move[]): Proposal {
  const [only] = moves
  if (moves.length === 1 && only!.id === null) {
    return {kind: 'relax', summary: `change ggen.toml to ${id} = "${only!.to}"; ${target} satisfies every package that requires it`, operation: {op: 'install', ids: [`${id}@${only!.to}`]}}
  }
  if (moves.length === 1) {
    return {kind: 'move-requirer', summary: `${moveText(only!, id, target)} (pins ${only!.id} = "${only!.to}" in ggen.toml)`, operation: {op: 'update', ids: [only!.id!], to: only!.to}}
  }
  const pinned = moves.filter((m) => m.id !== null).map((m) => `${m.id} = "${m.to}"`)
  return {
    kind: 'move-requirers',
    summary: `move ${count(moves.length, 'requirer')} so that ${id} ${target} satisfies every one: ${moves.map((m) => moveText(m, id, target)).join('; ')} (pins ${pinned.join(', ')} in ggen.toml)`,
    operation: {op: 'install', ids: moves.map((m) => (m.id === null ? `${id}@${m.to}` : `${m.id}@${m.to}`))},
  }
}

/** ways out, before they are checked; pure over the requirers, candidates and registry */
export function proposeWays(id: string, requirers: ConflictRequirer[], candidates: Candidate[], catalog: Catalog, resolvable: boolean): Proposal[] {
  const ways: Proposal[] = []
  const usable = candidates.filter((c) => !c.yanked)
  const everyone = usable.find((c) => c.all)
  if (everyone && resolvable) ways.push({kind: 'reresolve', summary: `re-resolve ${id} within the current ranges (${id} ${everyone.version} satisfies every requirer)`, operation: {op: 'update', ids: [id]}})
  // per candidate (newest first): the requirers it leaves out, each moved to accept it
  const names = [...new Set(requirers.map((r) => r.requirer))]
  const plans: {target: string; moves: Move[]}[] = []
  for (const c of usable) {
    const left = names.filter((n) => !c.satisfies.includes(n))
    if (left.length === 0) continue
    const moves = left.map((n) => moveOf(n, id, c.version, catalog))
    if (moves.every((m) => m !== null)) plans.push({target: c.version, moves: moves as Move[]})
  }
  // a plan moving a superset of what another plan moves is never needed; fewest moves first
  // (stable: newer targets first among equals); one way per distinct operation
  const sets = plans.map((p) => new Set(p.moves.map((m) => `${m.requirer}>${m.to}`)))
  const minimal = plans.filter((_, i) => !sets.some((t, j) => j !== i && t.size < sets[i]!.size && [...t].every((k) => sets[i]!.has(k))))
  minimal.sort((a, b) => a.moves.length - b.moves.length)
  const seen = new Set<string>()
  for (const p of minimal) {
    const w = wayFor(id, p.target, p.moves)
    const key = JSON.stringify(w.operation)
    if (seen.has(key)) continue
    seen.add(key)
    ways.push(w)
  }
  if (everyone && !resolvable) ways.push({kind: 'pin', summary: `pin ${id} = "${everyone.version}" in ggen.toml (it satisfies every requirer)`, operation: {op: 'update', ids: [id], to: everyone.version}})
  return ways.slice(0, MAX_WAYS)
}

/** each way run as a dry run: does it resolve, and what would it change; working ways first, then fewer changes */
async function checkWays(ctx: PacksContext, dir: string, proposed: Proposal[], check: WayRunner): Promise<WayOut[]> {
  const ways: WayOut[] = []
  let n = 0
  for (const w of proposed) {
    ctx.progress.step('Checking the ways out', ++n, proposed.length)
    const command = commandOf(w.operation, dir)
    try {
      ways.push({...w, command, works: true, changes: (await check(dir, w.operation, true)).changes})
    } catch (e) {
      if (!isPacksError(e)) throw e
      ways.push({...w, command, works: false, changes: [], error: e.message.split('\n')[0]!})
    }
  }
  ctx.progress.stop()
  const order = new Map(ways.map((w, i) => [w, i]))
  return ways.sort((a, b) => Number(b.works) - Number(a.works) || (a.works ? a.changes.length - b.changes.length : 0) || order.get(a)! - order.get(b)!)
}

/** a conflict with no way out that resolves: E_RESOLVE naming every requirer, what each accepts, and what was tried */
function noWayOut(r: ResolveConflictResult): PacksError {
  const accepted = (name: string) => r.candidates.filter((c) => !c.yanked && c.satisfies.includes(name)).map((c) => c.version)
  const lines = [`no way out of the conflict on ${r.package} in ${r.project.path}: no version satisfies every requirer, and no other version of the requiring packages accepts one the others accept`]
  for (const q of r.requirers) {
    const ok = accepted(q.requirer)
    lines.push(`  ${q.requirer} requires ${r.package} ${q.range} (${ok.length ? `${ok.join(', ')} satisfy it` : 'no published version satisfies it'})`)
  }
  for (const w of r.ways) lines.push(`  tried: ${w.summary} - does not resolve: ${w.error}`)
  const packages = [...new Set(r.requirers.filter((q) => q.requirer !== PROJECT).map((q) => splitAt(q.requirer).id))]
  return new PacksError('E_RESOLVE', lines.join('\n'), {
    hint: `${packages.length ? `Ask the maintainers of ${packages.join(', ')} for releases that accept a common ${r.package} version, or remove one of them from ggen.toml (ggen packs uninstall ID --project ${r.project.path})` : `Change the range on ${r.package} in ggen.toml`}. Nothing was written.`,
    details: {package: r.package, requirers: r.requirers, candidates: r.candidates, ways: r.ways},
  })
}

/** the project's own files, as install reads them; one that cannot be read is an error naming it */
async function projectFiles(dir: string): Promise<ScannedProject> {
  const sp = await readOneProject(dir)
  if (sp.error) throw new PacksError('E_PARSE', sp.error.message, {file: sp.error.file, field: sp.error.field, hint: 'Fix the file named above (or restore it from version control), then run again.'})
  return sp
}

/** the conflict and its ways out (dry runs), for `packs resolve`; E_RESOLVE when no way works */
export async function resolveConflict(ctx: PacksContext, id: string, o: ResolveConflictOptions): Promise<ResolveConflictResult> {
  return (await analyseConflict(ctx, id, o)).result
}

/** resolveConflict's answer with the project folder the ways run in (src/ops/resolve-apply.ts applies one there) */
export async function analyseConflict(ctx: PacksContext, id: string, o: ResolveConflictOptions): Promise<{result: ResolveConflictResult; dir: string}> {
  const catalog = await loadCatalog(ctx)
  if (!catalog.has(id)) {
    const near = catalog.suggest(id)
    throw new PacksError('E_NOT_FOUND', `package \`${id}\` is not in any configured registry`, {hint: near.length ? `Did you mean ${near.join(', ')}?` : `Search with \`ggen packs search ${id}\`.`})
  }
  const found = await withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots, project: o.project ?? '.', only: true}, async (g) => {
    const uses = await g.store.requirers(id, {projectKey: g.projectKey})
    const ref = (await g.store.projects({machine: ctx.machine})).find((p) => p.key === g.projectKey)
    return {dir: g.projectPath!, use: uses[0], project: projectOut(ref ?? {key: g.projectKey!, name: g.projectPath!.split('/').pop()!, path: g.projectPath!, machine: ctx.machine}, g.store.capabilities.scope === 'team')}
  })
  const dir = found.dir
  const locked = found.use?.version ?? null
  const requirers: ConflictRequirer[] = (found.use?.requirers ?? []).map((r) => ({...r, satisfied: locked === null ? null : satisfies(locked, r.range), source: 'lockfile'}))
  const addRequirers = (rs: Requirement[]) => {
    for (const r of rs) if (!requirers.some((x) => x.requirer === r.requirer && x.range === r.range)) requirers.push({requirer: r.requirer, range: r.range, satisfied: locked === null ? null : satisfies(locked, r.range), source: 'resolver'})
  }

  ctx.progress.step(`Resolving ${found.project.name} as it stands`)
  const p = resolveAsIs(catalog, await projectFiles(dir), id)
  ctx.progress.stop()
  let explanation = ''
  if (p.ok) {
    // nothing locked yet (no lockfile, or a requirement added by hand): ggen.toml says who requires it
    if (locked === null) addRequirers(p.requirers)
  } else if (p.details && p.details.package === id) addRequirers(p.details.requirers)
  else if (p.details) explanation = `the project's ggen.toml does not resolve, but the conflict is on ${p.details.package}: run \`ggen packs resolve ${p.details.package}\``
  else explanation = `the project's ggen.toml does not resolve: ${p.error.message.split('\n')[0]}`
  if (requirers.length === 0 && locked === null && p.ok) {
    throw new PacksError('E_NOT_FOUND', `${id} is not used by ${dir}: neither its ggen.toml nor anything it requires needs it`, {hint: `See which projects use it: ggen packs why ${id}`})
  }
  requirers.sort((a, b) => compareRequirers(a.requirer, b.requirer))
  const names = [...new Set(requirers.map((r) => r.requirer))]
  const candidates: Candidate[] = catalog.versions(id).map((v) => {
    const ok = names.filter((n) => requirers.filter((r) => r.requirer === n).every((r) => satisfies(v.version, r.range)))
    return {version: v.version, yanked: v.yanked, deprecated: v.deprecated ?? null, satisfies: ok, all: ok.length === names.length}
  })
  const unsatisfied = requirers.filter((r) => r.satisfied === false)
  const resolverConflict = !p.ok && p.details?.package === id
  const toInstall = p.ok && locked === null
  const conflict = unsatisfied.length > 0 || resolverConflict
  if (!explanation) {
    if (resolverConflict) explanation = `no version of ${id} satisfies every requirer: ${requirers.map((r) => `${r.requirer} wants ${r.range}`).join(', ')}`
    else if (unsatisfied.length) explanation = `the locked ${id} ${locked} does not satisfy ${unsatisfied.map((r) => `${r.requirer} (${r.range})`).join(', ')}`
    else if (toInstall) explanation = `no conflict: nothing is installed yet, and resolving ggen.toml picks ${id} ${p.version}, which satisfies ${count(names.length, 'requirer')}`
    else explanation = `no conflict: the locked ${id} ${locked} satisfies ${count(names.length, 'requirer')}`
  }

  let ways: WayOut[] = []
  if (conflict) ways = await checkWays(ctx, dir, proposeWays(id, requirers, candidates, catalog, p.ok), o.check)
  else if (toInstall) ways = await checkWays(ctx, dir, [{kind: 'install', summary: `install the project: ggen.toml resolves as it is (${id} ${p.version})`, operation: {op: 'install', ids: []}}], o.check)

  const result: ResolveConflictResult = {package: id, project: found.project, locked, conflict, explanation, requirers, candidates, ways}
  if (conflict && !ways.some((w) => w.works)) throw noWayOut(result)
  return {result, dir}
}
