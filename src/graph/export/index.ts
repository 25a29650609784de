/**
 * Graph export: `cypher` (a script recreating the graph in Neo4j), `graphml` (Gephi, yEd),
 * `gexf` (Gephi), `dot` (Graphviz) and `json` (graphology's serialisation: `Graph.from(json)`
 * reads it back); optionally scoped to the subgraph around projects or packages (./scope.ts).
 */
import type {SerializedGraph} from 'graphology-types'
import type {GraphSnapshot} from '../model.js'
import {cypherScriptStatements, toCypherScript, type CypherScriptOptions} from './cypher-script.js'
import {snapshotGraph, type Attributes} from './graph.js'
import {toGraphML} from './graphml.js'
import {toGexf} from './gexf.js'
import {toDot} from './dot.js'
import {scopeSnapshots, type GraphScope} from './scope.js'

export const EXPORT_FORMATS = ['cypher', 'graphml', 'gexf', 'dot', 'json'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface GraphExport {
  format: ExportFormat
  /** the file content */
  content: string
  nodes: number
  relationships: number
  machines: string[]
}

/**
 * `snapshots`: one per machine in first-sync order (the Cypher script replays them in turn);
 * `merged`: the same graph as one snapshot (rendered for GraphML and JSON). For a single
 * machine both are that machine's snapshot.
 */
export function exportGraph(format: ExportFormat, all: GraphSnapshot[], whole: GraphSnapshot, opts: CypherScriptOptions & {scope?: GraphScope} = {}): GraphExport {
  const {snapshots, merged} = scopeSnapshots(all, whole, opts.scope)
  const g = snapshotGraph(merged)
  const machines = snapshots.map((s) => s.machine)
  const base = {format, nodes: g.order, relationships: g.size, machines}
  if (format === 'cypher') return {...base, content: toCypherScript(snapshots, opts)}
  if (format === 'graphml') return {...base, content: toGraphML(g)}
  if (format === 'gexf') return {...base, content: toGexf(g)}
  if (format === 'dot') return {...base, content: toDot(g)}
  return {...base, content: JSON.stringify(g.export() as SerializedGraph<Attributes, Attributes, Attributes>, null, 2) + '\n'}
}

export {cypherScriptStatements, snapshotGraph, toCypherScript, toDot, toGexf, toGraphML}
export type {GraphScope} from './scope.js'
