import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../src/cli/output.js'
import {renderStats, STATS_FORMATS, STATS_SECTIONS} from '../../src/cli/views/stats.js'
import {DEFAULT_UNUSED_DAYS, packStats, type StatsResult} from '../../src/core/stats.js'
import {PERIODS} from '../../src/core/stats-timeline.js'

export default class Stats extends PacksCommand {
  static override summary = 'Statistics: totals and deduplication savings, adoption per package, unused packages, an adoption timeline, a maintainer\'s report.'
  static override description =
    'Totals of this machine (with --backend neo4j: per machine and for the team): projects, packages, versions, the store\'s size and what deduplication saves (what a copy of every locked version per project would take, minus the store). Adoption per package: projects per version, the share on the newest version (the registries\' newest; without a registry, the newest in use), the outdated share and drift. Unused: store entries no project locks (what `gc` would remove), packages not installed anywhere for --unused-days days, projects that lock nothing. --timeline SPAN adds installs, updates (from -> to) and uninstalls per day, week or month from the audit log and the history, with a bar chart; with --package, the version migration (projects on each version at the end of each period). --author NAME adds that maintainer\'s report: their packages, the projects on each version, the packages requiring them, deprecated versions still in use and the projects behind the newest version. --format csv writes one section as rows (--section; default adoption: one row per package version).'
  static override flags = {
    package: Flags.string({summary: 'Only this package (an id, or a short name such as `docker`).', helpValue: 'ID'}),
    timeline: Flags.string({summary: 'Add the timeline of this span back from now: 30d, 12w, 6m (months), 1y, or a date (2026-01-01).', helpValue: 'DURATION'}),
    by: Flags.option({summary: 'Timeline periods (default: day up to a month, week up to half a year, then month).', options: PERIODS, dependsOn: ['timeline']})(),
    'unused-days': Flags.integer({summary: `A package whose newest install is at least this many days old counts as unused (default ${DEFAULT_UNUSED_DAYS}).`, min: 0, default: DEFAULT_UNUSED_DAYS, helpValue: 'N'}),
    author: Flags.string({summary: 'Add the maintenance report of the packages whose author contains NAME.', aliases: ['maintainer'], helpValue: 'NAME'}),
    format: formatFlag(STATS_FORMATS, 'Output form: table, json, yaml (the whole result) or csv (one --section as rows). Default: table; with --output, the file\'s extension.'),
    section: Flags.option({summary: 'What --format csv holds: adoption (one row per package version, the default), machines, timeline (one row per period), unused or maintainer.', options: STATS_SECTIONS})(),
    output: outputFlag,
    backend: backendFlag,
    root: rootFlag,
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs stats',
    '<%= config.bin %> packs stats --package docker',
    '<%= config.bin %> packs stats --timeline 30d --package io.ggen.ops.docker',
    '<%= config.bin %> packs stats --timeline 6m --by month',
    '<%= config.bin %> packs stats --author erin --unused-days 30',
    '<%= config.bin %> packs stats --format csv --output adoption.csv',
    '<%= config.bin %> packs stats --timeline 12w --format csv --section timeline',
    '<%= config.bin %> packs stats --backend neo4j --json',
  ]

  async run(): Promise<StatsResult> {
    const {flags} = await this.parse(Stats)
    const r = await packStats(contextFor(this, flags), {
      backend: flags.backend,
      roots: flags.root,
      package: flags.package,
      timeline: flags.timeline,
      by: flags.by,
      unusedDays: flags['unused-days'],
      author: flags.author,
    })
    const format = chooseFormat(STATS_FORMATS, flags.format, flags.output)
    if (this.jsonEnabled() && !flags.output) return r
    await this.emit(() => renderStats(r, format, flags.section), flags.output)
    return r
  }
}
