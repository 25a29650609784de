import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderBundleChange} from '../../../src/cli/views/bundle.js'
import {createBundle, type BundleChange} from '../../../src/ops/bundle.js'

export default class BundleCreate extends PacksCommand {
  static override summary = 'Create a bundle: the approved packages of a team, with soft or hard enforcement.'
  static override description = 'Writes $GGEN_HOME/bundles/NAME.toml (audited as bundle-create). Add packages with `bundle add`; a project is bound by `[project] bundles` in its ggen.toml or by its team (--team). --policy FILE embeds the [policy] table of FILE (quality, production-ready, licenses, waivers).'
  static override args = {name: Args.string({description: 'bundle name (letters, digits, . _ -)', required: true})}
  static override flags = {
    description: Flags.string({summary: 'What the bundle is for.'}),
    enforcement: Flags.string({summary: 'soft: warn and proceed; hard: refuse changes that break it (exit 9).', options: ['soft', 'hard'], default: 'soft'}),
    team: Flags.string({summary: 'Team whose projects the bundle binds. Repeatable.', multiple: true, helpValue: 'TEAM'}),
    maintainer: Flags.string({summary: 'Who maintains the bundle.', helpValue: 'WHO'}),
    policy: Flags.file({summary: 'Embed the [policy] table of this TOML file.', helpValue: 'FILE', exists: true}),
  }
  static override examples = ['<%= config.bin %> packs bundle create team-standard --enforcement hard --team payments --maintainer ann', '<%= config.bin %> packs bundle create web-base --description "Web defaults" --policy policy.toml']

  async run(): Promise<BundleChange> {
    const {args, flags} = await this.parse(BundleCreate)
    const r = await createBundle(contextFor(this), args.name, {description: flags.description, enforcement: flags.enforcement as 'soft' | 'hard', teams: flags.team, maintainer: flags.maintainer, policyFile: flags.policy})
    this.out(renderBundleChange('created', r.bundle, r.file))
    return r
  }
}
