import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {color, table} from '../../src/cli/render.js'
import {packageImpact, type ImpactResult} from '../../src/core/impact.js'

/** the first two items, and how many more (--json has them all) */
const few = (items: string[]): string => (items.length === 0 ? '-' : items.length <= 2 ? items.join('; ') : `${items.slice(0, 2).join('; ')} (+${items.length - 2} more)`)

export default class Impact extends PacksCommand {
  static override summary = 'What moving a package to one version would do to every project that uses it.'
  static override description =
    "For each project using the package: the version it has now, and whether the move breaks it - some requirer's range (a locked package's, or the project's own in ggen.toml) would no longer be satisfied - naming those requirers. Also the target's dependencies each project would have to move, and the dependencies the target adds or drops. Exit code 0 either way (add --exit-code to fail when something breaks). One project's exact plan: `ggen packs update <id> --to <version> --dry-run --project DIR`."
  static override args = {target: Args.string({description: 'package id @ the version to move to', required: true})}
  static override flags = {
    team: Flags.string({summary: 'Only projects of this team.'}),
    owner: Flags.string({summary: 'Only projects of this owner.'}),
    'exit-code': Flags.boolean({summary: 'Exit with code 1 when the move breaks any project (for CI).'}),
    machine: machineFlag,
    backend: backendFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs impact io.ggen.core.util@2.0.0',
    '<%= config.bin %> packs impact io.ggen.core.util@2.0.0 --team web --json',
    '<%= config.bin %> packs update io.ggen.core.util --to 2.0.0 --dry-run --project ./storefront   # one project, exactly',
  ]

  async run(): Promise<ImpactResult> {
    const {args, flags} = await this.parse(Impact)
    const r = await packageImpact(contextFor(this, flags), args.target, {team: flags.team, owner: flags.owner, machine: flags.machine, backend: flags.backend, roots: flags.root})
    const breaking = r.projects.filter((p) => p.breaks)
    if (r.projects.length === 0) {
      this.out(`No known project uses ${r.package}.`)
    } else {
      const lines = [
        `${color.bold(`${r.package} -> ${r.to}`)}: ${breaking.length ? color.red(`breaks ${breaking.length} of ${r.projects.length} project${r.projects.length === 1 ? '' : 's'}`) : color.green(`breaks none of ${r.projects.length} project${r.projects.length === 1 ? '' : 's'}`)}`,
        table(
          ['PROJECT', 'FROM', 'BREAKS', 'WHY', 'ALSO MOVES'],
          r.projects.map((p) => [
            p.project.name,
            p.from === r.to ? `${p.from} (already)` : p.from,
            p.breaks ? color.red('yes') : color.green('no'),
            few(p.reasons.map((x) => `${x.requirer} wants ${x.range}`)),
            few(p.moves.map((m) => `${m.id} ${m.locked ?? '(new)'} -> ${m.range}`)),
          ]),
        ).trimEnd(),
      ]
      if (r.added.length) lines.push(`${r.to} adds dependencies: ${r.added.map((d) => `${d.id} ${d.range}`).join(', ')}`)
      if (r.removed.length) lines.push(`${r.to} drops dependencies: ${r.removed.map((d) => `${d.id} ${d.range}`).join(', ')}`)
      lines.push(color.dim(`One project's exact plan: ggen packs update ${r.package} --to ${r.to} --dry-run --project DIR`))
      this.out(lines.join('\n'))
    }
    if (flags['exit-code'] && breaking.length) this.findings()
    return r
  }
}
