/**
 * GraphSnapshot -> the parameter rows of the write statements (cypher/write/*), and the merge
 * rule applied when reading per-machine version metadata back. Pure: no driver, no IO.
 *
 * Absent values become null (Neo4j has no `undefined`; `SET x = null` removes a property).
 * Edges owned by one version or one project (a version's ranges, a project's requirements, locks
 * and resolved edges) travel as one row per owner with a nested list: the statements replace the
 * owner's edges as a whole. Each version row and each project carries a digest, so a sync
 * rewrites only what changed since the machine's last sync. Resolved edges: for every lock L of project P and every dependency id
 * d of L, a DEPENDS_ON{project: P.key} edge goes from L's version to P's lock of d (no edge when P
 * does not lock d: a dangling dependency, reported by analysis, not drawn).
 */
import {createHash} from 'node:crypto'
import type {SyncStats} from '../graph-store.js'
import type {StatementName} from './cypher.js'
import {versionKey, type GraphSnapshot, type VersionRow} from '../model.js'

type Row = Record<string, unknown>

export interface ProjectRows {
  key: string
  /** digest of everything below: the project's edges are rewritten only when it changes */
  digest: string
  node: Row
  requires: Row
  locks: Row
  dependsOn: Row
}

export interface WriteRows {
  /** one row per version, its ranges nested, with a digest of the row */
  versions: (Row & {key: string; digest: string})[]
  projects: ProjectRows[]
  advisories: Row[]
  affects: Row[]
  packages: Row[]
  deprecations: Row[]
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v)

/** metadata fields a machine knows of a version (kept per machine on its KNOWS edge) */
export const VERSION_META = ['name', 'author', 'license', 'integrity', 'quality_score', 'production_ready', 'deprecated', 'yanked', 'published_at', 'size', 'description', 'source', 'store_entry'] as const
export type VersionMeta = Partial<Pick<VersionRow, (typeof VERSION_META)[number]>>

/**
 * Several rows for one version key in one snapshot: the first row wins, later rows only fill
 * fields the first left empty (the memory adapter's merge rule).
 */
export function dedupeVersions(rows: VersionRow[]): VersionRow[] {
  const byKey = new Map<string, VersionRow>()
  for (const v of rows) {
    const k = versionKey(v.id, v.version)
    const prev = byKey.get(k)
    byKey.set(k, prev ? mergeFirstWins(prev, v) : v)
  }
  return [...byKey.values()]
}

function mergeFirstWins<T extends object>(first: T, later: T): T {
  const kept = Object.fromEntries(Object.entries(first).filter(([, x]) => x !== undefined && x !== null))
  return {...later, ...kept} as T
}

/** a short digest of a row (its JSON; rows are built in a fixed key order) */
export const digestOf = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('base64url').slice(0, 22)

export function snapshotRows(s: GraphSnapshot): WriteRows {
  const rows: WriteRows = {versions: [], projects: [], advisories: [], affects: [], packages: [], deprecations: []}
  for (const v of dedupeVersions(s.versions)) {
    const row = {
      key: versionKey(v.id, v.version),
      id: v.id,
      version: v.version,
      name: n(v.name),
      author: n(v.author),
      license: n(v.license),
      integrity: n(v.integrity),
      quality_score: n(v.quality_score),
      production_ready: n(v.production_ready),
      deprecated: n(v.deprecated),
      yanked: n(v.yanked),
      published_at: n(v.published_at),
      size: n(v.size),
      description: n(v.description),
      source: n(v.source),
      store_entry: n(v.store_entry),
      requires: Object.entries(v.requires).map(([pkg, range]) => ({package: pkg, range})),
    }
    rows.versions.push({...row, digest: digestOf(row)})
  }
  for (const p of s.projects) {
    const node = {key: p.key, path: p.path, name: p.name, team: n(p.team), owner: n(p.owner), environment: n(p.environment), machine: p.machine}
    const seenReq = new Set<string>()
    const requires: Row[] = []
    for (const r of p.requires) {
      if (seenReq.has(r.id)) continue
      seenReq.add(r.id)
      requires.push({id: r.id, range: r.range, optional: n(r.optional), tier: n(r.tier), env: r.env && r.env.length > 0 ? r.env : null})
    }
    const lockOf = new Map<string, string>()
    for (const l of p.locks) if (!lockOf.has(l.id)) lockOf.set(l.id, versionKey(l.id, l.version))
    const locks: Row[] = []
    const edges: Row[] = []
    for (const l of p.locks) {
      const key = versionKey(l.id, l.version)
      if (lockOf.get(l.id) !== key) continue // one version per package id and project: the first wins
      locks.push({key, id: l.id, version: l.version, direct: l.direct, integrity: n(l.integrity), installed_at: n(l.installed_at), dependencies: [...l.dependencies]})
      for (const d of new Set(l.dependencies)) {
        const to = lockOf.get(d)
        if (to) edges.push({from: key, to})
      }
    }
    rows.projects.push({
      key: p.key,
      digest: digestOf([node, requires, locks, edges]),
      node,
      requires: {project: p.key, requires},
      locks: {project: p.key, locks},
      dependsOn: {project: p.key, edges},
    })
  }
  for (const a of s.advisories ?? []) {
    rows.advisories.push({id: a.id, summary: n(a.summary), severity: n(a.severity), package: a.package, aliases: a.aliases ?? null, score: a.score ?? null})
    for (const key of new Set(a.affects)) rows.affects.push({id: a.id, key})
  }
  for (const d of s.deprecations ?? []) rows.deprecations.push({key: `${s.machine}|${d.kind}|${d.id}|${d.range}`, machine: s.machine, kind: d.kind, id: d.id, range: d.range, message: d.message, replacement: d.replacement, user: d.user, at: d.at})
  for (const p of s.packages) {
    rows.packages.push({id: p.id, name: n(p.name), description: n(p.description), author: n(p.author), license: n(p.license), category: n(p.category), keywords: p.keywords && p.keywords.length > 0 ? p.keywords : null})
  }
  return rows
}

/** one write statement and its rows, with a label for progress */
export type WritePhase = [StatementName, Row[], string]

/**
 * The write statements of a sync, in order, with their rows: `versions` and `projects` are the
 * rows to rewrite (all of them, or only those changed since the machine's last sync); every
 * project node is always written (its stamp tells the prune which projects still exist).
 */
export function writePhases(rows: WriteRows, versions: WriteRows['versions'] = rows.versions, projects: ProjectRows[] = rows.projects): WritePhase[] {
  return [
    ['write/020-versions', versions, 'versions'],
    ['write/030-projects', rows.projects.map((p) => p.node), 'projects'],
    ['write/031-project-requires', projects.map((p) => p.requires), 'project requirements'],
    ['write/032-project-locks', projects.map((p) => p.locks), 'locks'],
    ['write/033-depends-on', projects.map((p) => p.dependsOn), 'resolved edges'],
    ['write/034-project-digests', projects.map((p) => ({key: p.key, digest: p.digest})), 'project digests'],
    ['write/040-advisories', rows.advisories, 'advisories'],
    ['write/041-advisory-affects', rows.affects, 'advisory edges'],
    ['write/050-packages', rows.packages, 'packages'],
    ['write/060-deprecations', rows.deprecations, 'deprecations'],
  ]
}

/** the sync statistics, counted from the snapshot exactly as the memory adapter counts them */
export function snapshotStats(s: GraphSnapshot, pruned: number): SyncStats {
  let edges = 0
  for (const v of s.versions) edges += 1 + Object.keys(v.requires).length
  for (const p of s.projects) {
    edges += p.requires.length + p.locks.length
    for (const l of p.locks) edges += l.dependencies.length
  }
  return {machine: s.machine, projects: s.projects.length, versions: s.versions.length, packages: s.packages.length, edges, pruned}
}

/** one machine's knowledge of a version, as read back from its KNOWS edge */
export interface MachineMeta {
  seq: number
  machine: string
  meta: VersionMeta
}

/** machine order: first-synced machine first (sequence number, then name) */
export const byMachineOrder = (a: {seq: number; machine: string}, b: {seq: number; machine: string}): number =>
  a.seq - b.seq || (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : 0)

/** merge per-machine metadata in machine order: the first non-empty value of each field wins */
export function mergeMeta(list: MachineMeta[]): VersionMeta {
  const out: Record<string, unknown> = {}
  for (const m of [...list].sort(byMachineOrder)) {
    for (const f of VERSION_META) {
      const x = m.meta[f]
      if (out[f] === undefined && x !== undefined && x !== null) out[f] = x
    }
  }
  return out as VersionMeta
}
