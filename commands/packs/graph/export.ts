import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {backendFlag, machineFlag, projectFilterFlag, registryFlags, rootFlag} from '../../../src/cli/flags.js'
import {exportWorkspaceGraph, type GraphExportOutput} from '../../../src/core/graph-export.js'
import {EXPORT_FORMATS, type ExportFormat} from '../../../src/graph/export/index.js'

export type {GraphExportOutput} from '../../../src/core/graph-export.js'

export default class GraphExport extends PacksCommand {
  static override summary = 'Export the package graph: a Cypher script, GraphML (Gephi, yEd), GEXF (Gephi), DOT (Graphviz), JSON (graphology) or an interactive HTML view.'
  static override description =
    "memory (default): this machine's projects and registry versions, as `packs graph sync` would push them. --backend neo4j: the team graph, every machine synced (or one, with --machine). The Cypher script replays the sync statements, so loading it into an empty Neo4j gives a graph `--backend neo4j` answers from. --format html writes one self-contained page (no network): packages, versions and projects coloured by deprecated / vulnerable (the last security scan) / drift, a search box, and click-to-highlight of a node's dependents and dependencies; --project or --package keep the subgraph around one project or package."
  static override flags = {
    format: Flags.string({char: 'f', summary: 'Export format.', options: [...EXPORT_FORMATS], required: true}),
    output: Flags.file({char: 'o', summary: 'Write to this file instead of stdout (html: default ggen-graph.html).', helpValue: 'FILE'}),
    project: {...projectFilterFlag, summary: 'html: only the subgraph around the project in this folder.', exclusive: ['package']},
    package: Flags.string({summary: 'html: only the subgraph around this package (id or short name).', helpValue: 'ID', exclusive: ['project']}),
    backend: backendFlag,
    machine: machineFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs graph export --format graphml -o packs.graphml',
    '<%= config.bin %> packs graph export --format cypher > graph.cypher && cypher-shell -f graph.cypher',
    '<%= config.bin %> packs graph export --format json --backend neo4j --machine build-01 -o build-01.json',
    '<%= config.bin %> packs graph export --format html --output graph.html',
    '<%= config.bin %> packs graph export --format html --package io.ggen.core.log -o core-log.html',
  ]

  async run(): Promise<GraphExportOutput> {
    const {flags} = await this.parse(GraphExport)
    const ctx = contextFor(this, {registry: flags.registry, offline: flags.offline})
    const r = await exportWorkspaceGraph(ctx, {format: flags.format as ExportFormat, backend: flags.backend, machine: flags.machine, roots: flags.root, output: flags.output, project: flags.project, package: flags.package})
    for (const p of r.problems) this.note(`warning: ${p.path}: ${p.message}`)
    if (r.result.output) this.note(`Wrote ${r.result.nodes} nodes and ${r.result.relationships} relationships to ${r.result.output}`)
    else if (!this.jsonEnabled()) process.stdout.write(r.content)
    return r.result
  }
}
