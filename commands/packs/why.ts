import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, projectFilterFlag, rootFlag} from '../../src/cli/flags.js'
import {renderWhy} from '../../src/cli/views/why.js'
import {whyPackage, type WhyResult} from '../../src/core/why.js'

export default class Why extends PacksCommand {
  static override summary = 'Explain why a package is installed: every path from the direct dependencies to it.'
  static override description =
    "With --project, every path through which the package comes into that project, shortest first, and the summary that matters (\"comes in through io.x.web 1.5.0 -> io.x.util 1.3.0\"). Without --project, the answer for every known project that locks it. Paths are listed up to --limit per project; --json has them all up to that limit, with the total count."
  static override args = {package: Args.string({description: 'package id', required: true})}
  static override flags = {
    project: {...projectFilterFlag, summary: 'Only this project (default: every known project).'},
    limit: Flags.integer({summary: 'At most this many paths per project.', default: 100, min: 1, helpValue: 'N'}),
    machine: machineFlag,
    backend: backendFlag,
    root: rootFlag,
  }
  static override examples = [
    '<%= config.bin %> packs why io.ggen.core.util',
    '<%= config.bin %> packs why io.ggen.core.util --project ./storefront',
    "<%= config.bin %> packs why io.ggen.core.util --json | jq '.projects[] | {name: .project.name, summary}'",
  ]

  async run(): Promise<WhyResult> {
    const {args, flags} = await this.parse(Why)
    const r = await whyPackage(contextFor(this), args.package, {project: flags.project, machine: flags.machine, limit: flags.limit, backend: flags.backend, roots: flags.root})
    this.out(renderWhy(r, {project: !!flags.project}))
    return r
  }
}
