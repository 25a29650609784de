/**
 * A scoped export: the part of the graph around a project or a package, so a big graph stays
 * usable in Gephi or a browser. The kept nodes are the seeds (the project; the package and its
 * versions), everything they reach along outgoing edges (dependencies: requirements, locks,
 * resolved DEPENDS_ON), everything that reaches them along incoming edges (dependents: versions
 * and projects that require, lock or depend on them), each kept version's package, and the
 * advisories affecting kept versions. The snapshots are then cut down to those nodes, so every
 * format (Cypher script included) renders the same subgraph.
 */
import {versionKey, type GraphSnapshot} from '../model.js'
import {nodeKey, snapshotGraph, type PacksGraph} from './graph.js'

export interface GraphScope {
  /** project keys (`machine:path`) */
  projects?: string[]
  /** package ids */
  packages?: string[]
}

export const isScoped = (s: GraphScope | undefined): s is GraphScope => !!(s && ((s.projects?.length ?? 0) > 0 || (s.packages?.length ?? 0) > 0))

function seedsOf(g: PacksGraph, s: GraphScope): string[] {
  const seeds = (s.projects ?? []).map(nodeKey.project)
  for (const id of s.packages ?? []) {
    const k = nodeKey.package(id)
    if (!g.hasNode(k)) continue
    seeds.push(k)
    g.forEachInEdge(k, (_e, a, source) => void (a.type === 'OF' && seeds.push(source)))
  }
  return seeds.filter((k) => g.hasNode(k))
}

/** breadth-first from `seeds`, along outgoing (`out`) or incoming edges */
function reach(g: PacksGraph, seeds: string[], out: boolean, into: Set<string>): void {
  const queue = [...seeds]
  const seen = new Set(seeds)
  while (queue.length) {
    const k = queue.shift()!
    into.add(k)
    const next = out ? g.outNeighbors(k) : g.inNeighbors(k)
    for (const n of next.filter((x) => !seen.has(x))) {
      seen.add(n)
      queue.push(n)
    }
  }
}

/** the node keys of the scoped subgraph of `g` */
export function scopeNodes(g: PacksGraph, s: GraphScope): Set<string> {
  const seeds = seedsOf(g, s)
  const keep = new Set<string>()
  reach(g, seeds, true, keep)
  reach(g, seeds, false, keep)
  for (const k of [...keep]) {
    if (g.getNodeAttribute(k, 'kind') !== 'Version') continue
    g.forEachOutEdge(k, (_e, a, _s, target) => void (a.type === 'OF' && keep.add(target)))
    g.forEachInEdge(k, (_e, a, source) => void (a.type === 'AFFECTS' && keep.add(source)))
  }
  return keep
}

/** `snapshot` cut down to the nodes in `keep` (edges only between kept nodes) */
export function cutSnapshot(snapshot: GraphSnapshot, keep: Set<string>): GraphSnapshot {
  const pkg = (id: string) => keep.has(nodeKey.package(id))
  const ver = (id: string, version: string) => keep.has(nodeKey.version(versionKey(id, version)))
  const only = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([id]) => pkg(id)))
  return {
    ...snapshot,
    packages: snapshot.packages.filter((p) => pkg(p.id)),
    versions: snapshot.versions.filter((v) => ver(v.id, v.version)).map((v) => ({...v, requires: only(v.requires)})),
    projects: snapshot.projects
      .filter((p) => keep.has(nodeKey.project(p.key)))
      .map((p) => ({...p, requires: p.requires.filter((r) => pkg(r.id)), locks: p.locks.filter((l) => ver(l.id, l.version))})),
    advisories: snapshot.advisories?.filter((a) => keep.has(nodeKey.advisory(a.id))).map((a) => ({...a, affects: a.affects.filter((k) => keep.has(nodeKey.version(k)))})),
  }
}

/** the snapshots (and their merged form) cut to the scope; unscoped: as given */
export function scopeSnapshots(snapshots: GraphSnapshot[], merged: GraphSnapshot, s: GraphScope | undefined): {snapshots: GraphSnapshot[]; merged: GraphSnapshot} {
  if (!isScoped(s)) return {snapshots, merged}
  const keep = scopeNodes(snapshotGraph(merged), s)
  return {snapshots: snapshots.map((x) => cutSnapshot(x, keep)), merged: cutSnapshot(merged, keep)}
}
