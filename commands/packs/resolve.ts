import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {renderChanges} from '../../src/cli/changes.js'
import {backendFlag, fetchFlags, rootFlag} from '../../src/cli/flags.js'
import {color, table} from '../../src/cli/render.js'
import type {ResolveConflictResult} from '../../src/core/resolve-conflict.js'
import {resolveAndApply} from '../../src/ops/resolve-apply.js'

export default class Resolve extends PacksCommand {
  static override summary = 'Explain a version conflict on a package and the ways out; --apply performs one.'
  static override description =
    "Who requires what (the project's ggen.toml and every locked package with a range on it, plus what resolving ggen.toml against the registry reports - so a project with no lockfile yet is answered from ggen.toml alone), the candidate versions and which requirers each satisfies, and concrete ways out - re-resolve, relax ggen.toml's range, move one or several requiring packages to versions whose ranges accept one common version, or pin the package - each checked with a dry run. When none resolves, exit 4 (E_RESOLVE) naming every requirer and what was tried. --apply performs the first way that works (or --pick N) through the install transaction (history, audit log, rollback)."
  static override args = {package: Args.string({description: 'package id', required: true})}
  static override flags = {
    project: Flags.directory({char: 'C', summary: 'Project directory (holds ggen.toml).', default: '.', helpValue: 'DIR'}),
    apply: Flags.boolean({summary: 'Perform a way out (the first that works, or --pick N).'}),
    pick: Flags.integer({summary: 'Which way out to apply (as numbered in the output).', min: 1, dependsOn: ['apply'], helpValue: 'N'}),
    backend: backendFlag,
    root: rootFlag,
    ...fetchFlags,
  }
  static override examples = [
    '<%= config.bin %> packs resolve io.ggen.core.util',
    '<%= config.bin %> packs resolve io.ggen.core.util --project ./billing-api --json',
    '<%= config.bin %> packs resolve io.ggen.core.util --apply',
    '<%= config.bin %> packs resolve io.ggen.core.util --apply --pick 2',
  ]

  async run(): Promise<ResolveConflictResult> {
    const {args, flags} = await this.parse(Resolve)
    const r = await resolveAndApply(contextFor(this, flags), args.package, {project: flags.project, apply: flags.apply, pick: flags.pick, backend: flags.backend, roots: flags.root})
    const lines = [`${color.bold(r.package)} in ${r.project.name} ${color.dim(r.project.path)}: locked ${r.locked ?? color.red('nothing')}`, `  ${r.conflict ? color.red(r.explanation) : color.green(r.explanation)}`, '']
    lines.push(color.bold('who requires what:'))
    lines.push(table(['REQUIRER', 'RANGE', 'LOCKED OK'], r.requirers.map((q) => [q.requirer, q.range, q.satisfied === null ? '-' : q.satisfied ? color.green('yes') : color.red('no')])).trimEnd())
    const shown = r.candidates.slice(0, 12)
    lines.push('', color.bold('candidate versions:'))
    lines.push(
      table(
        ['VERSION', 'SATISFIES', 'NOTE'],
        shown.map((c) => [c.version, c.all ? color.green('every requirer') : c.satisfies.length ? c.satisfies.join(', ') : color.dim('none'), c.yanked ? color.red('yanked') : c.deprecated ? color.yellow('deprecated') : '']),
      ).trimEnd(),
    )
    if (r.candidates.length > shown.length) lines.push(color.dim(`  ... ${r.candidates.length - shown.length} older versions (--json lists them all)`))
    if (r.ways.length) {
      lines.push('', color.bold(r.conflict ? 'ways out:' : 'next step:'))
      r.ways.forEach((w, i) => {
        lines.push(`  ${i + 1}. ${w.works ? w.summary : color.dim(w.summary)}`)
        lines.push(`     ${color.dim(w.command)}`)
        if (w.works) lines.push(`     ${color.dim(w.changes.length ? `changes: ${w.changes.map((c) => `${c.id} ${c.from ?? '-'} -> ${c.to ?? '-'}`).join(', ')}` : 'changes nothing in the lockfile')}`)
        else lines.push(`     ${color.red(`does not resolve: ${w.error}`)}`)
      })
      if (!flags.apply && r.ways.some((w) => w.works)) lines.push('', color.dim(`Apply the first that works: ggen packs resolve ${r.package} --apply (or --pick N)`))
    }
    if (r.applied) lines.push('', `applied way ${r.applied.way}:`, renderChanges(r.applied.result, 'updated'))
    this.out(lines.join('\n'))
    return r
  }
}
