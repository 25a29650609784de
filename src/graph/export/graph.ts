/**
 * GraphSnapshot -> a graphology graph (directed, multi: a version both belongs to and may require
 * the same package; DEPENDS_ON has one edge per project). The GraphML and JSON exports are
 * rendered from it. Node keys are `<Kind>:<natural key>`; every node and edge carries `kind` /
 * `type` (the Neo4j label / relationship type) and `label` (a display name for Gephi / yEd).
 * Absent values are left out, so attributes are only strings, numbers, booleans and lists.
 */
import {MultiDirectedGraph} from 'graphology'
import {versionKey, type GraphSnapshot} from '../model.js'

export type Attributes = Record<string, unknown>
export type PacksGraph = MultiDirectedGraph<Attributes, Attributes, Attributes>

const clean = (o: Attributes): Attributes => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined && x !== null && !(Array.isArray(x) && x.length === 0)))

export const nodeKey = {
  package: (id: string) => `Package:${id}`,
  version: (key: string) => `Version:${key}`,
  project: (key: string) => `Project:${key}`,
  advisory: (id: string) => `Advisory:${id}`,
}

export function snapshotGraph(s: GraphSnapshot): PacksGraph {
  const g: PacksGraph = new MultiDirectedGraph({allowSelfLoops: true})
  g.replaceAttributes({name: 'ggen packs', machine: s.machine})
  const pkg = (id: string) => {
    const k = nodeKey.package(id)
    if (!g.hasNode(k)) g.addNode(k, {kind: 'Package', label: id, id, name: id})
    return k
  }
  const ver = (id: string, version: string) => {
    const key = versionKey(id, version)
    const k = nodeKey.version(key)
    if (!g.hasNode(k)) {
      g.addNode(k, {kind: 'Version', label: key, key, id, version})
      g.addEdgeWithKey(`OF:${key}`, k, pkg(id), {type: 'OF', label: 'OF'})
    }
    return k
  }
  const edge = (key: string, from: string, to: string, attrs: Attributes) => {
    if (!g.hasEdge(key)) g.addEdgeWithKey(key, from, to, clean({...attrs, label: attrs.type}))
  }

  for (const p of s.packages) g.mergeNode(nodeKey.package(p.id), clean({kind: 'Package', label: p.id, ...p}))
  for (const v of s.versions) {
    const key = versionKey(v.id, v.version)
    const {requires, ...meta} = v
    const k = ver(v.id, v.version)
    g.mergeNodeAttributes(k, clean({...meta, label: key, key}))
    for (const [dep, range] of Object.entries(requires)) edge(`REQUIRES:${key}->${dep}`, k, pkg(dep), {type: 'REQUIRES', range})
  }
  for (const p of s.projects) {
    const k = nodeKey.project(p.key)
    g.mergeNode(k, clean({kind: 'Project', label: p.name, key: p.key, path: p.path, name: p.name, team: p.team, owner: p.owner, environment: p.environment, machine: p.machine}))
    for (const r of p.requires) edge(`REQUIRES:${p.key}->${r.id}`, k, pkg(r.id), {type: 'REQUIRES', range: r.range, optional: r.optional, tier: r.tier, env: r.env})
    const lockOf = new Map<string, string>()
    for (const l of p.locks) if (!lockOf.has(l.id)) lockOf.set(l.id, ver(l.id, l.version))
    for (const l of p.locks) {
      const vk = versionKey(l.id, l.version)
      edge(`LOCKS:${p.key}->${vk}`, k, ver(l.id, l.version), {type: 'LOCKS', direct: l.direct, integrity: l.integrity, installed_at: l.installed_at, dependencies: l.dependencies})
      for (const d of l.dependencies) {
        const to = lockOf.get(d)
        if (to) edge(`DEPENDS_ON:${p.key}:${vk}->${to.slice('Version:'.length)}`, ver(l.id, l.version), to, {type: 'DEPENDS_ON', project: p.key})
      }
    }
  }
  for (const a of s.advisories ?? []) {
    const k = nodeKey.advisory(a.id)
    g.mergeNode(k, clean({kind: 'Advisory', label: a.id, id: a.id, summary: a.summary, severity: a.severity, package: a.package}))
    for (const vk of a.affects) {
      const target = nodeKey.version(vk)
      if (g.hasNode(target)) edge(`AFFECTS:${a.id}->${vk}`, k, target, {type: 'AFFECTS'})
    }
  }
  return g
}
