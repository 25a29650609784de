import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {rootFlag} from '../../src/cli/flags.js'
import {bytes} from '../../src/cli/render.js'
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
    const verb = r.dry_run ? 'would remove' : 'removed'
    this.out([`${verb} ${r.removed.length} store entr${r.removed.length === 1 ? 'y' : 'ies'} (${bytes(r.freed)}); ${r.kept} kept${r.stale_temps.length ? `; ${r.stale_temps.length} temp folder${r.stale_temps.length === 1 ? '' : 's'} of interrupted extractions ${r.dry_run ? 'would be ' : ''}removed` : ''}`, ...r.removed.map((e) => `  - ${e.id}@${e.version} ${bytes(e.size)}`)].join('\n'))
    return r
  }
}
