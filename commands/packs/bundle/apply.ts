import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {backendFlag, fetchFlags, rootFlag, scopeFlags} from '../../../src/cli/flags.js'
import {renderApply, renderValidation} from '../../../src/cli/views/bundle.js'
import {validateBundle} from '../../../src/core/bundle-check.js'
import {applyBundle, type BundleApplyOutput} from '../../../src/ops/bundle.js'

export default class BundleApply extends PacksCommand {
  static override summary = 'Check every project against a bundle (--validate-all-projects), or bring one project in line with it (--project).'
  static override description =
    'With --validate-all-projects (--all): every known project, or --team T\'s, is checked against the named bundle alone ("would it comply with NAME"): unapproved direct packages, locked versions (direct or transitive) outside the bundle\'s range, required packages missing, and the bundle\'s own [policy]; --exit-code exits 1 when any project violates; --backend neo4j answers from the team graph. With --project DIR (default: the current folder): adds the required packages the project lacks and moves direct requirements into the bundle\'s ranges through the install transaction (audited as bundle-apply, gated like install); what it cannot fix (unapproved packages are never removed, transitive versions) is listed.'
  static override args = {name: Args.string({description: 'bundle name', required: true})}
  static override flags = {
    project: scopeFlags.project,
    all: scopeFlags.all,
    team: Flags.string({summary: 'With --validate-all-projects: only this team\'s projects.', helpValue: 'TEAM', dependsOn: ['all']}),
    'exit-code': Flags.boolean({summary: 'With --validate-all-projects: exit 1 when any project violates.', dependsOn: ['all']}),
    'dry-run': Flags.boolean({summary: 'With --project: show what would change; write nothing.', exclusive: ['all']}),
    backend: {...backendFlag, dependsOn: ['all']},
    root: rootFlag,
    ...fetchFlags,
  }
  static override examples = [
    '<%= config.bin %> packs bundle apply team-standard --validate-all-projects',
    '<%= config.bin %> packs bundle apply team-standard --validate-all-projects --team payments --exit-code --json',
    '<%= config.bin %> packs bundle apply team-standard --validate-all-projects --backend neo4j',
    '<%= config.bin %> packs bundle apply team-standard --project ./billing-api --dry-run',
  ]

  async run(): Promise<BundleApplyOutput> {
    const {args, flags} = await this.parse(BundleApply)
    const ctx = contextFor(this, flags)
    if (flags.all) {
      const r = await validateBundle(ctx, args.name, {team: flags.team, backend: flags.backend, roots: flags.root})
      this.out(renderValidation(r))
      if (!r.ok && flags['exit-code']) this.findings()
      return r
    }
    const r = await applyBundle(ctx, args.name, flags.project ?? '.', {dryRun: flags['dry-run']})
    this.out(renderApply(r))
    return r
  }
}
