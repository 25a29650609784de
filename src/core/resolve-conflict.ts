/**
 * `packs resolve <id>`: a conflict on one package in one project, and the ways out.
 *  - who requires what: the project's ggen.toml range and every locked package's range on the
 *    package (AnalysisQueries.requirers), plus the requirers the resolver names when the
 *    project's ggen.toml cannot be resolved any more;
 *  - the candidate versions (registry), and which requirers each satisfies;
 *  - concrete ways out, each checked with a dry run of the very operation that applies it:
 *      reresolve      `update <id>`: the current ranges allow a version every requirer accepts
 *      relax          `install <id>@^<v>`: ggen.toml's own range is what excludes <v>
 *      move-requirer  `update <requirer> --to <v>`: another version of a requiring package
 *                     whose range accepts a version the other requirers accept too
 *      pin            `update <id> --to <v>`: pin the package to a version every requirer accepts
 * `apply` runs the chosen way (default the first that works) through the install transaction.
 */
import {splitAt} from '../domain/spec.js'
import {isPacksError, PacksError} from '../domain/errors.js'
import type {Requirer} from '../graph/graph-store.js'
import type {RegistryVersion} from '../domain/schemas.js'
import {install, update, type ChangeResult, type PackageChange} from '../ops/install.js'
import type {Catalog} from '../registry/catalog.js'
import {satisfies, semver} from '../resolve/versions.js'
import {loadCatalog, type PacksContext} from './context.js'
import {plural, withAnalysisGraph, type ProjectOut, projectOut} from './analysis/graph.js'

export interface ConflictRequirer extends Requirer {
  /** does the locked version satisfy this range (null: nothing locked) */
  satisfied: boolean | null
  /** where we learnt it: the lockfile (graph) or the resolver's failure on the current ggen.toml */
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

export type WayKind = 'reresolve' | 'relax' | 'move-requirer' | 'pin'

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
  operation: {op: 'install' | 'update'; ids: string[]; to?: string}
}

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
  /** apply a way out (1-based index into `ways`; default: the first that works) */
  apply?: boolean
  pick?: number
  backend?: string
  roots?: string[]
}

const MAX_WAYS = 6

interface ResolveDetails {
  package: string
  requirers: {requirer: string; range: string}[]
}

/** a dry run of the project as it is: does its ggen.toml still resolve? */
async function probe(ctx: PacksContext, dir: string): Promise<{ok: true} | {ok: false; error: PacksError; details?: ResolveDetails}> {
  try {
    await install(ctx, dir, [], {dryRun: true})
    return {ok: true}
  } catch (e) {
    if (!isPacksError(e)) throw e
    const d = e.details as Partial<ResolveDetails> | undefined
    return {ok: false, error: e, ...(d && typeof d.package === 'string' && Array.isArray(d.requirers) ? {details: d as ResolveDetails} : {})}
  }
}

const caret = (v: string) => (semver.valid(v) ? `^${v}` : v)

function runWay(ctx: PacksContext, dir: string, w: WayOut['operation'], dryRun: boolean): Promise<ChangeResult> {
  return w.op === 'install' ? install(ctx, dir, w.ids, {dryRun}) : update(ctx, dir, w.ids, {dryRun, to: w.to})
}

function commandOf(w: WayOut['operation'], dir: string): string {
  const where = ` --project ${dir}`
  return w.op === 'install' ? `ggen packs install ${w.ids.join(' ')}${where}` : `ggen packs update ${w.ids.join(' ')}${w.to ? ` --to ${w.to}` : ''}${where}`
}

/** ways out, before they are checked; pure over the requirers, candidates and registry */
export function proposeWays(id: string, requirers: ConflictRequirer[], candidates: Candidate[], catalog: Catalog, resolvable: boolean): {kind: WayKind; summary: string; operation: WayOut['operation']}[] {
  const ways: {kind: WayKind; summary: string; operation: WayOut['operation']}[] = []
  const usable = candidates.filter((c) => !c.yanked)
  const everyone = usable.find((c) => c.all)
  if (everyone && resolvable) ways.push({kind: 'reresolve', summary: `re-resolve ${id} within the current ranges (${id} ${everyone.version} satisfies every requirer)`, operation: {op: 'update', ids: [id]}})
  const own = requirers.find((r) => r.requirer === 'ggen.toml')
  const packageReqs = requirers.filter((r) => r.requirer !== 'ggen.toml')
  // ggen.toml's own range is what excludes a version every package accepts
  if (own) {
    const c = usable.find((x) => packageReqs.every((r) => x.satisfies.includes(r.requirer)) && !x.satisfies.includes('ggen.toml'))
    if (c) ways.push({kind: 'relax', summary: `change ggen.toml to ${id} = "${caret(c.version)}" (was ${own.range}); ${c.version} satisfies every package that requires it`, operation: {op: 'install', ids: [`${id}@${caret(c.version)}`]}})
  }
  // another version of a requiring package, whose range accepts a version the others accept
  for (const r of packageReqs) {
    const {id: rid, rest: rver = ''} = splitAt(r.requirer)
    const others = requirers.filter((x) => x !== r)
    const acceptedByOthers = usable.filter((c) => others.every((o) => c.satisfies.includes(o.requirer)))
    if (acceptedByOthers.length === 0) continue
    const alternatives = catalog.versions(rid).filter((v: RegistryVersion) => !v.yanked && v.version !== rver)
    for (const alt of alternatives) {
      const range = alt.dependencies[id]
      if (range === undefined) {
        ways.push({kind: 'move-requirer', summary: `use ${rid} ${alt.version}, which no longer depends on ${id} (pins ${rid} = "${alt.version}" in ggen.toml)`, operation: {op: 'update', ids: [rid], to: alt.version}})
        break
      }
      const fit = acceptedByOthers.find((c) => satisfies(c.version, range))
      if (fit) {
        ways.push({kind: 'move-requirer', summary: `use ${rid} ${alt.version}, whose range (${range}) accepts ${id} ${fit.version} (pins ${rid} = "${alt.version}" in ggen.toml)`, operation: {op: 'update', ids: [rid], to: alt.version}})
        break
      }
    }
  }
  if (everyone && !resolvable) ways.push({kind: 'pin', summary: `pin ${id} = "${everyone.version}" in ggen.toml (it satisfies every requirer)`, operation: {op: 'update', ids: [id], to: everyone.version}})
  return ways.slice(0, MAX_WAYS)
}

export async function resolveConflict(ctx: PacksContext, id: string, o: ResolveConflictOptions = {}): Promise<ResolveConflictResult> {
  const catalog = await loadCatalog(ctx)
  if (!catalog.has(id)) {
    const near = catalog.suggest(id)
    throw new PacksError('E_NOT_FOUND', `package \`${id}\` is not in any configured registry`, {hint: near.length ? `Did you mean ${near.join(', ')}?` : `Search with \`ggen packs search ${id}\`.`})
  }
  const found = await withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots, project: o.project ?? '.', only: true}, async (g) => {
    const uses = await g.store.requirers(id, {projectKey: g.projectKey})
    const ref = (await g.store.projects({machine: ctx.machine})).find((p) => p.key === g.projectKey)
    return {dir: g.projectPath!, use: uses[0], project: projectOut(ref ?? {key: g.projectKey!, name: g.projectPath!.split('/').pop()!, path: g.projectPath!, machine: ctx.machine}, g.store.name === 'neo4j')}
  })
  const dir = found.dir
  const locked = found.use?.version ?? null
  const requirers: ConflictRequirer[] = (found.use?.requirers ?? []).map((r) => ({...r, satisfied: locked === null ? null : satisfies(locked, r.range), source: 'lockfile'}))

  ctx.progress.step(`Resolving ${found.project.name} as it stands`)
  const p = await probe(ctx, dir)
  ctx.progress.stop()
  let explanation = ''
  if (!p.ok) {
    if (p.details && p.details.package === id) {
      for (const r of p.details.requirers) {
        const requirer = r.requirer === found.project.name || !r.requirer.includes('@') ? 'ggen.toml' : r.requirer
        if (!requirers.some((x) => x.requirer === requirer && x.range === r.range)) requirers.push({requirer, range: r.range, satisfied: locked === null ? null : satisfies(locked, r.range), source: 'resolver'})
      }
    } else if (p.details) {
      explanation = `the project's ggen.toml does not resolve, but the conflict is on ${p.details.package}: run \`ggen packs resolve ${p.details.package}\``
    } else {
      explanation = `the project's ggen.toml does not resolve: ${p.error.message.split('\n')[0]}`
    }
  }
  if (requirers.length === 0 && locked === null) {
    throw new PacksError('E_NOT_FOUND', `${id} is neither required nor locked in ${dir}`, {hint: `See which projects use it: ggen packs why ${id}`})
  }
  const names = [...new Set(requirers.map((r) => r.requirer))]
  const candidates: Candidate[] = catalog.versions(id).map((v) => {
    const ok = names.filter((n) => requirers.filter((r) => r.requirer === n).every((r) => satisfies(v.version, r.range)))
    return {version: v.version, yanked: v.yanked, deprecated: v.deprecated ?? null, satisfies: ok, all: ok.length === names.length}
  })
  const unsatisfied = requirers.filter((r) => r.satisfied === false)
  const resolverConflict = !p.ok && p.details?.package === id
  const conflict = unsatisfied.length > 0 || resolverConflict || (locked === null && requirers.some((r) => r.requirer === 'ggen.toml'))
  if (!explanation) {
    if (resolverConflict) explanation = `no version of ${id} satisfies every requirer: ${requirers.map((r) => `${r.requirer} wants ${r.range}`).join(', ')}`
    else if (unsatisfied.length) explanation = `the locked ${id} ${locked} does not satisfy ${unsatisfied.map((r) => `${r.requirer} (${r.range})`).join(', ')}`
    else if (locked === null) explanation = `${id} is required but not installed`
    else explanation = `no conflict: the locked ${id} ${locked} satisfies ${plural(names.length, 'requirer')}`
  }

  const ways: WayOut[] = []
  if (conflict) {
    const proposed = proposeWays(id, requirers, candidates, catalog, p.ok)
    let n = 0
    for (const w of proposed) {
      n++
      ctx.progress.step('Checking the ways out', n, proposed.length)
      try {
        const r = await runWay(ctx, dir, w.operation, true)
        ways.push({...w, command: commandOf(w.operation, dir), works: true, changes: r.changes})
      } catch (e) {
        if (!isPacksError(e)) throw e
        ways.push({...w, command: commandOf(w.operation, dir), works: false, changes: [], error: e.message.split('\n')[0]!})
      }
    }
    ctx.progress.stop()
    // working ways first, then fewer changes; the order of kinds above breaks ties
    const order = new Map(ways.map((w, i) => [w, i]))
    ways.sort((a, b) => Number(b.works) - Number(a.works) || (a.works ? a.changes.length - b.changes.length : 0) || order.get(a)! - order.get(b)!)
  }

  const result: ResolveConflictResult = {package: id, project: found.project, locked, conflict, explanation, requirers, candidates, ways}
  if (o.apply) {
    if (ways.length === 0) {
      if (conflict) throw new PacksError('E_RESOLVE', `no way out of the conflict on ${id} was found`, {hint: 'Relax the ranges in ggen.toml by hand, or ask the maintainers of the requiring packages for compatible releases.'})
      return result
    }
    const firstWorking = ways.findIndex((w) => w.works) + 1
    if (o.pick === undefined && firstWorking === 0) {
      throw new PacksError('E_RESOLVE', `none of the ${plural(ways.length, 'way')} out of the conflict on ${id} resolves`, {hint: 'Relax the ranges in ggen.toml by hand, or ask the maintainers of the requiring packages for compatible releases.'})
    }
    const pick = o.pick ?? firstWorking
    const way = ways[pick - 1]
    if (!way || pick < 1) throw new PacksError('E_USAGE', `--pick ${pick} is not one of the ${plural(ways.length, 'way')} listed`, {hint: `Choose 1 to ${ways.length}.`})
    if (!way.works) throw new PacksError('E_RESOLVE', `way ${pick} (${way.summary}) does not resolve: ${way.error}`, {hint: firstWorking ? `Way ${firstWorking} works: --apply --pick ${firstWorking}` : 'None of the ways resolves; relax the ranges in ggen.toml by hand.'})
    result.applied = {way: pick, result: await runWay(ctx, dir, way.operation, false)}
  }
  return result
}
