import {Args} from '@oclif/core'
import {PacksCommand} from '../../../src/cli/base-command.js'
import {formatFlag, outputFlag} from '../../../src/cli/output.js'
import {MANIFEST_FORMATS} from '../../../src/cli/views/manifest.js'
import {count} from '../../../src/util/text.js'
import {exportManifest} from '../../../src/core/manifest.js'
import type {Manifest} from '../../../src/domain/schemas.js'

export default class ManifestExport extends PacksCommand {
  static override summary = 'Validate a manifest and write it as canonical JSON or YAML.'
  static override description = 'Reads FILE (JSON or YAML), checks it, and prints it (or writes --output) in the chosen format with sorted keys and packages sorted by id, so manifests diff cleanly in version control.'
  static override args = {file: Args.string({description: 'manifest file (JSON or YAML)', required: true})}
  static override flags = {
    format: formatFlag(MANIFEST_FORMATS, 'Output form: json or yaml (default: from the --output extension, else json).'),
    output: outputFlag,
  }
  static override examples = [
    '<%= config.bin %> packs manifest export prod.json --format yaml > prod.yaml',
    '<%= config.bin %> packs manifest export prod.yaml -o prod.json',
  ]

  async run(): Promise<Manifest> {
    const {args, flags} = await this.parse(ManifestExport)
    const r = await exportManifest(args.file, {format: flags.format, out: flags.output})
    if (r.out) this.out(`${r.out}: ${r.manifest.environment} manifest, ${count(r.manifest.packages.length, 'package')} (${r.format})`)
    else if (!this.jsonEnabled()) process.stdout.write(r.text)
    return r.manifest
  }
}
