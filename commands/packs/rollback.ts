import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag, fetchFlags} from '../../src/cli/flags.js'
import {renderHistory, renderRollback} from '../../src/cli/views/rollback.js'
import {listHistory, rollback, type RollbackOutput} from '../../src/ops/rollback.js'

export default class Rollback extends PacksCommand {
  static override summary = 'Restore an earlier state of a project (ggen.toml, lockfile, store entries) from its history.'
  static override description =
    'Every install, uninstall, update, manifest apply, rollback and undo records a generation (the files before and after). `--to N` makes the project equal to what generation N left behind; `--to 0` restores the state before the first recorded operation; without --to the last operation is reverted (like `ggen packs undo`). Store entries the restored lockfile needs that `gc` removed are fetched again from the registries (verified against the lockfile). A rollback is itself recorded, so it can be rolled back. `--list` shows the generations (and first recovers an interrupted operation, if any).'
  static override flags = {
    project: projectFlag,
    to: Flags.integer({summary: 'Generation to restore (its after state); 0 = before the first recorded operation.', min: 0, helpValue: 'GENERATION', exclusive: ['list']}),
    list: Flags.boolean({summary: 'List the generations (gen, time, action, details, user).', exclusive: ['to']}),
    ...fetchFlags,
  }
  static override examples = [
    '<%= config.bin %> packs rollback --list',
    '<%= config.bin %> packs rollback --to 3 --project ./api',
    '<%= config.bin %> packs rollback --to 0          # before the first recorded operation',
    '<%= config.bin %> packs rollback --list --json',
  ]

  async run(): Promise<RollbackOutput> {
    const {flags} = await this.parse(Rollback)
    const ctx = contextFor(this, flags)
    if (flags.list) {
      const h = await listHistory(ctx, flags.project)
      if (h.recovered) this.note(`note: ${h.project}: an interrupted operation was rolled back first`)
      this.out(renderHistory(h))
      return h
    }
    const r = await rollback(ctx, {projectDir: flags.project, to: flags.to})
    this.out(renderRollback(r))
    return r
  }
}
