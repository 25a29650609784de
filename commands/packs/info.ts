import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {renderInfo} from '../../src/cli/views/info.js'
import {packageInfo, type InfoResult} from '../../src/core/info.js'

export default class Info extends PacksCommand {
  static override summary = 'Show a package: metadata, versions, dependencies, and who uses it.'
  static override args = {package: Args.string({description: 'package id, optionally @version or @range', required: true})}
  static override flags = {
    ...registryFlags,
    'include-dependents': Flags.boolean({summary: 'List the projects using this package and which version.'}),
    backend: backendFlag,
    machine: machineFlag,
    root: rootFlag,
  }
  static override examples = [
    '<%= config.bin %> packs info io.ggen.rust.cli',
    '<%= config.bin %> packs info io.ggen.rust.cli@1.2.0 --json',
    '<%= config.bin %> packs info io.ggen.web --include-dependents',
    '<%= config.bin %> packs info io.ggen.web --include-dependents --backend neo4j',
  ]

  async run(): Promise<InfoResult> {
    const {args, flags} = await this.parse(Info)
    const r = await packageInfo(contextFor(this, flags), args.package, {includeDependents: flags['include-dependents'], backend: flags.backend, machine: flags.machine, roots: flags.root})
    this.out(renderInfo(r))
    return r
  }
}
