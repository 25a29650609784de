import {Args} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {backendFlag} from '../../../src/cli/flags.js'
import {renderBundle} from '../../../src/cli/views/bundle.js'
import {bundleShow} from '../../../src/core/bundle-check.js'
import type {Bundle} from '../../../src/policy/model.js'

export default class BundleShow extends PacksCommand {
  static override summary = 'Show one bundle: packages with ranges and tiers, enforcement, teams, policy.'
  static override args = {name: Args.string({description: 'bundle name', required: true})}
  static override flags = {backend: backendFlag}
  static override examples = ['<%= config.bin %> packs bundle show team-standard', '<%= config.bin %> packs bundle show team-standard --backend neo4j --json']

  async run(): Promise<Bundle> {
    const {args, flags} = await this.parse(BundleShow)
    const b = await bundleShow(contextFor(this), args.name, {backend: flags.backend})
    this.out(renderBundle(b))
    return b
  }
}
