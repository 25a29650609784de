import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, rootFlag} from '../../src/cli/flags.js'
import {ago, bytes, color, csv, table, yaml} from '../../src/cli/render.js'
import {listInstalled, type ListRow} from '../../src/core/list.js'
import {resolve} from 'node:path'

export default class List extends PacksCommand {
  static override summary = 'List every installed package version on this machine, with the projects using it.'
  static override description =
    'Reads every project registered in $GGEN_HOME (each install registers its project) plus projects found under --root. One row per installed version. A broken project file is reported with its path and the rest is still listed. With --backend neo4j, lists across every machine synced into the team database.'
  static override flags = {
    root: rootFlag,
    sort: Flags.string({summary: 'Sort order.', options: ['name', 'version', 'size', 'last-used'], default: 'name'}),
    'min-quality': Flags.integer({summary: 'Only versions with at least this quality score (0-100).', min: 0, max: 100}),
    'production-ready': Flags.boolean({summary: 'Only production-ready versions.'}),
    author: Flags.string({summary: 'Only packages whose author contains this text.'}),
    project: Flags.directory({summary: 'Only versions used by this project.', helpValue: 'DIR'}),
    yaml: Flags.boolean({summary: 'YAML output.', exclusive: ['csv', 'json']}),
    csv: Flags.boolean({summary: 'CSV output.', exclusive: ['yaml', 'json']}),
    backend: backendFlag,
    machine: machineFlag,
  }
  static override examples = [
    '<%= config.bin %> packs list',
    '<%= config.bin %> packs list --sort size --min-quality 70 --production-ready',
    "<%= config.bin %> packs list --json | jq '.[] | select(.quality_score < 70)'",
    '<%= config.bin %> packs list --root ~/work --csv > packages.csv',
    '<%= config.bin %> packs list --backend neo4j --machine build-01',
  ]

  async run(): Promise<ListRow[]> {
    const {flags} = await this.parse(List)
    const ctx = contextFor(this, {machine: undefined})
    const r = await listInstalled(ctx, {
      backend: flags.backend,
      roots: flags.root,
      sort: flags.sort as 'name',
      minQuality: flags['min-quality'],
      productionReady: flags['production-ready'],
      author: flags.author,
      project: flags.project ? resolve(flags.project) : undefined,
      machine: flags.machine,
    })
    for (const p of r.problems) this.note(`warning: ${p.path}: ${p.message}`)
    if (this.jsonEnabled()) return r.rows
    if (flags.yaml) {
      process.stdout.write(await yaml(r.rows))
    } else if (flags.csv) {
      process.stdout.write(
        csv(
          ['id', 'name', 'version', 'size', 'quality_score', 'production_ready', 'author', 'license', 'last_used', 'projects'],
          r.rows.map((x) => [x.id, x.name, x.version, x.size, x.quality_score, x.production_ready, x.author, x.license, x.last_used, x.projects.map((p) => p.path).join(';')]),
        ),
      )
    } else if (r.rows.length === 0) {
      this.out('No packages installed in any known project. Install one with `ggen packs install <id>`, or scan a folder with --root DIR.')
    } else {
      this.out(
        table(
          ['PACKAGE', 'VERSION', 'SIZE', 'QUALITY', 'PROD', 'AUTHOR', 'LAST USED', 'PROJECTS'],
          r.rows.map((x) => [
            x.id + (x.yanked ? color.red(' (yanked)') : x.deprecated ? color.yellow(' (deprecated)') : ''),
            x.version,
            bytes(x.size),
            x.quality_score ?? '-',
            x.production_ready ? 'yes' : 'no',
            x.author ?? '-',
            ago(x.last_used),
            x.projects.length <= 2 ? x.projects.map((p) => p.name).join(', ') : `${x.projects.slice(0, 2).map((p) => p.name).join(', ')} +${x.projects.length - 2}`,
          ]),
        ) + color.dim(`${r.rows.length} version${r.rows.length === 1 ? '' : 's'} in ${new Set(r.rows.flatMap((x) => x.projects.map((p) => p.path))).size} project(s)`),
      )
    }
    return r.rows
  }
}
