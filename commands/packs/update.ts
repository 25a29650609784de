import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag, fetchFlags} from '../../src/cli/flags.js'
import {renderChanges} from '../../src/cli/views/changes.js'
import {update, type ChangeResult} from '../../src/ops/install.js'

export default class Update extends PacksCommand {
  static override summary = 'Update packages to the newest versions their ranges allow.'
  static override description =
    'Without ids, every package is re-resolved to the newest versions that keep every range in the project satisfied. --latest moves direct requirements beyond their ranges (rewrites ggen.toml). --dry-run prints before -> after and writes nothing.'
  static override strict = false
  static override args = {packages: Args.string({description: 'package ids to update (default: all)'})}
  static override flags = {
    project: projectFlag,
    ...fetchFlags,
    'dry-run': Flags.boolean({summary: 'Show before -> after; write nothing.'}),
    latest: Flags.boolean({summary: 'Move direct requirements to ^newest, beyond their current ranges.'}),
    to: Flags.string({summary: 'Move one package to exactly this version (preview with --dry-run).', helpValue: 'VERSION'}),
  }
  static override examples = [
    '<%= config.bin %> packs update',
    '<%= config.bin %> packs update io.ggen.web --dry-run',
    '<%= config.bin %> packs update --latest --json',
    '<%= config.bin %> packs update io.ggen.util --to 2.0.0 --dry-run',
  ]

  async run(): Promise<ChangeResult> {
    const {argv, flags} = await this.parse(Update)
    const r = await update(contextFor(this, flags), flags.project, argv as string[], {dryRun: flags['dry-run'], latest: flags.latest, to: flags.to})
    this.out(renderChanges(r, flags['dry-run'] ? 'would update' : 'updated'))
    return r
  }
}
