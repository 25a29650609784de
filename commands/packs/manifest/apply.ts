import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {renderApply} from '../../../src/cli/views/manifest.js'
import {projectFlag, fetchFlags} from '../../../src/cli/flags.js'
import {applyManifest, type ApplyManifestResult} from '../../../src/ops/manifest-apply.js'

export default class ManifestApply extends PacksCommand {
  static override summary = "Make a project's lockfile and store match a locked manifest exactly."
  static override description =
    'No resolution: every entry names an exact version and integrity. Each is checked against the registry and downloaded into the store (verified against the manifest) before anything is written; a malformed manifest, an unknown version or an integrity mismatch is refused with nothing changed. Then .ggen/packs.lock is written with exactly the manifest\'s packages and ggen.toml [packs] with its direct ones (every other table kept) — all or nothing, under the project lock, with a history generation (`ggen packs undo` reverts it) and an audit entry.'
  static override args = {file: Args.string({description: 'locked manifest file (JSON or YAML)', required: true})}
  static override flags = {
    project: projectFlag,
    ...fetchFlags,
    'dry-run': Flags.boolean({summary: 'Check the manifest against the registry and show what would change; write nothing.'}),
    'set-environment': Flags.boolean({summary: "Also tag the project with the manifest's environment ([project] environment in ggen.toml)."}),
  }
  static override examples = [
    '<%= config.bin %> packs manifest apply prod.json --project ./api',
    '<%= config.bin %> packs manifest apply prod.json --dry-run',
    '<%= config.bin %> packs manifest apply staging.yaml --set-environment --json',
  ]

  async run(): Promise<ApplyManifestResult> {
    const {args, flags} = await this.parse(ManifestApply)
    const r = await applyManifest(contextFor(this, flags), {manifestFile: args.file, projectDir: flags.project, dryRun: flags['dry-run'], setEnvironment: flags['set-environment']})
    this.out(renderApply(r))
    return r
  }
}
