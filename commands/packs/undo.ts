import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag, fetchFlags} from '../../src/cli/flags.js'
import {undo, type RollbackResult} from '../../src/ops/rollback.js'
import {renderRollback} from '../../src/cli/views/rollback.js'

export default class Undo extends PacksCommand {
  static override summary = 'Revert the last operation on a project (install, update, manifest apply, rollback, ...).'
  static override description =
    "Restores the project files as they were before the last recorded generation, fetching store entries again if `gc` removed them. The undo is recorded too: a second undo reverts the first. To step further back use `ggen packs rollback --to N` (see `ggen packs rollback --list`)."
  static override flags = {project: projectFlag, ...fetchFlags}
  static override examples = ['<%= config.bin %> packs undo', '<%= config.bin %> packs undo --project ./api --json']

  async run(): Promise<RollbackResult> {
    const {flags} = await this.parse(Undo)
    const r = await undo(contextFor(this, flags), {projectDir: flags.project})
    this.out(renderRollback(r))
    return r
  }
}
