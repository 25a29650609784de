/**
 * `packs impact <id@version>`: what moving a package to one version would do to every project
 * that uses it. For each project: the version it has now (`from`), and whether the move breaks
 * it - some requirer's range on the package (a locked package's, or the project's own ggen.toml
 * range) would no longer be satisfied - with those requirers as `reasons`; plus the target's own
 * dependencies the project's locks do not satisfy (`moves`: they would have to move too).
 * `added` / `removed`: dependencies the target declares that the versions in use do not, and
 * the other way round. The graph answers who requires what (AnalysisQueries.requirers); the
 * registry says what the target version depends on. `packs update <id> --to <v> --dry-run`
 * previews the exact change for one project.
 */
import {isPacksError, PacksError} from '../domain/errors.js'
import {splitAt} from '../domain/spec.js'
import type {PackageUse, RequirersQuery} from '../graph/graph-store.js'
import type {Catalog} from '../registry/catalog.js'
import {compareVersions, satisfies} from '../resolve/versions.js'
import {loadCatalog, type PacksContext} from './context.js'
import {machineNote, nearest, projectOut, withAnalysisGraph, type AnalysisStore, type ProjectOut} from './analysis/graph.js'

export interface ImpactReason {
  requirer: string
  range: string
}

export interface DependencyMove {
  id: string
  /** what the project locks now (null: nothing, the move would add it) */
  locked: string | null
  /** the target version's range on it */
  range: string
}

export interface ImpactProject {
  project: ProjectOut
  from: string
  direct: boolean
  breaks: boolean
  /** the requirers whose range the target does not satisfy */
  reasons: ImpactReason[]
  moves: DependencyMove[]
}

export interface ImpactResult {
  package: string
  to: string
  projects: ImpactProject[]
  /** dependencies the target declares that no version in use declares */
  added: {id: string; range: string}[]
  /** dependencies of the versions in use the target no longer declares */
  removed: {id: string; range: string}[]
  /** false when no registry could be read: added, removed and moves are then unknown (empty) */
  registry: boolean
}

export interface ImpactOptions {
  machine?: string
  team?: string
  owner?: string
  backend?: string
  roots?: string[]
}

export function parseTarget(spec: string): {id: string; version: string} {
  const {id, rest: version} = splitAt(spec)
  if (!version) throw new PacksError('E_USAGE', `\`${spec}\` names no version`, {hint: `Give the version to move to: ggen packs impact ${id}@2.0.0`})
  return {id, version}
}

/** the registry, or null (with a warning) when none can be read */
export async function optionalCatalog(ctx: PacksContext, purpose: string): Promise<Catalog | null> {
  if (ctx.registries.length === 0) {
    ctx.warn(`no registry is configured, so ${purpose} (set GGEN_REGISTRY_URL or pass --registry)`)
    return null
  }
  try {
    return await loadCatalog(ctx)
  } catch (e) {
    if (!isPacksError(e)) throw e
    ctx.warn(`${e.message}; ${purpose}`)
    return null
  }
}

export interface TargetInfo {
  id: string
  to: string
  /** the target's declared dependencies; null when unknown (no registry) */
  dependencies: Record<string, string> | null
  /** declared dependencies of a version in use (null when unknown) */
  dependenciesOf: (version: string) => Record<string, string> | null
}

/** per-project impact of moving to `t.to`; `locks` maps each target dependency id to project key -> locked version */
export function impactFor(use: PackageUse & {version: string}, t: TargetInfo, locks: ReadonlyMap<string, ReadonlyMap<string, string>>, withMachine: boolean): ImpactProject {
  const reasons = use.requirers.filter((r) => !satisfies(t.to, r.range)).map((r) => ({requirer: r.requirer, range: r.range}))
  const moves: DependencyMove[] = []
  for (const [dep, range] of Object.entries(t.dependencies ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const locked = locks.get(dep)?.get(use.project.key) ?? null
    if (locked === null || !satisfies(locked, range)) moves.push({id: dep, locked, range})
  }
  return {project: projectOut(use.project, withMachine), from: use.version, direct: use.direct, breaks: reasons.length > 0, reasons, moves}
}

/** added / removed dependency declarations between the versions in use and the target */
export function declarationDiff(t: TargetInfo, inUse: string[]): {added: {id: string; range: string}[]; removed: {id: string; range: string}[]} {
  if (!t.dependencies) return {added: [], removed: []}
  const before = new Map<string, string>()
  for (const v of [...new Set(inUse)].sort(compareVersions)) for (const [d, r] of Object.entries(t.dependenciesOf(v) ?? {})) before.set(d, r) // newest in use wins
  const added = Object.entries(t.dependencies).filter(([d]) => !before.has(d)).map(([id, range]) => ({id, range}))
  const removed = [...before].filter(([d]) => !(d in t.dependencies!)).map(([id, range]) => ({id, range}))
  const byId = (a: {id: string}, b: {id: string}) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {added: added.sort(byId), removed: removed.sort(byId)}
}

/** the target's facts from the registry (validating the version), or null when there is no registry */
export function targetInfo(catalog: Catalog | null, id: string, to: string): TargetInfo {
  if (!catalog) return {id, to, dependencies: null, dependenciesOf: () => null}
  const pkg = catalog.get(id)
  if (!pkg) {
    const near = catalog.suggest(id)
    throw new PacksError('E_NOT_FOUND', `package \`${id}\` is not in any configured registry`, {hint: near.length ? `Did you mean ${near.join(', ')}?` : `Search with \`ggen packs search ${id}\`.`})
  }
  const v = pkg.versions[to]
  if (!v) {
    const have = catalog.versions(id).map((x) => x.version)
    throw new PacksError('E_VERSION_NOT_FOUND', `\`${id}\` has no version ${to}`, {hint: `Available: ${have.slice(0, 12).join(', ')}${have.length > 12 ? ', ...' : ''}`})
  }
  return {id, to, dependencies: {...v.dependencies}, dependenciesOf: (version) => (pkg.versions[version] ? {...pkg.versions[version]!.dependencies} : null)}
}

/** locked versions of each of `ids`, by project key */
export async function locksOf(store: AnalysisStore, ids: string[], q: RequirersQuery): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>()
  for (const dep of ids) {
    const m = new Map<string, string>()
    for (const u of await store.requirers(dep, q)) if (u.version !== null) m.set(u.project.key, u.version)
    out.set(dep, m)
  }
  return out
}

export const isLocked = (u: PackageUse): u is PackageUse & {version: string} => u.version !== null

export async function packageImpact(ctx: PacksContext, spec: string, o: ImpactOptions = {}): Promise<ImpactResult> {
  const {id, version: to} = parseTarget(spec)
  const catalog = await optionalCatalog(ctx, 'the impact is computed from version ranges only (added, removed and dependency moves are unknown)')
  const t = targetInfo(catalog, id, to)
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots}, async (g) => {
    const q: RequirersQuery = {machine: o.machine, team: o.team, owner: o.owner}
    const uses = (await g.store.requirers(id, q)).filter(isLocked)
    const note = uses.length === 0 ? await machineNote(g, o.machine) : null
    if (note) ctx.warn(note)
    else if (uses.length === 0 && !catalog) {
      const known = new Set<string>()
      for (const p of g.snapshot?.projects ?? []) for (const l of p.locks) known.add(l.id)
      const near = nearest(id, known)
      if (near.length && !near.includes(id)) ctx.warn(`no known project uses ${id}; did you mean ${near.join(', ')}?`)
    }
    const locks = await locksOf(g.store, Object.keys(t.dependencies ?? {}), q)
    const multi = g.store.capabilities.scope === 'team'
    const projects = uses.map((u) => impactFor(u, t, locks, multi))
    return {package: id, to, projects, ...declarationDiff(t, uses.map((u) => u.version)), registry: catalog !== null}
  })
}

