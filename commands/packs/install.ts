import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {projectFlag, fetchFlags} from '../../src/cli/flags.js'
import {renderChanges} from '../../src/cli/views/changes.js'
import {install, type ChangeResult} from '../../src/ops/install.js'
import {initProjectDir} from '../../src/workspace/project-dir.js'

export default class Install extends PacksCommand {
  static override summary = 'Install packages into a project (resolve, fetch, verify, store, lock).'
  static override description =
    'Adds each package to ggen.toml (default range ^newest), resolves the whole tree (one version per package), fetches and verifies what the store does not have yet, and writes .ggen/packs.lock — all or nothing, under a lock, with a history generation and an audit entry.'
  static override strict = false
  static override args = {packages: Args.string({description: 'package id, optionally @range (io.ggen.web@^1.2); none: install what ggen.toml lists'})}
  static override flags = {
    project: projectFlag,
    ...fetchFlags,
    'dry-run': Flags.boolean({summary: 'Show what would change; write nothing.'}),
    exact: Flags.boolean({summary: 'Record the exact newest version instead of ^newest.'}),
    optional: Flags.boolean({summary: 'Mark as optional in ggen.toml.'}),
    tier: Flags.string({summary: 'Tier recorded in ggen.toml.', options: ['required', 'recommended', 'optional']}),
    init: Flags.boolean({summary: 'Create the project folder when it does not exist (install then writes its ggen.toml).', exclusive: ['dry-run']}),
  }
  static override examples = [
    '<%= config.bin %> packs install                       # everything ggen.toml lists',
    '<%= config.bin %> packs install io.ggen.rust.cli',
    '<%= config.bin %> packs install io.ggen.web@^1.2 io.ggen.db@~2.0.1 --project ./api',
    '<%= config.bin %> packs install io.ggen.web --dry-run --json',
    '<%= config.bin %> packs install io.ggen.rust.cli --init --project ./new-service',
  ]

  async run(): Promise<ChangeResult> {
    const {argv, flags} = await this.parse(Install)
    const ctx = contextFor(this, flags)
    if (flags.init) initProjectDir(flags.project)
    const r = await install(ctx, flags.project, argv as string[], {
      dryRun: flags['dry-run'],
      exact: flags.exact,
      optional: flags.optional,
      tier: flags.tier as 'required' | 'recommended' | 'optional' | undefined,
    })
    this.out(renderChanges(r, flags['dry-run'] ? 'would install' : 'installed'))
    return r
  }
}
