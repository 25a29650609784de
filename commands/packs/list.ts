import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, rootFlag} from '../../src/cli/flags.js'
import {ago, bytes, color, csv, table, yaml} from '../../src/cli/render.js'
import {LIST_SORT_FIELDS, listInstalled, type ListRow} from '../../src/core/list.js'
import {resolve} from 'node:path'

const SORT_KEYS = Object.keys(LIST_SORT_FIELDS).join('|')
const CSV_COLUMNS = ['id', 'name', 'version', 'size', 'quality_score', 'production_ready', 'author', 'license', 'last_used', 'projects', 'description', 'source', 'location'] as const

const truncate = (s: string | null, n: number): string => (s === null ? '-' : s.length > n ? `${s.slice(0, n - 3)}...` : s)
const projectNames = (r: ListRow): string => (r.projects.length <= 2 ? r.projects.map((p) => p.name).join(', ') : `${r.projects.slice(0, 2).map((p) => p.name).join(', ')} +${r.projects.length - 2}`)

export default class List extends PacksCommand {
  static override summary = 'List every installed package version on this machine, with the projects using it.'
  static override description =
    'Reads every project registered in $GGEN_HOME (each install registers its project) plus projects found under --root. One row per installed version, with its description, the registry it was installed from (source) and its store path (location; --long shows them in the table). A broken project file is reported with its path and the rest is still listed. With --backend neo4j, lists across every machine synced into the team database (location stays a path on this machine: null when this machine\'s store lacks the version).'
  static override flags = {
    root: rootFlag,
    sort: Flags.string({
      summary: `Sort keys, in order: ${SORT_KEYS}. Comma-separated or repeated; prefix a key with - for descending (--sort=-size); ties fall through to the next key, then id and version.`,
      description: 'name is the package id. Missing values (no size, no quality score) sort last either way. Without --sort: by id, then version (semver).',
      multiple: true,
      delimiter: ',',
      helpValue: 'KEYS',
    }),
    name: Flags.string({
      summary: "Only packages whose id matches this glob (* ? [abc] {a,b}; case-insensitive), e.g. 'io.ggen.rust.*'. Repeatable: any of them.",
      multiple: true,
      helpValue: 'GLOB',
    }),
    'min-quality': Flags.integer({summary: 'Only versions with at least this quality score (0-100).', min: 0, max: 100}),
    'production-ready': Flags.boolean({summary: 'Only production-ready versions.'}),
    author: Flags.string({summary: 'Only packages whose author contains this text.'}),
    project: Flags.directory({summary: 'Only versions used by this project.', helpValue: 'DIR'}),
    long: Flags.boolean({summary: 'Table: also show each version\'s description, source (registry) and location (store path).'}),
    yaml: Flags.boolean({summary: 'YAML output.', exclusive: ['csv', 'json']}),
    csv: Flags.boolean({summary: 'CSV output.', exclusive: ['yaml', 'json']}),
    backend: backendFlag,
    machine: machineFlag,
  }
  static override examples = [
    '<%= config.bin %> packs list',
    '<%= config.bin %> packs list --sort size,-last-used',
    '<%= config.bin %> packs list --sort=-size --min-quality 70 --production-ready',
    "<%= config.bin %> packs list --name 'io.ggen.rust.*' --name 'io.ggen.{ts,web}.*' --long",
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
      sort: flags.sort,
      names: flags.name,
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
      process.stdout.write(csv([...CSV_COLUMNS], r.rows.map((x) => CSV_COLUMNS.map((c) => (c === 'projects' ? x.projects.map((p) => p.path).join(';') : x[c])))))
    } else if (r.rows.length === 0) {
      this.out(
        flags.name?.length || flags.author || flags.project || flags['min-quality'] !== undefined || flags['production-ready']
          ? 'No installed version matches these filters. Run `ggen packs list` without them to see everything installed.'
          : 'No packages installed in any known project. Install one with `ggen packs install <id>`, or scan a folder with --root DIR.',
      )
    } else {
      const long = flags.long
      this.out(
        table(
          ['PACKAGE', 'VERSION', 'SIZE', 'QUALITY', 'PROD', 'AUTHOR', 'LAST USED', 'PROJECTS', ...(long ? ['DESCRIPTION', 'SOURCE', 'LOCATION'] : [])],
          r.rows.map((x) => [
            x.id + (x.yanked ? color.red(' (yanked)') : x.deprecated ? color.yellow(' (deprecated)') : ''),
            x.version,
            bytes(x.size),
            x.quality_score ?? '-',
            x.production_ready ? 'yes' : 'no',
            x.author ?? '-',
            ago(x.last_used),
            projectNames(x),
            ...(long ? [truncate(x.description, 50), x.source ?? '-', x.location ?? '-'] : []),
          ]),
        ) + color.dim(`${r.rows.length} version${r.rows.length === 1 ? '' : 's'} in ${new Set(r.rows.flatMap((x) => x.projects.map((p) => p.path))).size} project(s)`),
      )
    }
    return r.rows
  }
}
