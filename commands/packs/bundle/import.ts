import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderBundleChange} from '../../../src/cli/views/bundle.js'
import {importBundle, type BundleImported} from '../../../src/ops/bundle.js'

export default class BundleImport extends PacksCommand {
  static override summary = 'Import a shared bundle file (TOML, JSON or YAML, by extension) into $GGEN_HOME/bundles.'
  static override description = 'The file is validated whole (names the field that is wrong); a bundle of the same name is replaced only with --force. Audited as import.'
  static override args = {file: Args.file({description: 'bundle file', required: true, exists: true})}
  static override flags = {force: Flags.boolean({summary: 'Replace a bundle of the same name.'})}
  static override examples = ['<%= config.bin %> packs bundle import team-standard.toml', '<%= config.bin %> packs bundle import shared/web.yaml --force']

  async run(): Promise<BundleImported> {
    const {args, flags} = await this.parse(BundleImport)
    const r = await importBundle(contextFor(this), args.file, {force: flags.force})
    this.out(renderBundleChange(r.replaced ? 'replaced' : 'imported', r.bundle, r.file))
    return r
  }
}
