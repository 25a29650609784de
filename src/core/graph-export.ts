/**
 * `packs graph export`: the graph as a Cypher script, GraphML or JSON, read through the
 * GraphStore port (`snapshots`) on either backend. A store that answers for this machine only
 * (scope `machine`: memory) is first loaded with this machine's snapshot, registries included,
 * as `packs graph sync` would push it; a team store (Neo4j) is read as every machine synced it.
 */
import {resolve} from 'node:path'
import {writeFileAtomic} from '../formats/fs.js'
import {exportGraph, type ExportFormat, type GraphScope} from '../graph/export/index.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import type {PacksContext} from './context.js'
import {localSnapshot} from './graph-sync.js'
import type {ProjectProblem} from './workspace-graph.js'

export interface GraphExportOptions {
  format: ExportFormat
  backend?: string
  /** only this machine's projects */
  machine?: string
  /** extra trees to scan (a machine-scope store) */
  roots?: string[]
  /** write the export to this file (atomically) instead of returning it */
  output?: string
  /** only the subgraph around these projects / packages (src/graph/export/scope.ts) */
  scope?: GraphScope
}

export interface GraphExportOutput {
  format: ExportFormat
  backend: 'memory' | 'neo4j'
  machines: string[]
  nodes: number
  relationships: number
  /** the file written (with --output) */
  output?: string
  /** the export itself (without --output): text for cypher and graphml, the graph for json */
  content?: string
  graph?: unknown
}

export interface GraphExportResult {
  result: GraphExportOutput
  /** the export text (also written to `output` when given) */
  content: string
  /** projects whose files could not be read (a machine-scope store) */
  problems: ProjectProblem[]
}

export async function exportWorkspaceGraph(ctx: PacksContext, o: GraphExportOptions): Promise<GraphExportResult> {
  const store = await openGraphStore(chooseBackend(o.backend, ctx.config, ctx.env), ctx)
  let problems: ProjectProblem[] = []
  let exported
  try {
    if (store.capabilities.scope === 'machine') {
      const local = await localSnapshot(ctx, o.roots)
      problems = local.problems
      await store.load(local.snapshot)
    } else ctx.progress.step('Reading the team graph')
    const {snapshots, merged} = await store.snapshots({machine: o.machine})
    exported = exportGraph(o.format, snapshots, merged, {scope: o.scope, syncedAt: ctx.env.fixedTime})
  } finally {
    await store.close()
  }
  ctx.progress.stop()
  const base = {format: o.format, backend: store.name, machines: exported.machines, nodes: exported.nodes, relationships: exported.relationships}
  if (o.output) {
    const file = resolve(o.output)
    writeFileAtomic(file, exported.content)
    return {result: {...base, output: file}, content: exported.content, problems}
  }
  const result = o.format === 'json' ? {...base, graph: JSON.parse(exported.content) as unknown} : {...base, content: exported.content}
  return {result, content: exported.content, problems}
}
