import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {color, table} from '../../src/cli/render.js'
import {findDependents, parseExport, type DependentProject, type DependentsResult} from '../../src/core/dependents.js'
import {renderPath} from '../../src/core/why.js'

/** how a project gets the package: `-` when direct, else the path from its direct dependency */
const via = (p: DependentProject): string => (p.direct ? '-' : p.path.length > 1 ? renderPath(p.path.slice(0, -1)) : color.dim('(unreachable)'))

export default class Dependents extends PacksCommand {
  static override summary = 'Find every consumer of a package: projects (direct and transitive, with the version each uses) and packages that depend on it.'
  static override description =
    'Every project that locks the package, each with the version it uses, whether its ggen.toml requires it directly, and for the others the path through which it comes in (VIA; --json: `via`, the direct dependency that pulls it in, and `path`); --direct keeps the direct users only. Also the package versions that declare a range on it (installed ones, and every version in the configured registries). Filter by --team, --owner, --machine, or a version range (id@range). For outreach: --export csv|json FILE writes the list; --notify-template FILE writes one message per consuming project into --notify-dir, filling {{project}}, {{owner}}, {{team}}, {{path}}, {{machine}}, {{version}}, {{to}}, {{direct}}, {{via}}, {{breaks}}, {{reasons}} and {{changes}} (what moving to --to, default the latest version, changes for that project).'
  static override args = {package: Args.string({description: 'package id, optionally @range (only consumers of matching versions)', required: true})}
  static override flags = {
    direct: Flags.boolean({summary: 'Only projects whose ggen.toml requires the package (default: every consumer, direct and transitive).', exclusive: ['transitive']}),
    transitive: Flags.boolean({summary: 'Every consumer, direct and transitive (the default; kept for old scripts).', hidden: true}),
    team: Flags.string({summary: 'Only projects of this team.'}),
    owner: Flags.string({summary: 'Only projects of this owner.'}),
    export: Flags.string({summary: 'Write the consuming projects to a file: --export csv FILE or --export json FILE.', multiple: true, helpValue: 'csv|json FILE'}),
    'notify-template': Flags.file({summary: 'Write one message per consuming project from this template.', helpValue: 'FILE'}),
    'notify-dir': Flags.directory({summary: 'Where the messages go (default ./ggen-notify-<id>).', dependsOn: ['notify-template'], helpValue: 'DIR'}),
    to: Flags.string({summary: 'The version the messages ask projects to move to (default: the latest).', dependsOn: ['notify-template'], helpValue: 'VERSION'}),
    machine: machineFlag,
    backend: backendFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs dependents io.ggen.core.util',
    '<%= config.bin %> packs dependents io.ggen.core.util@^1.2 --team web',
    '<%= config.bin %> packs dependents io.ggen.core.util --direct --export csv owners.csv',
    '<%= config.bin %> packs dependents io.ggen.core.util --notify-template notice.md --to 2.0.0 --notify-dir out/',
    "<%= config.bin %> packs dependents io.ggen.core.util --json | jq '.projects[].project.owner' | sort -u",
  ]

  async run(): Promise<DependentsResult> {
    const {args, flags} = await this.parse(Dependents)
    const r = await findDependents(contextFor(this, flags), args.package, {
      direct: flags.direct,
      team: flags.team,
      owner: flags.owner,
      machine: flags.machine,
      backend: flags.backend,
      roots: flags.root,
      export: flags.export ? parseExport(flags.export) : undefined,
      notify: flags['notify-template'] ? {template: flags['notify-template'], dir: flags['notify-dir'], to: flags.to} : undefined,
    })
    const what = `${r.package}${r.range ? `@${r.range}` : ''}`
    const lines: string[] = []
    if (r.projects.length === 0) {
      lines.push(flags.direct ? `No known project requires ${what} directly (drop --direct to see transitive use).` : `No known project uses ${what}.`)
    } else {
      const direct = r.projects.filter((p) => p.direct).length
      const how = flags.direct ? 'direct users only' : `${direct} direct, ${r.projects.length - direct} transitive`
      lines.push(`${color.bold(what)}: ${r.projects.length} project${r.projects.length === 1 ? '' : 's'} (${how}) - ${r.versions.map((v) => `${v.version} x${v.projects}`).join(', ')}`)
      lines.push(table(['PROJECT', 'VERSION', 'DIRECT', 'VIA', 'TEAM', 'OWNER', 'PATH'], r.projects.map((p) => [p.project.name, p.version, p.direct ? 'yes' : color.dim('no'), via(p), p.project.team ?? '-', p.project.owner ?? '-', p.project.path])).trimEnd())
    }
    if (r.packages.length) {
      lines.push(color.bold(`${r.packages.length} package version${r.packages.length === 1 ? '' : 's'} depend on it:`))
      lines.push(table(['PACKAGE', 'VERSION', 'RANGE'], r.packages.map((p) => [p.id, p.version, p.range])).trimEnd())
    }
    if (r.export) lines.push(color.dim(`wrote ${r.export.rows} row${r.export.rows === 1 ? '' : 's'} to ${r.export.file}`))
    if (r.notifications) lines.push(color.dim(`wrote ${r.notifications.files.length} message${r.notifications.files.length === 1 ? '' : 's'} (move to ${r.notifications.to}) to ${r.notifications.dir}`))
    this.out(lines.join('\n'))
    return r
  }
}
