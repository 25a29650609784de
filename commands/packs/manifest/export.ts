import {Args, Flags} from '@oclif/core'
import {PacksCommand} from '../../../src/cli/base-command.js'
import {exportManifest, type ManifestFormat} from '../../../src/core/manifest.js'
import type {Manifest} from '../../../src/domain/schemas.js'

export default class ManifestExport extends PacksCommand {
  static override summary = 'Validate a manifest and write it as canonical JSON or YAML.'
  static override description = 'Reads FILE (JSON or YAML), checks it, and prints it (or writes --output) in the chosen format with sorted keys and packages sorted by id, so manifests diff cleanly in version control.'
  static override args = {file: Args.string({description: 'manifest file (JSON or YAML)', required: true})}
  static override flags = {
    format: Flags.string({summary: 'Output format (default: from the --output extension, else json).', options: ['json', 'yaml']}),
    output: Flags.string({char: 'o', summary: 'Write to this file instead of stdout.', helpValue: 'FILE'}),
  }
  static override examples = [
    '<%= config.bin %> packs manifest export prod.json --format yaml > prod.yaml',
    '<%= config.bin %> packs manifest export prod.yaml -o prod.json',
  ]

  async run(): Promise<Manifest> {
    const {args, flags} = await this.parse(ManifestExport)
    const r = await exportManifest(args.file, {format: flags.format as ManifestFormat | undefined, out: flags.output})
    if (r.out) this.out(`${r.out}: ${r.manifest.environment} manifest, ${r.manifest.packages.length} packages (${r.format})`)
    else if (!this.jsonEnabled()) process.stdout.write(r.text)
    return r.manifest
  }
}
