/**
 * The fix advice of the security scan (issue 11): what to do about one vulnerable package version
 * in the projects that lock it.
 *
 *  - `upgrade`: the smallest known version that no advisory affects and that satisfies EVERY
 *    requirer's range in the scoped projects (each ggen.toml's own range and the declared range of
 *    every locked version requiring it, as `resolve` and `impact` see them). Versions above the
 *    vulnerable one are tried first (smallest first); a lower unaffected version only when none is.
 *  - `move-direct`: no such version, because some requirer's range excludes every unaffected
 *    version. The requirer is reached through a path from one of the project's direct dependencies
 *    (as `why` shows it); that direct dependency is the one to move, to its smallest version whose
 *    own requirement chain admits an unaffected version (a version that no longer depends on the
 *    next package of the chain admits too). When the requirer is the project's ggen.toml itself,
 *    the direct dependency is the vulnerable package (its range must change). `breaks` is what the
 *    move would break, by the same reckoning as `packs impact`: requirers of the moved package whose
 *    range the new version leaves out, and dependencies of the new version the project's locks do not
 *    satisfy (the vulnerable package's own move, the point of the fix, is not counted).
 *  - `none`: no known version is unaffected (or none of the direct dependency's versions admits one).
 *
 * "Known" versions are the registry's (the catalog, when one could be read) and those the graph
 * snapshot holds; yanked versions are never advised. Pure over the graph's answers: no writes.
 */
import {lastAnswer} from '../util/last-answer.js'
import {count} from '../util/text.js'
import {splitAt} from '../domain/spec.js'
import type {FixAdvice} from '../domain/scan.js'
import type {PackageUse, Requirer, VersionRef, WhyProject} from '../graph/graph-store.js'
import type {VersionRow} from '../graph/model.js'
import type {Catalog} from '../registry/catalog.js'
import {compareVersions, satisfies} from '../resolve/versions.js'
import type {AnalysisStore} from './analysis/graph.js'
import {impactFor, isLocked, targetInfo} from './impact.js'
import type {WorkspaceGraph} from './workspace-graph.js'

/**
 * The input of `fixAdvice` (the scan, src/core/security-scan.ts, calls it once per vulnerable
 * package version, with the graph it opened for the scan).
 */
export interface FixInput {
  /** the vulnerable package id */
  package: string
  /** its vulnerable version (the one the scoped projects lock) */
  version: string
  /** the advisories' matcher: is this version of the package affected by any of them */
  isAffected: (version: string) => boolean
  /**
   * the open workspace graph as why/impact/resolve use it (openAnalysisGraph / withAnalysisGraph, or
   * openWorkspaceGraph): `store` answers requirers and why on either backend; `snapshot` (the
   * embedded backend) adds the versions it knows to the catalog's
   */
  graph: {store: AnalysisStore; snapshot?: WorkspaceGraph['snapshot']}
  /** the registries (loadCatalog / optionalCatalog): every published version with its declared ranges; null or absent: only the graph's versions */
  catalog?: Catalog | null
  /** the projects in scope, by key (`machine:path`) or path; absent: every project locking package@version */
  projects?: string[]
}

/** a known version of a package and the ranges it declares */
interface KnownVersion {
  version: string
  dependencies: Record<string, string>
  yanked: boolean
}

type Known = (id: string) => KnownVersion[]

/** a requirer's range on the package in one project */
interface ScopedRequirer extends Requirer {
  use: PackageUse & {version: string}
}

const PROJECT_FILE = 'ggen.toml'

/** the snapshot's versions by package id, indexed once per snapshot (a scan gives thousands of advice) */
const snapshotIndex = new WeakMap<readonly VersionRow[], Map<string, VersionRow[]>>()
function snapshotVersions(rows: readonly VersionRow[] | undefined, id: string): readonly VersionRow[] {
  if (!rows) return []
  let idx = snapshotIndex.get(rows)
  if (!idx) {
    idx = new Map()
    for (const v of rows) {
      const list = idx.get(v.id)
      if (list) list.push(v)
      else idx.set(v.id, [v])
    }
    snapshotIndex.set(rows, idx)
  }
  return idx.get(id) ?? []
}

/** per store: package id -> the projects locking it, by key (and their use of it) */
const useMemo = new WeakMap<AnalysisStore, Map<string, Promise<Map<string, (PackageUse & {version: string})[]>>>>()
function usesBy(store: AnalysisStore, id: string): Promise<Map<string, (PackageUse & {version: string})[]>> {
  let memo = useMemo.get(store)
  if (!memo) useMemo.set(store, (memo = new Map()))
  let uses = memo.get(id)
  if (!uses) {
    uses = store.requirers(id).then((all) => {
      const byKey = new Map<string, (PackageUse & {version: string})[]>()
      for (const u of all.filter(isLocked)) byKey.set(u.project.key, [...(byKey.get(u.project.key) ?? []), u])
      return byKey
    })
    memo.set(id, uses)
  }
  return uses
}

/** per store: package id -> project key -> the version it locks, from one projectLocks question */
const lockMemo = new WeakMap<AnalysisStore, Promise<Map<string, Map<string, string>>>>()
async function lockedBy(store: AnalysisStore, id: string): Promise<ReadonlyMap<string, string>> {
  let index = lockMemo.get(store)
  if (!index) {
    index = store.projectLocks().then((projects) => {
      const byId = new Map<string, Map<string, string>>()
      for (const p of projects) {
        for (const l of p.locks) {
          let m = byId.get(l.id)
          if (!m) byId.set(l.id, (m = new Map()))
          if (!m.has(p.project.key)) m.set(p.project.key, l.version)
        }
      }
      return byId
    })
    lockMemo.set(store, index)
  }
  return (await index).get(id) ?? NO_LOCKS
}
const NO_LOCKS: ReadonlyMap<string, string> = new Map()

/** the shortest why of a package in one project, asked once per store (a chain per blocker, the same pairs recur) */
const whyMemo = new WeakMap<AnalysisStore, Map<string, Promise<WhyProject[]>>>()
function whyIn(store: AnalysisStore, pkg: string, projectKey: string): Promise<WhyProject[]> {
  let memo = whyMemo.get(store)
  if (!memo) whyMemo.set(store, (memo = new Map()))
  const key = `${projectKey}\n${pkg}`
  let rows = memo.get(key)
  if (!rows) memo.set(key, (rows = store.why(pkg, {projectKey, limit: 1, cap: 1})))
  return rows
}

/** what one scan shares between its advice: the graph and the registries */
export type FixShared = Pick<FixInput, 'graph' | 'catalog'>

/** every known version of a package (catalog first, then the snapshot's), oldest first */
function knownVersions(input: FixShared): Known {
  const memo = new Map<string, KnownVersion[]>()
  return (id) => {
    let out = memo.get(id)
    if (out) return out
    const byVersion = new Map<string, KnownVersion>()
    for (const v of input.catalog?.versions(id) ?? []) byVersion.set(v.version, {version: v.version, dependencies: v.dependencies, yanked: v.yanked === true})
    for (const v of snapshotVersions(input.graph.snapshot?.versions, id)) {
      if (!byVersion.has(v.version)) byVersion.set(v.version, {version: v.version, dependencies: v.requires, yanked: v.yanked === true})
    }
    out = [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version))
    memo.set(id, out)
    return out
  }
}

/** candidates in the order they are advised: above `from` smallest first, then below it nearest first */
function preferUpgrades(versions: string[], from: string): string[] {
  const up = versions.filter((v) => compareVersions(v, from) > 0)
  const down = versions.filter((v) => compareVersions(v, from) < 0).reverse()
  return [...up, ...down]
}

const inScope = (input: FixInput) => (u: PackageUse) => !input.projects || input.projects.includes(u.project.key) || input.projects.includes(u.project.path)

/** the requirers of a package in the scoped projects locking it, by the version they lock */
async function scopedRequirers(input: FixInput): Promise<Map<string, ScopedRequirer[]>> {
  const uses = await input.graph.store.requirers(input.package)
  const scoped = inScope(input)
  const out = new Map<string, ScopedRequirer[]>()
  for (const use of uses) {
    if (!isLocked(use) || !scoped(use)) continue
    let list = out.get(use.version)
    if (!list) out.set(use.version, (list = []))
    for (const r of use.requirers) list.push({requirer: r.requirer, range: r.range, use})
  }
  return out
}

/** the advice for one vulnerable package version */
export function fixAdvice(input: FixInput): Promise<FixAdvice> {
  return fixAdvisor(input)(input)
}

/**
 * fixAdvice for many package versions over the same graph (the scan): the known versions of each
 * package and the unaffected ones are worked out once per package. Every call for one package
 * must pass the same `isAffected`.
 */
export function fixAdvisor(shared: FixShared): (input: FixInput) => Promise<FixAdvice> {
  const known = knownVersions(shared)
  const unaffected = new Map<string, string[]>()
  // the scan asks package by package: the current package's requirers, by locked version (asked again for another package or scope)
  const requirersByVersion = lastAnswer((input: FixInput) => JSON.stringify([input.package, input.projects ?? null]), scopedRequirers)
  const requirersOf = async (input: FixInput): Promise<ScopedRequirer[]> => (await requirersByVersion(input)).get(input.version) ?? []
  return async (input) => {
    let clean = unaffected.get(input.package)
    if (!clean) {
      clean = known(input.package)
        .filter((v) => !v.yanked && !input.isAffected(v.version))
        .map((v) => v.version)
      unaffected.set(input.package, clean)
    }
    const fixed = preferUpgrades(clean, input.version)
    const at = `${input.package} ${input.version}`
    if (fixed.length === 0) return {kind: 'none', breaks: [], explanation: `No known version of ${input.package} is free of the advisories affecting ${at}: remove it or wait for a fixed release.`}
    const requirers = await requirersOf(input)
    const upgrade = fixed.find((v) => requirers.every((r) => satisfies(v, r.range)))
    if (upgrade !== undefined) {
      const verb = compareVersions(upgrade, input.version) > 0 ? 'Upgrade' : 'Downgrade'
      return {kind: 'upgrade', version: upgrade, breaks: [], explanation: `${verb} ${input.package} from ${input.version} to ${upgrade}, the smallest version no advisory affects that ${requirers.length ? 'every requirer\'s range accepts' : 'is known'}.`}
    }
    return moveDirect(input, known, requirers, fixed)
  }
}

/**
 * from a direct dependency of the project down to the requirer (both included): the requirer's
 * own shortest path (why with one path), which the requirer's range on the package extends;
 * [] when the requirer is ggen.toml
 */
async function chainOf(store: AnalysisStore, r: ScopedRequirer): Promise<VersionRef[]> {
  if (r.requirer === PROJECT_FILE) return []
  const {id, rest: version = ''} = splitAt(r.requirer)
  const rows = await whyIn(store, id, r.use.project.key)
  const path = rows[0]?.paths[0]
  return path?.length ? path : [{id, version}]
}

/** the requirers that leave out every fixed version (or, when each alone admits one, those leaving out the smallest) */
function blockersOf(requirers: ScopedRequirer[], fixed: string[]): ScopedRequirer[] {
  const hard = requirers.filter((r) => !fixed.some((v) => satisfies(v, r.range)))
  return hard.length ? hard : requirers.filter((r) => !satisfies(fixed[0]!, r.range))
}

interface Plan {
  /** the direct dependency to move */
  top: VersionRef
  /** the rest of the chain below it, down to the requirer */
  below: string[]
  blockers: ScopedRequirer[]
}

/** blockers grouped by the direct dependency they come in through; the one blocking most first (then by id) */
async function plansOf(input: FixInput, blockers: ScopedRequirer[]): Promise<Plan[]> {
  const plans = new Map<string, Plan>()
  for (const b of blockers) {
    const chain = await chainOf(input.graph.store, b)
    const top = chain[0] ?? {id: input.package, version: input.version}
    const plan = plans.get(top.id) ?? {top, below: chain.slice(1).map((c) => c.id), blockers: []}
    plan.blockers.push(b)
    plans.set(top.id, plan)
  }
  return [...plans.values()].sort((a, b) => b.blockers.length - a.blockers.length || (a.top.id < b.top.id ? -1 : 1))
}

/** does `id@version`'s requirement chain through `rest` (ending at the vulnerable package) admit one of `targets` */
function admits(known: Known, id: string, version: string, rest: string[], targets: string[]): boolean {
  const deps = known(id).find((v) => v.version === version)?.dependencies
  if (!deps) return false
  const [next, ...tail] = rest
  const range = deps[next!]
  if (range === undefined) return true
  if (tail.length === 0) return targets.some((t) => satisfies(t, range))
  return known(next!).some((w) => !w.yanked && satisfies(w.version, range) && admits(known, next!, w.version, tail, targets))
}

async function moveDirect(input: FixInput, known: Known, requirers: ScopedRequirer[], fixed: string[]): Promise<FixAdvice> {
  const [plan, ...others] = await plansOf(input, blockersOf(requirers, fixed))
  const moved = new Set(plan!.blockers)
  // the fixed versions the requirers that stay as they are accept (all fixed ones when none is)
  const accepted = fixed.filter((v) => requirers.every((r) => moved.has(r) || satisfies(v, r.range)))
  const targets = accepted.length ? accepted : fixed
  const first = plan!.blockers[0]!
  const why = `${first.requirer === PROJECT_FILE ? `${first.use.project.name}'s ggen.toml` : first.requirer} requires ${input.package} ${first.range}, which leaves out every version no advisory affects`
  const also = others.length ? ` (also blocked through ${others.map((o) => o.top.id).join(', ')})` : ''
  if (plan!.top.id === input.package) {
    const to = targets[0]!
    return withBreaks(input, {id: input.package, from: input.version, to}, moved, [], `${why}: change that range to accept ${input.package} ${to}${also}`)
  }
  const {top, below} = plan!
  const path = [...below, input.package]
  const candidates = preferUpgrades(
    known(top.id)
      .filter((v) => !v.yanked && v.version !== top.version)
      .map((v) => v.version),
    top.version,
  )
  const to = candidates.find((v) => admits(known, top.id, v, path, targets))
  if (to === undefined) return {kind: 'none', breaks: [], explanation: `${why}, and no known version of the direct dependency ${top.id} accepts one: ask its maintainers for a release${also}.`}
  return withBreaks(input, {id: top.id, from: top.version, to}, moved, below, `${why}: move the direct dependency ${top.id} from ${top.version} to ${to}, which accepts a fixed ${input.package}${also}`)
}

/**
 * the move-direct advice with what the move breaks (impact of direct.id@direct.to in the blockers'
 * projects); `chain`: the packages between it and the vulnerable one, which move with it
 */
async function withBreaks(input: FixInput, direct: {id: string; from: string; to: string}, moved: Set<ScopedRequirer>, chain: string[], sentence: string): Promise<FixAdvice> {
  const breaks = await breaksOf(input, direct, moved, new Set([...chain, input.package]))
  const tail = breaks.length ? `; it breaks ${count(breaks.length, 'requirement')} (${breaks.join('; ')})` : '; it breaks nothing else'
  return {kind: 'move-direct', direct, breaks, explanation: `${sentence}${tail}.`}
}

async function breaksOf(input: FixInput, direct: {id: string; to: string}, moved: Set<ScopedRequirer>, movingToo: Set<string>): Promise<string[]> {
  const catalog = input.catalog?.version(direct.id, direct.to) ? input.catalog : null
  const t = targetInfo(catalog, direct.id, direct.to)
  const keys = [...new Set([...moved].map((b) => b.use.project.key))]
  const skip = new Set([...moved].map((b) => `${b.use.project.key}\n${b.requirer}`))
  const out: string[] = []
  // every project's answers, asked once per package and store, then read for each blocker's project
  const deps = Object.keys(t.dependencies ?? {})
  const locks = new Map(await Promise.all(deps.map(async (dep) => [dep, await lockedBy(input.graph.store, dep)] as const)))
  const uses = await usesBy(input.graph.store, direct.id)
  for (const projectKey of keys) {
    for (const use of uses.get(projectKey) ?? []) {
      const name = use.project.name
      const impact = impactFor(use, t, locks, false)
      for (const r of impact.reasons) if (!(direct.id === input.package && skip.has(`${projectKey}\n${r.requirer}`))) out.push(`${name}: ${r.requirer} requires ${direct.id} ${r.range}, which ${direct.to} does not satisfy`)
      for (const m of impact.moves) if (!movingToo.has(m.id)) out.push(`${name}: ${direct.id} ${direct.to} requires ${m.id} ${m.range} (${m.locked === null ? 'not locked' : `locked ${m.locked}`})`)
    }
  }
  return out
}
