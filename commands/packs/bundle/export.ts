import {Args} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {backendFlag} from '../../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../../src/cli/output.js'
import {bundleShow} from '../../../src/core/bundle-check.js'
import type {Bundle} from '../../../src/policy/model.js'
import {serializeBundle} from '../../../src/policy/store.js'

const FORMATS = ['toml', 'json', 'yaml'] as const

export default class BundleExport extends PacksCommand {
  static override summary = 'Write a bundle as a shareable file (TOML, JSON or YAML) that `bundle import` reads back.'
  static override description = 'To stdout, or --output FILE atomically; without --format the extension of FILE chooses, else TOML.'
  static override args = {name: Args.string({description: 'bundle name', required: true})}
  static override flags = {format: formatFlag(FORMATS), output: outputFlag, backend: backendFlag}
  static override examples = ['<%= config.bin %> packs bundle export team-standard --output team-standard.toml', '<%= config.bin %> packs bundle export team-standard --format yaml']

  async run(): Promise<Bundle> {
    const {args, flags} = await this.parse(BundleExport)
    const b = await bundleShow(contextFor(this), args.name, {backend: flags.backend})
    await this.emit(() => serializeBundle(b, chooseFormat(FORMATS, flags.format, flags.output)), flags.output)
    return b
  }
}
