import {Args} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag} from '../../src/cli/flags.js'
import {renderChanges} from '../../src/cli/views/changes.js'
import {uninstall, type ChangeResult} from '../../src/ops/install.js'

export default class Uninstall extends PacksCommand {
  static override summary = 'Remove packages from a project and prune what nothing needs any more.'
  static override strict = false
  static override args = {packages: Args.string({description: 'direct dependency id', required: true})}
  static override flags = {project: projectFlag}
  static override examples = ['<%= config.bin %> packs uninstall io.ggen.web', '<%= config.bin %> packs uninstall io.ggen.web io.ggen.db --project ./api --json']

  async run(): Promise<ChangeResult> {
    const {argv, flags} = await this.parse(Uninstall)
    const r = await uninstall(contextFor(this, {}), flags.project, argv as string[])
    this.out(renderChanges(r, 'uninstalled'))
    return r
  }
}
