import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {color, table} from '../../src/cli/render.js'
import {queryText, runGraphQuery, type QueryOutput} from '../../src/core/graph-query.js'

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v))

export default class Query extends PacksCommand {
  static override summary = 'Run a read-only Cypher query against the team Neo4j.'
  static override description =
    'The query runs in a read transaction: CREATE, MERGE, SET, DELETE, schema and admin commands are refused (E_READ_ONLY). Labels: Package {id}, Version {key, id, version}, Project {key, path, name, team, owner, machine}, Advisory {id}, Machine {name}. Relationships: OF, REQUIRES {range}, LOCKS {direct}, DEPENDS_ON {project}, AFFECTS, KNOWS. Integers, dates and graph entities come back as plain JSON.'
  static override args = {cypher: Args.string({description: 'the Cypher statement (or --file FILE)'})}
  static override flags = {
    file: Flags.file({char: 'f', summary: 'Read the statement from this file (examples: cypher/examples/*.cypher).', helpValue: 'FILE'}),
    param: Flags.string({char: 'p', summary: 'A query parameter: key=value (value read as JSON when it parses). Repeatable.', multiple: true, helpValue: 'KEY=VALUE'}),
  }
  static override examples = [
    '<%= config.bin %> packs query --file cypher/examples/projects-per-machine.cypher',
    '<%= config.bin %> packs query --file cypher/examples/who-locks.cypher --param id=io.ggen.web',
    '<%= config.bin %> packs query --file cypher/examples/some-versions.cypher --param n=5 --json',
  ]

  async run(): Promise<QueryOutput> {
    const {args, flags} = await this.parse(Query)
    // the command is the team graph's: it asks Neo4j whatever the default backend is
    const r = await runGraphQuery(contextFor(this), queryText(args.cypher, flags.file), {params: flags.param, backend: 'neo4j'})
    if (r.columns.length > 0) this.out(table(r.columns, r.rows.map((row) => r.columns.map((c) => cell(row[c])))).trimEnd())
    this.out(color.dim(`${r.rows.length} row${r.rows.length === 1 ? '' : 's'} (${r.serverMs} ms on the server)`))
    return {columns: r.columns, rows: r.rows}
  }
}
