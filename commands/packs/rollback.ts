import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag, fetchFlags} from '../../src/cli/flags.js'
import {ago, color, table} from '../../src/cli/render.js'
import {listHistory, rollback, type RollbackOutput, type RollbackResult} from '../../src/ops/rollback.js'

export function renderRollback(r: RollbackResult): string {
  const what = r.action === 'undo' ? `undid generation ${r.target.generation} (${r.target.action})` : r.target.generation === 0 ? 'rolled back to generation 0 (before any recorded operation)' : `rolled back to generation ${r.target.generation} (${r.target.action})`
  if (!r.changed) return `${r.project}: already at that state; nothing to change`
  const lines = [`${r.project}: ${what}`]
  for (const c of r.changes) {
    const sign = c.kind === 'added' ? color.green('+') : c.kind === 'removed' ? color.red('-') : color.yellow('~')
    lines.push(`  ${sign} ${c.id} ${c.from ?? ''}${c.from && c.to ? ' -> ' : ''}${c.to ?? ''}`)
  }
  if (r.changes.length === 0 && r.toml_changed) lines.push('  ggen.toml restored (the lockfile was already the same)')
  if (r.refetched.length) lines.push(color.dim(`  fetched again into the store: ${r.refetched.map((x) => `${x.id}@${x.version}`).join(', ')}`))
  lines.push(color.dim(`  recorded as generation ${r.generation}; \`ggen packs undo\` reverts it`))
  return lines.join('\n')
}

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
      if (h.generations.length === 0) this.out(`${h.project}: no history yet (install, update, manifest apply ... record generations)`)
      else
        this.out(
          table(
            ['GEN', 'TIME', 'ACTION', 'USER', 'DETAILS'],
            h.generations.map((g) => [`${g.gen}${g.current ? '*' : ''}`, `${g.at.slice(0, 19).replace('T', ' ')} (${ago(g.at)})`, g.action, g.user, g.details]),
          ) + color.dim('* = the current state. Restore one with `ggen packs rollback --to GEN`; 0 = before the first.'),
        )
      return h
    }
    const r = await rollback(ctx, {projectDir: flags.project, to: flags.to})
    this.out(renderRollback(r))
    return r
  }
}
