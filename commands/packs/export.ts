import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag, scopeFlags} from '../../src/cli/flags.js'
import {outputDirFlag, outputFlag, writeOutput, writeOutputs} from '../../src/cli/output.js'
import {withoutColor} from '../../src/cli/render.js'
import {ALL_EXPORT_FORMATS, chooseExportFormat, exportDocuments, renderExportSummary} from '../../src/cli/views/export.js'
import {collectExport, exportCounts, EXPORT_WHATS, type ExportResult, type ExportWhat} from '../../src/core/export/index.js'
import type {ExportFormat} from '../../src/graph/export/index.js'

export default class Export extends PacksCommand {
  static override summary = 'Export for other tools: a CycloneDX SBOM per project, the graph (GraphML, GEXF, DOT, Cypher, JSON), or the list, dependents, manifests and bundles as JSON, YAML or CSV.'
  static override description = [
    '--what sbom (default): a CycloneDX 1.6 JSON SBOM of one project (--project, or the project in the current folder) to --output FILE, or of every project (--all) into --output-dir DIR, one <project>.cdx.json each: every locked version as a component with its purl, hashes and license, the dependency graph, and the vulnerabilities of the last `security scan` when there is one.',
    '--what graph: the package graph as json, graphml, gexf, dot or cypher; --project DIR or --package ID keeps only the subgraph around them (their dependencies and dependents).',
    '--what list|dependents|manifests|bundles: what `list`, `dependents --package ID`, `manifest generate` (one manifest per project, its environment tag or `default`) and `bundle export` give, as json, yaml or csv; --output-dir writes one file per project or bundle.',
    'Files are replaced atomically and never carry colour; --json prints what was written and how much it holds. GGEN_NOW or SOURCE_DATE_EPOCH fix the SBOM timestamp and serial number for reproducible files.',
  ].join('\n\n')
  static override flags = {
    what: Flags.option({options: EXPORT_WHATS, summary: 'What to export (default: sbom).', default: 'sbom' as const})(),
    project: {...scopeFlags.project, summary: 'Only this project (SBOM, manifests: the project exported; graph: the subgraph around it; list: versions it uses).'},
    all: {...scopeFlags.all, summary: 'Every known project (and those under --root); the default outside a project folder.'},
    package: Flags.string({summary: 'A package id: whose dependents to export (--what dependents), or the graph\'s scope (--what graph).', helpValue: 'ID'}),
    format: Flags.option({options: ALL_EXPORT_FORMATS, summary: 'sbom: cyclonedx (JSON); graph: json|graphml|gexf|dot|cypher; the lists: json|yaml|csv. Default: the first, or the --output file\'s extension.', helpValue: 'FORMAT'})(),
    output: {...outputFlag, exclusive: ['output-dir']},
    'output-dir': {...outputDirFlag, summary: 'Write one file per project (SBOMs, manifests) or bundle into this folder (created when missing).', exclusive: ['output']},
    backend: backendFlag,
    machine: machineFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs export --project ./billing-api --output billing-api.cdx.json',
    '<%= config.bin %> packs export --what sbom --all --output-dir sboms/',
    '<%= config.bin %> packs export --what graph --format gexf --output packs.gexf',
    '<%= config.bin %> packs export --what graph --package io.ggen.core.util --format dot --output util.dot',
    '<%= config.bin %> packs export --what list --format csv --output packages.csv',
    '<%= config.bin %> packs export --what dependents --package io.ggen.core.util --format yaml',
    '<%= config.bin %> packs export --what manifests --all --format yaml --output-dir manifests/',
    '<%= config.bin %> packs export --what bundles --format json --output bundles.json',
  ]

  async run(): Promise<ExportResult> {
    const {flags} = await this.parse(Export)
    const what: ExportWhat = flags.what
    const format = chooseExportFormat(what, flags.format, flags.output)
    const data = await collectExport(contextFor(this, flags), {
      what,
      project: flags.project,
      all: flags.all,
      package: flags.package,
      backend: flags.backend,
      machine: flags.machine,
      roots: flags.root,
      graphFormat: (format === 'json' ? 'json' : format) as ExportFormat,
    })
    const docs = await withoutColor(() => exportDocuments(data, format, !!flags['output-dir']))
    const files = flags['output-dir'] ? writeOutputs(flags['output-dir'], docs) : flags.output ? [writeOutput(flags.output, docs[0]!.text)] : []
    if (files.length === 0 && !this.jsonEnabled()) process.stdout.write(docs[0]!.text)
    const result: ExportResult = {what, format, files, counts: exportCounts(data)}
    if (files.length) this.note(renderExportSummary(result))
    return result
  }
}
