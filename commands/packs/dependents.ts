import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputDirFlag, outputFlag} from '../../src/cli/output.js'
import {DEPENDENTS_FORMATS, parseExport, renderDependents} from '../../src/cli/views/dependents.js'
import {findDependents, type DependentsResult} from '../../src/core/dependents.js'

export default class Dependents extends PacksCommand {
  static override summary = 'Find every consumer of a package: projects (direct and transitive, with the version each uses) and packages that depend on it.'
  static override description =
    'Every project that locks the package, each with the version it uses, whether its ggen.toml requires it directly, and for the others the path through which it comes in (VIA; --json: `via`, the direct dependency that pulls it in, and `path`); --direct keeps the direct users only. Also the package versions that declare a range on it (installed ones, and every version in the configured registries). Filter by --team, --owner, --machine, or a version range (id@range). For outreach: --format csv --output FILE writes the list (one row per project); --notify-template FILE writes one message per consuming project into --output-dir, filling {{project}}, {{owner}}, {{team}}, {{path}}, {{machine}}, {{version}}, {{to}}, {{direct}}, {{via}}, {{breaks}}, {{reasons}} and {{changes}} (what moving to --to, default the latest version, changes for that project).'
  static override args = {package: Args.string({description: 'package id, optionally @range (only consumers of matching versions)', required: true})}
  static override flags = {
    direct: Flags.boolean({summary: 'Only projects whose ggen.toml requires the package (default: every consumer, direct and transitive).', exclusive: ['transitive']}),
    transitive: Flags.boolean({summary: 'Every consumer, direct and transitive (the default; kept for old scripts).', hidden: true}),
    team: Flags.string({summary: 'Only projects of this team.'}),
    owner: Flags.string({summary: 'Only projects of this owner.'}),
    format: formatFlag(DEPENDENTS_FORMATS, 'Output form: table, json, yaml (the whole result) or csv (one row per consuming project). Default: table; with --output, the file\'s extension.'),
    output: outputFlag,
    export: Flags.string({summary: 'Same as --format csv|json --output FILE (json: the projects only).', multiple: true, helpValue: 'csv|json FILE', hidden: true, exclusive: ['output', 'format']}),
    'notify-template': Flags.file({summary: 'Write one message per consuming project from this template.', helpValue: 'FILE'}),
    'output-dir': {...outputDirFlag, summary: 'Where the --notify-template messages go (default ./ggen-notify-<id>).', dependsOn: ['notify-template'], aliases: ['notify-dir']},
    to: Flags.string({summary: 'The version the messages ask projects to move to (default: the latest).', dependsOn: ['notify-template'], helpValue: 'VERSION'}),
    machine: machineFlag,
    backend: backendFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs dependents io.ggen.core.util',
    '<%= config.bin %> packs dependents io.ggen.core.util@^1.2 --team web',
    '<%= config.bin %> packs dependents io.ggen.core.util --direct --output owners.csv',
    '<%= config.bin %> packs dependents io.ggen.core.util --notify-template notice.md --to 2.0.0 --output-dir out/',
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
      notify: flags['notify-template'] ? {template: flags['notify-template'], dir: flags['output-dir'], to: flags.to} : undefined,
    })
    if (flags.export) {
      const e = parseExport(flags.export)
      await this.emit(() => (e.format === 'csv' ? renderDependents(r, 'csv') : JSON.stringify(r.projects, null, 2) + '\n'), e.file)
      await this.emit(() => renderDependents(r, 'table', {direct: flags.direct}))
    } else await this.emit(() => renderDependents(r, chooseFormat(DEPENDENTS_FORMATS, flags.format, flags.output), {direct: flags.direct}), flags.output)
    return r
  }
}
