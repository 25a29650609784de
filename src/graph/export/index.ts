/**
 * Graph export: `cypher` (a script recreating the graph in Neo4j), `graphml` (Gephi, yEd) and
 * `json` (graphology's serialisation: `Graph.from(json)` reads it back).
 */
import type {SerializedGraph} from 'graphology-types'
import type {GraphSnapshot} from '../model.js'
import {cypherScriptStatements, toCypherScript, type CypherScriptOptions} from './cypher-script.js'
import {snapshotGraph, type Attributes} from './graph.js'
import {toGraphML} from './graphml.js'

export const EXPORT_FORMATS = ['cypher', 'graphml', 'json'] as const
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
export function exportGraph(format: ExportFormat, snapshots: GraphSnapshot[], merged: GraphSnapshot, opts: CypherScriptOptions = {}): GraphExport {
  const g = snapshotGraph(merged)
  const machines = snapshots.map((s) => s.machine)
  const base = {format, nodes: g.order, relationships: g.size, machines}
  if (format === 'cypher') return {...base, content: toCypherScript(snapshots, opts)}
  if (format === 'graphml') return {...base, content: toGraphML(g)}
  return {...base, content: JSON.stringify(g.export() as SerializedGraph<Attributes, Attributes, Attributes>, null, 2) + '\n'}
}

export {cypherScriptStatements, snapshotGraph, toCypherScript, toGraphML}
