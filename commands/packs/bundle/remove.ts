import {Args} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderBundleChange} from '../../../src/cli/views/bundle.js'
import {removeFromBundle, type BundleChange} from '../../../src/ops/bundle.js'

export default class BundleRemove extends PacksCommand {
  static override summary = 'Remove packages from a bundle (they are then unapproved). Audited as bundle-remove.'
  static override strict = false
  static override args = {name: Args.string({description: 'bundle name', required: true}), ids: Args.string({description: 'package id (repeatable)', required: true})}
  static override examples = ['<%= config.bin %> packs bundle remove team-standard io.ggen.legacy']

  async run(): Promise<BundleChange> {
    const {args, argv} = await this.parse(BundleRemove)
    const r = await removeFromBundle(contextFor(this), args.name, (argv as string[]).slice(1))
    this.out(renderBundleChange('updated', r.bundle, r.file))
    return r
  }
}
