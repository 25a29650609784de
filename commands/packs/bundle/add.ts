import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderBundleChange} from '../../../src/cli/views/bundle.js'
import {addToBundle, type BundleChange} from '../../../src/ops/bundle.js'

export default class BundleAdd extends PacksCommand {
  static override summary = 'Approve packages in a bundle, each with its version constraint (ID@RANGE; no range: any).'
  static override description = 'A package listed again replaces its entry. Required-tier packages must be required by every bound project (`bundle apply --project` adds them). Audited as bundle-add.'
  static override strict = false
  static override args = {name: Args.string({description: 'bundle name', required: true}), packages: Args.string({description: 'ID@RANGE (repeatable)', required: true})}
  static override flags = {
    optional: Flags.boolean({summary: 'Approved but not required (tier optional unless --tier says otherwise).'}),
    tier: Flags.string({summary: 'Tier of the packages.', options: ['required', 'recommended', 'optional']}),
  }
  static override examples = ['<%= config.bin %> packs bundle add team-standard io.ggen.core@^1.2 io.ggen.web@^2', '<%= config.bin %> packs bundle add team-standard io.ggen.docs --optional']

  async run(): Promise<BundleChange> {
    const {args, argv, flags} = await this.parse(BundleAdd)
    const specs = (argv as string[]).slice(1)
    const r = await addToBundle(contextFor(this), args.name, specs, {optional: flags.optional, tier: flags.tier as 'required' | 'recommended' | 'optional' | undefined})
    this.out(renderBundleChange('updated', r.bundle, r.file))
    return r
  }
}
