/**
 * The Neo4j adapter's analysis answers (AnalysisQueries), from the records of the
 * cypher/read/analysis-*.cypher statements. Pure: records in, domain rows out; neo4j-store.ts runs
 * the statements and calls these.
 *
 * Cypher selects rows; the finishing work is shared with the memory adapter so both backends
 * answer with the same code:
 *  - tree, why, cycles, unreachable, unsatisfied: the records become project rows (ProjectRow:
 *    the project, its requirements, its locks with their recorded dependency ids; for
 *    unsatisfied also version rows with the ranges the locked versions declare) and
 *    MemoryAnalysis (src/graph/memory/analysis.ts) answers over them: LockGraph, depths, simple
 *    paths, strongly connected components, range checks.
 *  - requirers, drift: the statements return every candidate row; selection and sorting happen
 *    here, with the memory adapter's comparators (compareRequirers, VersionOrder).
 * Records are read by alias; driver values become plain JSON (values.ts) before anything else.
 */
import type {Record as Neo4jRecord} from 'neo4j-driver'
import type {DependencyCycle, Drift, PackageUse, ProjectGraph, ProjectRef, Requirer, TreeQuery, UnreachableLock, UnsatisfiedRange, WhyProject, WhyQuery} from '../graph-store.js'
import {versionKey, type ProjectLock, type ProjectRequire, type ProjectRow, type VersionRow} from '../model.js'
import {compareRequirers, MemoryAnalysis, PROJECT_REQUIRER} from '../memory/analysis.js'
import {VersionOrder} from '../memory/version-order.js'
import {asList, asMap, asString, asStringList, field, type Plain} from './values.js'

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const byMachinePath = (a: ProjectRef, b: ProjectRef) => cmp(a.machine, b.machine) || cmp(a.path, b.path)
const byProject = (a: {project: ProjectRef}, b: {project: ProjectRef}) => byMachinePath(a.project, b.project)

/** MemoryAnalysis over project rows alone: tree, why, cycles and unreachable read no version rows */
const NO_VERSIONS: ReadonlyMap<string, VersionRow> = new Map()
const finish = (rows: ProjectRow[]) => new MemoryAnalysis(rows.sort(byMachinePath), NO_VERSIONS)

type PlainMap = {[key: string]: Plain}

/** a project reference from a plain map holding key, name, path, machine, team, owner */
export function refFrom(m: PlainMap): ProjectRef {
  const team = asString(m.team)
  const owner = asString(m.owner)
  return {
    key: String(m.key),
    name: String(m.name),
    path: String(m.path),
    machine: String(m.machine),
    ...(team ? {team} : {}),
    ...(owner ? {owner} : {}),
  }
}

/** the project fields every analysis statement returns (aliases key, name, path, machine, team, owner) */
export function projectOf(rec: Neo4jRecord): ProjectRef {
  return refFrom({key: field(rec, 'key'), name: field(rec, 'name'), path: field(rec, 'path'), machine: field(rec, 'machine'), team: field(rec, 'team'), owner: field(rec, 'owner')})
}

const requireOf = (x: PlainMap): ProjectRequire => ({id: String(x.id), range: String(x.range), optional: x.optional === true})
const lockOf = (x: PlainMap): ProjectLock => ({id: String(x.id), version: String(x.version), direct: x.direct === true, dependencies: asStringList(x.dependencies) ?? []})

/** a record with the project fields, `requires` [{id, range, optional}] and `locks` [{id, version, direct, dependencies}] -> a project row */
function projectRowOf(rec: Neo4jRecord, withRequires: boolean): ProjectRow {
  return {
    ...projectOf(rec),
    requires: withRequires ? asList(field(rec, 'requires')).map(asMap).map(requireOf) : [],
    locks: asList(field(rec, 'locks')).map(asMap).map(lockOf),
  }
}

/** read/analysis-tree: at most one record */
export function treeFrom(recs: Neo4jRecord[], projectKey: string, q: TreeQuery): Promise<ProjectGraph | null> {
  const rec = recs[0]
  if (!rec) return Promise.resolve(null)
  return finish([projectRowOf(rec, true)]).tree(projectKey, q)
}

/** read/analysis-why: the projects (already scoped) that lock `id`, with their locks */
export function whyFrom(recs: Neo4jRecord[], id: string, q: Pick<WhyQuery, 'limit' | 'cap'>): Promise<WhyProject[]> {
  return finish(recs.map((r) => projectRowOf(r, false))).why(id, {limit: q.limit, cap: q.cap})
}

/** read/analysis-unreachable: the projects (already scoped) that declare requirements, with requirements and locks */
export function unreachableFrom(recs: Neo4jRecord[]): Promise<UnreachableLock[]> {
  return finish(recs.map((r) => projectRowOf(r, true))).unreachable()
}

/**
 * read/analysis-cycles: one record per resolved edge of the scoped projects. Cycles depend only
 * on the edges, so each project's rows hold the locks that have an edge, each depending on the
 * ids its edges lead to (node order in a LockGraph is by id, so the subgraph walks alike).
 */
export function cyclesFrom(recs: Neo4jRecord[]): Promise<DependencyCycle[]> {
  const projects = new Map<string, {row: ProjectRow; locks: Map<string, ProjectLock>}>()
  const lockIn = (locks: Map<string, ProjectLock>, id: string, version: string) => {
    let l = locks.get(id)
    if (!l) locks.set(id, (l = {id, version, direct: false, dependencies: []}))
    return l
  }
  for (const rec of recs) {
    const key = String(field(rec, 'key'))
    let p = projects.get(key)
    if (!p) projects.set(key, (p = {row: {...projectOf(rec), requires: [], locks: []}, locks: new Map()}))
    const toId = String(field(rec, 'toId'))
    lockIn(p.locks, String(field(rec, 'fromId')), String(field(rec, 'fromVersion'))).dependencies.push(toId)
    lockIn(p.locks, toId, String(field(rec, 'toVersion')))
  }
  const rows = [...projects.values()].map(({row, locks}) => ({...row, locks: [...locks.values()]}))
  return finish(rows).cycles()
}

/**
 * read/analysis-requirers: one record per candidate project (it locks, requires, or locks a
 * version that some machine says declares a range on the package). Kept when it locks the
 * package, requires it, or a locked version's first machine declares a range on it.
 */
export function requirersFrom(recs: Neo4jRecord[]): PackageUse[] {
  const out: PackageUse[] = []
  for (const rec of recs) {
    const version = asString(field(rec, 'version')) ?? null
    const ownRange = asString(field(rec, 'ownRange'))
    const requirers: Requirer[] = asList(field(rec, 'versionRequirers'))
      .map(asMap)
      .map((x) => ({requirer: String(x.requirer), range: String(x.range)}))
    if (version === null && ownRange === undefined && requirers.length === 0) continue
    if (ownRange !== undefined) requirers.push({requirer: PROJECT_REQUIRER, range: ownRange})
    requirers.sort((a, b) => compareRequirers(a.requirer, b.requirer))
    out.push({project: projectOf(rec), version, direct: field(rec, 'direct') === true, requirers})
  }
  return out.sort(byProject)
}

/**
 * read/analysis-unsatisfied: one record per scoped project with its requirements, its locks and
 * the ranges its locked versions declare (their first machine's). Those become project rows and
 * version rows, and MemoryAnalysis checks them as the memory adapter does.
 */
export function unsatisfiedFrom(recs: Neo4jRecord[]): Promise<UnsatisfiedRange[]> {
  const versions = new Map<string, VersionRow>()
  const rows: ProjectRow[] = []
  for (const rec of recs) {
    rows.push(projectRowOf(rec, true))
    for (const d of asList(field(rec, 'declared')).map(asMap)) {
      const id = String(d.of)
      const version = String(d.version)
      const key = versionKey(id, version)
      let v = versions.get(key)
      if (!v) versions.set(key, (v = {id, version, requires: {}}))
      v.requires[String(d.id)] = String(d.range)
    }
  }
  return new MemoryAnalysis(rows.sort(byMachinePath), versions).unsatisfied()
}

/**
 * read/analysis-drift: packages locked at two or more versions, with the projects on each.
 * Versions sort in the one version order (compareVersions: semver, build metadata breaking ties),
 * as the memory adapter sorts them.
 */
export function driftFrom(recs: Neo4jRecord[]): Drift[] {
  const order = new VersionOrder()
  const out: Drift[] = []
  for (const rec of recs) {
    const versions = asList(field(rec, 'versions'))
      .map(asMap)
      .map((x) => ({version: String(x.version), projects: asList(x.projects).map(asMap).map(refFrom).sort(byMachinePath)}))
      .filter((x) => x.projects.length > 0)
    if (versions.length < 2) continue
    versions.sort((a, b) => order.compare(a.version, b.version))
    out.push({id: String(field(rec, 'id')), versions})
  }
  return out.sort((a, b) => cmp(a.id, b.id))
}
