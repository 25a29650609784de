import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../src/cli/output.js'
import {renderSearch, SEARCH_FORMATS} from '../../src/cli/views/search.js'
import {loadCatalog} from '../../src/core/context.js'
import {noMatchHint, search, type SearchRow} from '../../src/core/search.js'

export default class Search extends PacksCommand {
  static override summary = 'Search the registries by id, name, keywords, tags and description.'
  static override description =
    'Every word of the query must match (id and name words split at dots, hyphens and camelCase: `rest` finds io.ggen.rest-api and "REST API", a word prefix counts, `interest` does not). Ranked by where the words match: id/name, then keywords/tags/category, then description; ties by quality score, downloads, id. When nothing matches, a hint says which words matched alone and the nearest package names.'
  static override args = {query: Args.string({description: 'words to look for (all must match)', required: true})}
  static override strict = false
  static override flags = {
    ...registryFlags,
    category: Flags.string({summary: 'Only this category.'}),
    'min-quality': Flags.integer({summary: 'Only packages with at least this quality score.', min: 0, max: 100}),
    'production-ready': Flags.boolean({summary: 'Only production-ready packages.'}),
    limit: Flags.integer({summary: 'At most this many results.', default: 50}),
    refresh: Flags.boolean({summary: 'Re-fetch http(s) registry indexes now.'}),
    format: formatFlag(SEARCH_FORMATS),
    output: outputFlag,
  }
  static override examples = [
    '<%= config.bin %> packs search database',
    '<%= config.bin %> packs search "rest api" --min-quality 60 --production-ready',
    '<%= config.bin %> packs search paper --category academic --json',
    '<%= config.bin %> packs search rust --format csv --output rust-packs.csv',
  ]

  async run(): Promise<SearchRow[]> {
    const {argv, flags} = await this.parse(Search)
    const ctx = contextFor(this, flags)
    const query = (argv as string[]).join(' ')
    const catalog = await loadCatalog(ctx)
    const filters = {category: flags.category, minQuality: flags['min-quality'], productionReady: flags['production-ready']}
    const rows = search(catalog, query, {...filters, limit: flags.limit})
    const format = chooseFormat(SEARCH_FORMATS, flags.format, flags.output)
    const hint = rows.length === 0 && format === 'table' && !this.jsonEnabled() ? noMatchHint(catalog, query, filters) : null
    await this.emit(() => renderSearch(rows, format, {query, hint}), flags.output)
    return rows
  }
}
