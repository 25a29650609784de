import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../../src/cli/flags.js'
import {localSnapshot} from '../../../src/core/graph-sync.js'
import type {GraphExportOutput} from '../../../src/core/graph-output.js'
import {writeFileAtomic} from '../../../src/formats/fs.js'
import {EXPORT_FORMATS, exportGraph, type ExportFormat} from '../../../src/graph/export/index.js'
import {teamSnapshots} from '../../../src/graph/export/team.js'
import {chooseBackend, neo4jSettings} from '../../../src/graph/open.js'

export default class GraphExport extends PacksCommand {
  static override summary = 'Export the package graph: a Cypher script, GraphML (Gephi, yEd) or JSON (graphology).'
  static override description =
    "memory (default): this machine's projects and registry versions, as `packs graph sync` would push them. --backend neo4j: the team graph, every machine synced (or one, with --machine). The Cypher script replays the sync statements, so loading it into an empty Neo4j gives a graph `--backend neo4j` answers from."
  static override flags = {
    format: Flags.string({char: 'f', summary: 'Export format.', options: [...EXPORT_FORMATS], required: true}),
    output: Flags.file({char: 'o', summary: 'Write to this file instead of stdout.', helpValue: 'FILE'}),
    backend: backendFlag,
    machine: machineFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs graph export --format graphml -o packs.graphml',
    '<%= config.bin %> packs graph export --format cypher > graph.cypher && cypher-shell -f graph.cypher',
    '<%= config.bin %> packs graph export --format json --backend neo4j --machine build-01 -o build-01.json',
  ]

  async run(): Promise<GraphExportOutput> {
    const {flags} = await this.parse(GraphExport)
    const format = flags.format as ExportFormat
    const ctx = contextFor(this, {registry: flags.registry, offline: flags.offline})
    const backend = chooseBackend(flags.backend, ctx.config)
    let exported
    if (backend === 'neo4j') {
      const {Neo4jGraphStore} = await import('../../../src/graph/neo4j/neo4j-store.js')
      ctx.progress.step(`Reading the team graph from ${neo4jSettings(ctx.config).uri}`)
      const store = await Neo4jGraphStore.connect(neo4jSettings(ctx.config))
      try {
        const team = await teamSnapshots(store, flags.machine)
        exported = exportGraph(format, team.snapshots, team.merged)
      } finally {
        await store.close()
      }
    } else {
      const local = await localSnapshot(ctx, flags.root)
      for (const p of local.problems) this.note(`warning: ${p.path}: ${p.message}`)
      exported = exportGraph(format, [local.snapshot], local.snapshot)
    }
    ctx.progress.stop()
    const base = {format, backend, machines: exported.machines, nodes: exported.nodes, relationships: exported.relationships}
    if (flags.output) {
      const file = resolve(flags.output)
      writeFileAtomic(file, exported.content)
      this.note(`Wrote ${exported.nodes} nodes and ${exported.relationships} relationships to ${file}`)
      return {...base, output: file}
    }
    if (!this.jsonEnabled()) process.stdout.write(exported.content)
    return format === 'json' ? {...base, graph: JSON.parse(exported.content) as unknown} : {...base, content: exported.content}
  }
}
