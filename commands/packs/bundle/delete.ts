import {Args} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {deleteBundle, type BundleDeleted} from '../../../src/ops/bundle.js'

export default class BundleDelete extends PacksCommand {
  static override summary = 'Delete a bundle from $GGEN_HOME/bundles (audited as bundle-delete; the team graph drops it at the next graph sync).'
  static override args = {name: Args.string({description: 'bundle name', required: true})}
  static override examples = ['<%= config.bin %> packs bundle delete web-base']

  async run(): Promise<BundleDeleted> {
    const {args} = await this.parse(BundleDelete)
    const r = await deleteBundle(contextFor(this), args.name)
    this.out(`deleted bundle ${r.bundle} (${r.file})`)
    return r
  }
}
