import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {color, table} from '../../src/cli/render.js'
import {loadCatalog} from '../../src/core/context.js'
import {search, type SearchRow} from '../../src/core/search.js'

export default class Search extends PacksCommand {
  static override summary = 'Search the registries by name, description, keywords and tags.'
  static override args = {query: Args.string({description: 'words to look for (all must match)', required: true})}
  static override strict = false
  static override flags = {
    ...registryFlags,
    category: Flags.string({summary: 'Only this category.'}),
    'min-quality': Flags.integer({summary: 'Only packages with at least this quality score.', min: 0, max: 100}),
    'production-ready': Flags.boolean({summary: 'Only production-ready packages.'}),
    limit: Flags.integer({summary: 'At most this many results.', default: 50}),
    refresh: Flags.boolean({summary: 'Re-fetch http(s) registry indexes now.'}),
  }
  static override examples = [
    '<%= config.bin %> packs search database',
    '<%= config.bin %> packs search "rest api" --min-quality 60 --production-ready',
    '<%= config.bin %> packs search paper --category academic --json',
  ]

  async run(): Promise<SearchRow[]> {
    const {argv, flags} = await this.parse(Search)
    const ctx = contextFor(this, flags)
    const rows = search(await loadCatalog(ctx), (argv as string[]).join(' '), {
      category: flags.category,
      minQuality: flags['min-quality'],
      productionReady: flags['production-ready'],
      limit: flags.limit,
    })
    if (rows.length === 0) this.out(`No package matches "${(argv as string[]).join(' ')}".`)
    else
      this.out(
        table(
          ['PACKAGE', 'VERSION', 'QUALITY', 'PROD', 'DESCRIPTION'],
          rows.map((r) => [r.id + (r.deprecated ? color.yellow(' (deprecated)') : ''), r.version ?? '-', r.quality_score ?? '-', r.production_ready ? 'yes' : 'no', r.description.length > 70 ? r.description.slice(0, 67) + '...' : r.description]),
        ),
      )
    return rows
  }
}
