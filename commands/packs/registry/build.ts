import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {audited} from '../../../src/audit/log.js'
import {renderBuild} from '../../../src/cli/views/registry.js'
import {buildRegistry, type BuildResult} from '../../../src/registry/build.js'

export default class RegistryBuild extends PacksCommand {
  static override summary = 'Build (or update) a registry from a folder of gpack sources.'
  static override description =
    'Every directory under SOURCES holding a gpack.toml becomes one version: OUT/index.json plus OUT/tarballs/<id>-<version>.tgz with sha512 integrity. Re-running adds new versions and keeps published ones. Every id and version (strict semver) is checked before anything is written, and builds into one OUT wait for each other (lock file OUT/.ggen-build.lock). Serve OUT from a file share or any static web server and point GGEN_REGISTRY_URL at it.'
  static override args = {
    sources: Args.directory({description: 'folder of gpack source directories', required: true, exists: true}),
    out: Args.string({description: 'registry output folder', required: true}),
  }
  static override flags = {
    'sign-key': Flags.file({summary: 'Ed25519 private key (PEM) to sign every version with.', exists: true}),
    name: Flags.string({summary: 'Registry name recorded in the index.'}),
    force: Flags.boolean({summary: 'Republish versions whose sources changed (breaks existing lockfiles!).'}),
  }
  static override examples = [
    '<%= config.bin %> packs registry build ./gpacks ./registry',
    '<%= config.bin %> packs registry build ./gpacks /mnt/share/registry --sign-key team-key.pem',
    'GGEN_REGISTRY_URL=/mnt/share/registry <%= config.bin %> packs search web',
  ]

  async run(): Promise<BuildResult> {
    const {args, flags} = await this.parse(RegistryBuild)
    const r = await audited(contextFor(this), {action: 'registry-build'}, () => buildRegistry(args.sources, args.out, {signKey: flags['sign-key'], name: flags.name, force: flags.force, progress: (t, d, n) => this.progress.step(t, d, n)}), (b) => ({
      details: `${b.out}: ${b.packages} packages, ${b.versions} versions (${b.added.length} added, ${b.unchanged} unchanged)${b.signed ? ', signed' : ''}`,
      affected: b.added,
    }))
    this.progress.stop()
    for (const c of r.conflicts) this.note(`warning: ${c}`)
    this.out(renderBuild(r))
    return r
  }
}
