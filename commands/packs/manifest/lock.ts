import {Args} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {formatFlag, outputFlag} from '../../../src/cli/output.js'
import {MANIFEST_FORMATS, renderLock} from '../../../src/cli/views/manifest.js'
import {registryFlags} from '../../../src/cli/flags.js'
import {lockManifest, type LockManifestResult} from '../../../src/core/manifest-lock.js'

export default class ManifestLock extends PacksCommand {
  static override summary = 'Pin every manifest entry to an exact version and integrity.'
  static override description =
    'Entries that give only a range (required_version) are resolved against the registries, one version per package, and the transitive dependencies they need are added. Entries already pinned keep their version; with a registry configured they are checked against it (unknown versions and integrity mismatches are refused). Sets required_version = version on every entry and stamps metadata.locked_at. Rewrites FILE atomically (or writes --output).'
  static override args = {file: Args.string({description: 'manifest file (JSON or YAML)', required: true})}
  static override flags = {
    ...registryFlags,
    output: {...outputFlag, summary: 'Write the locked manifest here instead of FILE.'},
    format: formatFlag(MANIFEST_FORMATS, 'Output form: json or yaml (default: the extension of --output, else of FILE).'),
  }
  static override examples = [
    '<%= config.bin %> packs manifest lock prod.json',
    '<%= config.bin %> packs manifest lock draft.yaml -o prod.json --registry https://registry.example.com/gpacks/',
    '<%= config.bin %> packs manifest lock prod.json --json',
  ]

  async run(): Promise<LockManifestResult> {
    const {args, flags} = await this.parse(ManifestLock)
    const r = await lockManifest(contextFor(this, flags), {file: args.file, out: flags.output, format: flags.format})
    this.out(renderLock(r))
    return r
  }
}
