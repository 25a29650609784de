import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, projectFilterFlag, rootFlag} from '../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../src/cli/output.js'
import {LIST_FORMATS, renderList} from '../../src/cli/views/list.js'
import {LIST_SORT_FIELDS, listInstalled, type ListRow} from '../../src/core/list.js'
import {resolve} from 'node:path'
import type {Severity} from '../../src/domain/scan.js'

const SORT_KEYS = Object.keys(LIST_SORT_FIELDS).join('|')

export default class List extends PacksCommand {
  static override summary = 'List every installed package version on this machine, with the projects using it.'
  static override description =
    'Reads every project registered in $GGEN_HOME (each install registers its project) plus projects found under --root. One row per installed version, with its description, the registry it was installed from (source) and its store path (location; --long shows them in the table). A broken project file is reported with its path and the rest is still listed. With --backend neo4j, lists across every machine synced into the team database (location stays a path on this machine: null when this machine\'s store lacks the version). Once `security-scan` has run, each row carries its security status from the last scan (a SECURITY column; `security` in JSON), and --vulnerable [--min-severity S] keeps the vulnerable versions.'
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
    project: {...projectFilterFlag, summary: 'Only versions used by this project.'},
    long: Flags.boolean({summary: 'Table: also show each version\'s description, source (registry) and location (store path).'}),
    format: formatFlag(LIST_FORMATS),
    output: outputFlag,
    yaml: Flags.boolean({summary: 'Same as --format yaml.', hidden: true, exclusive: ['csv', 'format']}),
    csv: Flags.boolean({summary: 'Same as --format csv.', hidden: true, exclusive: ['yaml', 'format']}),
    vulnerable: Flags.boolean({summary: 'Only versions the last security scan found vulnerable ($GGEN_HOME/advisories/last-scan.json; refuses when no scan has run).'}),
    'min-severity': Flags.string({
      summary: 'With --vulnerable: only versions whose highest severity is at least this (unknown counts as high).',
      options: ['low', 'medium', 'high', 'critical'],
      dependsOn: ['vulnerable'],
    }),
    backend: backendFlag,
    machine: machineFlag,
  }
  static override examples = [
    '<%= config.bin %> packs list',
    '<%= config.bin %> packs list --sort size,-last-used',
    '<%= config.bin %> packs list --sort=-size --min-quality 70 --production-ready',
    "<%= config.bin %> packs list --name 'io.ggen.rust.*' --name 'io.ggen.{ts,web}.*' --long",
    "<%= config.bin %> packs list --json | jq '.[] | select(.quality_score < 70)'",
    '<%= config.bin %> packs list --root ~/work --output packages.csv',
    '<%= config.bin %> packs list --format yaml',
    '<%= config.bin %> packs list --vulnerable --min-severity high',
    '<%= config.bin %> packs list --backend neo4j --machine build-01',
  ]

  async run(): Promise<ListRow[]> {
    const {flags} = await this.parse(List)
    const ctx = contextFor(this)
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
      vulnerable: flags.vulnerable,
      minSeverity: flags['min-severity'] as Severity | undefined,
    })
    for (const p of r.problems) this.note(`warning: ${p.path}: ${p.message}`)
    const format = chooseFormat(LIST_FORMATS, flags.format ?? (flags.csv ? 'csv' : flags.yaml ? 'yaml' : undefined), flags.output)
    if (this.jsonEnabled() && !flags.output) return r.rows
    const filtered = !!(flags.name?.length || flags.author || flags.project || flags['min-quality'] !== undefined || flags['production-ready'] || flags.vulnerable)
    await this.emit(() => renderList(r.rows, format, {long: flags.long, filtered}), flags.output)
    return r.rows
  }
}
