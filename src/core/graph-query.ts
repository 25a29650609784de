/**
 * `packs query`: ad-hoc read-only Cypher through the GraphStore port (`runQuery`). Only a store
 * with the `query` capability (Neo4j) answers; the memory store refuses with E_USAGE.
 *
 * `--param key=value`: the value is read as JSON when it parses (numbers, true/false/null,
 * "quoted strings", [lists], {maps}), otherwise taken as a plain string. The Neo4j adapter sends
 * integral numbers as Neo4j integers (so `LIMIT $n` works; src/graph/neo4j/values.ts toParam).
 */
import {readTextOrNull} from '../formats/fs.js'
import {PacksError} from '../domain/errors.js'
import type {QueryResult} from '../graph/graph-store.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import type {PacksContext} from './context.js'

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

export function parseQueryParams(pairs: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    if (eq < 0 || !KEY.test(key)) {
      throw new PacksError('E_USAGE', `--param "${pair}" is not key=value (key: letters, digits, _)`, {hint: 'Example: --param id=io.ggen.web --param limit=10'})
    }
    const raw = pair.slice(eq + 1)
    let value: unknown = raw
    try {
      value = JSON.parse(raw)
    } catch {
      // a plain string
    }
    out[key] = value
  }
  return out
}

export interface GraphQueryOptions {
  /** --param key=value pairs */
  params?: string[]
  /** the backend to ask (default: --backend / GGEN_BACKEND / config) */
  backend?: string
}

/** run one read-only statement on the chosen backend and close it */
/** the statement of `packs query`: the argument, or the text of --file (e.g. cypher/examples/*.cypher) */
export function queryText(cypher: string | undefined, file: string | undefined): string {
  if (file === undefined) {
    if (cypher === undefined || cypher.trim() === '') throw new PacksError('E_USAGE', 'packs query needs a Cypher statement or --file FILE', {hint: 'Pass the statement as the argument, or --file cypher/examples/projects-per-machine.cypher.'})
    return cypher
  }
  if (cypher !== undefined) throw new PacksError('E_USAGE', 'pass the Cypher statement or --file, not both', {hint: 'Drop the argument or --file.'})
  const text = readTextOrNull(file)
  if (text === null) throw new PacksError('E_NOT_FOUND', `no Cypher file at ${file}`, {file, hint: 'Pass the path of a .cypher file (the repository has examples in cypher/examples/).'})
  return text
}

export async function runGraphQuery(ctx: PacksContext, cypher: string, o: GraphQueryOptions = {}): Promise<QueryResult> {
  const params = parseQueryParams(o.params)
  const store = await openGraphStore(chooseBackend(o.backend, ctx.config, ctx.env), ctx)
  try {
    return await store.runQuery(cypher, params)
  } finally {
    await store.close()
  }
}

/** what `packs query --json` prints: the port's answer as is */
export type QueryOutput = Pick<QueryResult, 'columns' | 'rows'>
