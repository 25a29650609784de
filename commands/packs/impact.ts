import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {renderImpact} from '../../src/cli/views/impact.js'
import {packageImpact, type ImpactResult} from '../../src/core/impact.js'

export default class Impact extends PacksCommand {
  static override summary = 'What moving a package to one version would do to every project that uses it.'
  static override description =
    "For each project using the package: the version it has now, and whether the move breaks it - some requirer's range (a locked package's, or the project's own in ggen.toml) would no longer be satisfied - naming those requirers. Also the target's dependencies each project would have to move, and the dependencies the target adds or drops. Exit code 0 either way (add --exit-code to fail when something breaks). One project's exact plan: `ggen packs update <id> --to <version> --dry-run --project DIR`."
  static override args = {target: Args.string({description: 'package id @ the version to move to', required: true})}
  static override flags = {
    team: Flags.string({summary: 'Only projects of this team.'}),
    owner: Flags.string({summary: 'Only projects of this owner.'}),
    'exit-code': Flags.boolean({summary: 'Exit with code 1 when the move breaks any project (for CI).'}),
    machine: machineFlag,
    backend: backendFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs impact io.ggen.core.util@2.0.0',
    '<%= config.bin %> packs impact io.ggen.core.util@2.0.0 --team web --json',
    '<%= config.bin %> packs update io.ggen.core.util --to 2.0.0 --dry-run --project ./storefront   # one project, exactly',
  ]

  async run(): Promise<ImpactResult> {
    const {args, flags} = await this.parse(Impact)
    const r = await packageImpact(contextFor(this, flags), args.target, {team: flags.team, owner: flags.owner, machine: flags.machine, backend: flags.backend, roots: flags.root})
    this.out(renderImpact(r))
    if (flags['exit-code'] && r.projects.some((p) => p.breaks)) this.findings()
    return r
  }
}
