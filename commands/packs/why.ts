import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, rootFlag} from '../../src/cli/flags.js'
import {color, table} from '../../src/cli/render.js'
import {renderPath, whyPackage, type WhyResult} from '../../src/core/why.js'

export default class Why extends PacksCommand {
  static override summary = 'Explain why a package is installed: every path from the direct dependencies to it.'
  static override description =
    "With --project, every path through which the package comes into that project, shortest first, and the summary that matters (\"comes in through io.x.web 1.5.0 -> io.x.util 1.3.0\"). Without --project, the answer for every known project that locks it. Paths are listed up to --limit per project; --json has them all up to that limit, with the total count."
  static override args = {package: Args.string({description: 'package id', required: true})}
  static override flags = {
    project: Flags.directory({char: 'C', summary: 'Only this project (default: every known project).', helpValue: 'DIR'}),
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
    if (flags.project) {
      const w = r.projects[0]!
      const lines = [`${color.bold(`${r.package} ${w.version}`)} in ${w.project.name} ${color.dim(w.project.path)}`, `  ${w.summary}`]
      if (w.paths.length > (w.direct ? 1 : 0)) {
        lines.push(color.bold(`  ${w.count} path${w.count === 1 ? '' : 's'}${w.truncated ? ` (first ${w.paths.length} shown)` : ''}:`))
        for (const p of w.paths) lines.push(`    ${p.length === 1 ? `${renderPath(p)} ${color.dim('(ggen.toml)')}` : renderPath(p)}`)
      }
      this.out(lines.join('\n'))
    } else {
      const versions = [...new Set(r.projects.map((p) => p.version))]
      this.out(
        `${color.bold(r.package)}: locked by ${r.projects.length} project${r.projects.length === 1 ? '' : 's'} (${versions.join(', ')})\n` +
          table(
            ['PROJECT', 'VERSION', 'HOW', 'PATHS'],
            r.projects.map((p) => [p.project.name, p.version, p.direct ? color.green(p.summary) : p.summary, `${p.count}${p.truncated ? '+' : ''}`]),
          ) +
          color.dim('Every path of one project: --project DIR'),
      )
    }
    return r
  }
}
