import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, fetchFlags, projectFlag, rootFlag} from '../../src/cli/flags.js'
import {renderResolve} from '../../src/cli/views/resolve.js'
import type {ResolveConflictResult} from '../../src/core/resolve-conflict.js'
import {resolveAndApply} from '../../src/ops/resolve-apply.js'

export default class Resolve extends PacksCommand {
  static override summary = 'Explain a version conflict on a package and the ways out; --apply performs one.'
  static override description =
    "Who requires what (the project's ggen.toml and every locked package with a range on it, plus what resolving ggen.toml against the registry reports - so a project with no lockfile yet is answered from ggen.toml alone), the candidate versions and which requirers each satisfies, and concrete ways out - re-resolve, relax ggen.toml's range, move one or several requiring packages to versions whose ranges accept one common version, or pin the package - each checked with a dry run. When none resolves, exit 4 (E_RESOLVE) naming every requirer and what was tried. --apply performs the first way that works (or --pick N) through the install transaction (history, audit log, rollback)."
  static override args = {package: Args.string({description: 'package id', required: true})}
  static override flags = {
    project: projectFlag,
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
    this.out(renderResolve(r, {apply: flags.apply}))
    return r
  }
}
