/**
 * Graph export: `cypher` (a script recreating the graph in Neo4j), `graphml` (Gephi, yEd),
 * `gexf` (Gephi), `dot` (Graphviz), `json` (graphology's serialisation: `Graph.from(json)`
 * reads it back) and `html` (the interactive view: ./html.ts, laid out by ./view.ts); optionally
 * scoped to the subgraph around projects or packages (./scope.ts).
 */
import type {SerializedGraph} from 'graphology-types'
import type {GraphSnapshot} from '../model.js'
import {cypherScriptStatements, toCypherScript, type CypherScriptOptions} from './cypher-script.js'
import {snapshotGraph, type Attributes} from './graph.js'
import {toGraphML} from './graphml.js'
import {toGexf} from './gexf.js'
import {toDot} from './dot.js'
import {renderGraphHtml, type GraphHtmlOptions} from './html.js'
import {scopeSnapshots, type GraphScope} from './scope.js'
import {graphView, type ViewInput, type ViewScope} from './view.js'

export const EXPORT_FORMATS = ['cypher', 'graphml', 'gexf', 'dot', 'json', 'html'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface GraphExport {
  format: ExportFormat
  /** the file content */
  content: string
  nodes: number
  relationships: number
  machines: string[]
}

/** what the html export needs beyond the graph: the flags' inputs, the scope, the page's title */
export interface HtmlExportOptions {
  title: GraphHtmlOptions['title']
  input: ViewInput
  scope?: ViewScope
  /** the scope in words, shown under the title */
  scopeLabel?: string
}

export interface ExportOptions extends CypherScriptOptions {
  html?: HtmlExportOptions
  /** the subgraph around these projects / packages, for every format */
  scope?: GraphScope
}

const NO_FLAGS: HtmlExportOptions = {title: 'ggen packs graph', input: {vulnerable: new Set(), drift: new Set()}}

/**
 * `snapshots`: one per machine in first-sync order (the Cypher script replays them in turn);
 * `merged`: the same graph as one snapshot (rendered for GraphML and JSON). For a single
 * machine both are that machine's snapshot.
 */
export function exportGraph(format: ExportFormat, all: GraphSnapshot[], whole: GraphSnapshot, opts: ExportOptions = {}): GraphExport {
  const {snapshots, merged} = scopeSnapshots(all, whole, opts.scope)
  const g = snapshotGraph(merged)
  const machines = snapshots.map((s) => s.machine)
  const base = {format, nodes: g.order, relationships: g.size, machines}
  if (format === 'cypher') return {...base, content: toCypherScript(snapshots, opts)}
  if (format === 'html') {
    const html = opts.html ?? NO_FLAGS
    const view = graphView(g, html.input, html.scope)
    return {...base, nodes: view.nodes.length, relationships: view.edges.length, content: renderGraphHtml(view, {title: html.title, scope: html.scopeLabel})}
  }
  if (format === 'graphml') return {...base, content: toGraphML(g)}
  if (format === 'gexf') return {...base, content: toGexf(g)}
  if (format === 'dot') return {...base, content: toDot(g)}
  return {...base, content: JSON.stringify(g.export() as SerializedGraph<Attributes, Attributes, Attributes>, null, 2) + '\n'}
}

export {cypherScriptStatements, graphView, renderGraphHtml, snapshotGraph, toCypherScript, toDot, toGexf, toGraphML}
export type {GraphScope} from './scope.js'
