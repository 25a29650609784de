import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderPrune} from '../../../src/cli/views/store.js'
import {pruneProjects, type PruneProjectsResult} from '../../../src/core/projects-prune.js'

export default class ProjectsPrune extends PacksCommand {
  static override summary = 'Forget known projects whose folder is gone (no ggen.toml or lockfile any more).'
  static override description =
    'Every install registers its project in $GGEN_HOME/projects.json. A project folder that was moved or deleted stays listed there, and read commands warn about it once per run ("N known projects are gone"). This removes those entries (one atomic write, one audit entry); project folders are never touched. A moved project is known again after its next install, or with --root.'
  static override flags = {
    'dry-run': Flags.boolean({summary: 'List what would be forgotten; change nothing.'}),
  }
  static override examples = ['<%= config.bin %> packs projects prune --dry-run', '<%= config.bin %> packs projects prune']

  async run(): Promise<PruneProjectsResult> {
    const {flags} = await this.parse(ProjectsPrune)
    const r = await pruneProjects(contextFor(this), {dryRun: flags['dry-run']})
    this.out(renderPrune(r))
    return r
  }
}
