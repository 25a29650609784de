import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag, registryFlags} from '../../src/cli/flags.js'
import {outputDirFlag} from '../../src/cli/output.js'
import {renderImport} from '../../src/cli/views/import.js'
import {IMPORT_KINDS} from '../../src/core/import-map.js'
import {importFile, type ImportResult} from '../../src/ops/import.js'

export default class Import extends PacksCommand {
  static override summary = 'Import a manifest, a bundle, a legacy ggen lockfile or a legacy registry index into its canonical form.'
  static override description =
    'The kind is detected from the content unless --kind names it. A manifest is written as <environment>.json (or .yaml) in --output-dir; a bundle goes to $GGEN_HOME/bundles like `bundle import`; a lockfile (ggen.lock of every era, .ggen/packs.lock) becomes the canonical lockfile of --project, each entry resolved against the configured registries, through the transaction (history generation, policy gate, `packs undo` restores); a registry index (every marketplace and v0 index, packages.toml) becomes index.json in --output-dir. The report lists what was mapped, what was not and why (dangling dependency, bad integrity, unknown source, missing version, invalid field), and what of a mapped entry did not carry over. Audited as import.'
  static override args = {file: Args.string({description: 'the file to import', required: true})}
  static override flags = {
    kind: Flags.option({options: IMPORT_KINDS, summary: 'What the file is (default: detected from its content).'})(),
    project: {...projectFlag, summary: 'Where a lockfile goes: the project folder (default: the current folder).'},
    'output-dir': {...outputDirFlag, summary: 'Where a registry index (index.json) or a manifest goes, created when missing (a manifest: default the current folder; a registry needs it).'},
    'dry-run': Flags.boolean({summary: 'Report what would be imported; write nothing.'}),
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs import legacy/ggen.lock --project ./thesis --dry-run',
    '<%= config.bin %> packs import legacy/ggen.lock --project ./thesis',
    '<%= config.bin %> packs import old-marketplace/index.json --output-dir ./imported-registry',
    '<%= config.bin %> packs import prod.json --output-dir ./manifests --json',
  ]

  async run(): Promise<ImportResult> {
    const {args, flags} = await this.parse(Import)
    const r = await importFile(contextFor(this), args.file, {kind: flags.kind, project: flags.project, outputDir: flags['output-dir'], dryRun: flags['dry-run']})
    this.out(renderImport(r))
    return r
  }
}
