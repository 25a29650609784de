import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {rootFlag} from '../../src/cli/flags.js'
import {renderGc} from '../../src/cli/views/store.js'
import {gc, type GcResult} from '../../src/ops/gc.js'

export default class Gc extends PacksCommand {
  static override summary = 'Remove store entries that no known project uses.'
  static override flags = {
    'dry-run': Flags.boolean({summary: 'List what would be removed; remove nothing.'}),
    root: rootFlag,
  }
  static override examples = ['<%= config.bin %> packs gc --dry-run', '<%= config.bin %> packs gc --json']

  async run(): Promise<GcResult> {
    const {flags} = await this.parse(Gc)
    const r = await gc(contextFor(this), {dryRun: flags['dry-run'], roots: flags.root})
    this.out(renderGc(r))
    return r
  }
}
