/**
 * `packs graph export`: the graph as a Cypher script, GraphML, JSON or the interactive HTML view,
 * read through the GraphStore port (`snapshots`) on either backend. A store that answers for this
 * machine only (scope `machine`: memory) is first loaded with this machine's snapshot, registries
 * included, as `packs graph sync` would push it; a team store (Neo4j) is read as every machine
 * synced it. The HTML view also shows what the graph rows do not carry: drift (asked of the store)
 * and the last security scan's findings ($GGEN_HOME/advisories/last-scan.json); it may be scoped
 * to the subgraph around one project or package.
 */
import {resolve} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {writeFileAtomic} from '../formats/fs.js'
import {vulnerableVersions} from '../formats/last-scan.js'
import {exportGraph, type ExportFormat, type GraphScope, type HtmlExportOptions} from '../graph/export/index.js'
import type {GraphStore} from '../graph/graph-store.js'
import type {GraphSnapshot} from '../graph/model.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import {requireProjectDir} from '../workspace/project-dir.js'
import type {PacksContext} from './context.js'
import {localSnapshot} from './graph-sync.js'
import {resolvePackageName} from './package-name.js'
import type {ProjectProblem} from './workspace-graph.js'

/** where `--format html` writes without --output */
export const DEFAULT_HTML_OUTPUT = 'ggen-graph.html'
/** an unscoped HTML view larger than this gets a warning (it opens, but slowly and crowded) */
export const HTML_NODE_WARNING = 5000

export interface GraphExportOptions {
  format: ExportFormat
  backend?: string
  /** only this machine's projects */
  machine?: string
  /** extra trees to scan (a machine-scope store) */
  roots?: string[]
  /** write the export to this file (atomically) instead of returning it (html: default ggen-graph.html) */
  output?: string
  /** only the subgraph around these projects / packages (src/graph/export/scope.ts; `packs export --what graph`) */
  scope?: GraphScope
  /** html: only the subgraph around the project in this folder */
  project?: string
  /** html: only the subgraph around this package (an id or a short name) */
  package?: string
}

export interface GraphExportOutput {
  format: ExportFormat
  backend: 'memory' | 'neo4j'
  machines: string[]
  nodes: number
  relationships: number
  /** the file written (with --output; always for html) */
  output?: string
  /** html: what the view was scoped to (`project <path>`, `package <id>`) */
  scope?: string
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
  if (o.format !== 'html' && (o.project !== undefined || o.package !== undefined)) {
    throw new PacksError('E_USAGE', '--project and --package scope the HTML view only', {hint: 'Add --format html, or leave --project/--package out to export the whole graph.'})
  }
  const store = await openGraphStore(chooseBackend(o.backend, ctx.config, ctx.env), ctx)
  let problems: ProjectProblem[] = []
  let exported
  let scope: string | undefined
  try {
    if (store.capabilities.scope === 'machine') {
      const local = await localSnapshot(ctx, o.roots)
      problems = local.problems
      await store.load(local.snapshot)
    } else ctx.progress.step('Reading the team graph')
    const {snapshots, merged} = await store.snapshots({machine: o.machine})
    const html = o.format === 'html' ? await htmlOptions(ctx, store, merged, o) : undefined
    exported = exportGraph(o.format, snapshots, merged, {scope: o.scope, syncedAt: ctx.env.fixedTime, html})
    if (html) {
      scope = html.scopeLabel
      if (!scope && exported.nodes > HTML_NODE_WARNING) ctx.warn(`the HTML view has ${exported.nodes} nodes: it opens slowly and crowded. Try --package ID or --project DIR for the subgraph around one package or project.`)
    }
  } finally {
    await store.close()
  }
  ctx.progress.stop()
  const base = {format: o.format, backend: store.name, machines: exported.machines, nodes: exported.nodes, relationships: exported.relationships, ...(scope ? {scope} : {})}
  const output = o.output ?? (o.format === 'html' ? DEFAULT_HTML_OUTPUT : undefined)
  if (output) {
    const file = resolve(output)
    writeFileAtomic(file, exported.content)
    return {result: {...base, output: file}, content: exported.content, problems}
  }
  const result = o.format === 'json' ? {...base, graph: JSON.parse(exported.content) as unknown} : {...base, content: exported.content}
  return {result, content: exported.content, problems}
}

/** the HTML view's flags (drift from the store, vulnerable from the last scan) and its scope */
async function htmlOptions(ctx: PacksContext, store: GraphStore, merged: GraphSnapshot, o: GraphExportOptions): Promise<HtmlExportOptions> {
  const drift = new Set((await store.drift({machine: o.machine})).map((d) => d.id))
  const input = {vulnerable: vulnerableVersions(ctx.paths.advisories), drift}
  const title = 'ggen packs graph'
  if (o.package !== undefined) {
    const id = resolvePackageName(o.package, [...merged.packages, ...merged.versions.map((v) => ({id: v.id}))], 'the graph')
    return {title, input, scope: {package: id}, scopeLabel: `package ${id}`}
  }
  if (o.project !== undefined) {
    const dir = requireProjectDir(o.project)
    const found = merged.projects.filter((p) => p.path === dir)
    const project = found.find((p) => p.machine === ctx.machine) ?? found[0]
    if (!project) {
      throw new PacksError('E_NO_PROJECT', `${dir} is not a project in the graph${o.machine ? ` of machine ${o.machine}` : ''}`, {
        file: dir,
        hint: 'Install in it first (ggen packs install --project DIR), or add its folder tree with --root DIR.',
      })
    }
    return {title, input, scope: {project: project.key}, scopeLabel: `project ${project.name} (${project.path})`}
  }
  return {title, input}
}
