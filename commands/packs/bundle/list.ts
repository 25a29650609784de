import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {backendFlag} from '../../../src/cli/flags.js'
import {renderBundleList} from '../../../src/cli/views/bundle.js'
import {bundleList, type BundleListResult} from '../../../src/core/bundle-check.js'

export default class BundleList extends PacksCommand {
  static override summary = 'List the bundles: this machine\'s ($GGEN_HOME/bundles), or the team graph\'s with --backend neo4j.'
  static override flags = {backend: backendFlag}
  static override examples = ['<%= config.bin %> packs bundle list', '<%= config.bin %> packs bundle list --backend neo4j --json']

  async run(): Promise<BundleListResult> {
    const {flags} = await this.parse(BundleList)
    const r = await bundleList(contextFor(this), {backend: flags.backend})
    for (const p of r.problems) this.note(`warning: bundle skipped: ${p.file}: ${p.message}`)
    this.out(renderBundleList(r))
    return r
  }
}
