import {Args, Flags} from '@oclif/core'
import {PacksCommand} from '../../../src/cli/base-command.js'
import {renderComparison} from '../../../src/cli/views/manifest.js'
import {compareManifests, readManifestFile, type ManifestComparison} from '../../../src/core/manifest.js'

export default class ManifestCompare extends PacksCommand {
  static override summary = 'Compare two manifests: packages added, removed and changed (upgrade/downgrade, integrity).'
  static override description = 'A is the old side, B the new one: "added" packages are in B only. Changes show the version direction, integrity changes (same version with other bytes is flagged) and changes of required_version, optional, tier and transitive. Exit code 0, or 1 with --exit-code when they differ.'
  static override args = {
    a: Args.string({description: 'first (old) manifest', required: true}),
    b: Args.string({description: 'second (new) manifest', required: true}),
  }
  static override flags = {
    'exit-code': Flags.boolean({summary: 'Exit with 1 when the manifests differ (for CI).'}),
    'versions-only': Flags.boolean({summary: 'Compare only which packages, versions and integrities; ignore required_version, optional, tier and transitive.'}),
  }
  static override examples = [
    '<%= config.bin %> packs manifest compare prod.json staging.json',
    '<%= config.bin %> packs manifest compare releases/v1/prod.json releases/v2/prod.json --exit-code',
    '<%= config.bin %> packs manifest compare prod.json staging.yaml --versions-only',
    "<%= config.bin %> packs manifest compare prod.json staging.json --json | jq '.changed[] | select(.direction == \"downgrade\")'",
  ]

  async run(): Promise<ManifestComparison> {
    const {args, flags} = await this.parse(ManifestCompare)
    const [a, b] = await Promise.all([readManifestFile(args.a), readManifestFile(args.b)])
    const c = compareManifests(a, b, args.a, args.b, {versionsOnly: flags['versions-only']})
    this.out(renderComparison(c))
    if (flags['exit-code'] && !c.same) this.findings()
    return c
  }
}
