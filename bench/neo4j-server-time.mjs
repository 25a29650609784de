#!/usr/bin/env node
/**
 * The Neo4j server's own time for one read statement (bench/run.mjs, case neo4j-dependents-server):
 * `resultAvailableAfter + resultConsumedAfter` of the query summary, which leaves out the client
 * (start-up, the driver, the network). The statement runs three times on one connection (the first
 * may plan it) and the last time is printed as JSON {"server_ms": N}.
 *
 * node bench/neo4j-server-time.mjs STATEMENT PARAMS_JSON   (STATEMENT: a file under cypher/, without .cypher)
 * Connection: GGEN_NEO4J_URI, GGEN_NEO4J_USER, GGEN_NEO4J_PASSWORD, GGEN_NEO4J_DATABASE.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import neo4j from 'neo4j-driver'

const [statement, params = '{}'] = process.argv.slice(2)
const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const text = readFileSync(join(repo, 'cypher', `${statement}.cypher`), 'utf8')
const env = process.env
const driver = neo4j.driver(env.GGEN_NEO4J_URI ?? 'bolt://127.0.0.1:7687', neo4j.auth.basic(env.GGEN_NEO4J_USER ?? 'neo4j', env.GGEN_NEO4J_PASSWORD ?? ''))
const session = driver.session({defaultAccessMode: neo4j.session.READ, ...(env.GGEN_NEO4J_DATABASE ? {database: env.GGEN_NEO4J_DATABASE} : {})})
try {
  let last = null
  let rows = 0
  for (let i = 0; i < 3; i++) {
    const res = await session.run(text, JSON.parse(params))
    rows = res.records.length
    last = Number(res.summary.resultAvailableAfter) + Number(res.summary.resultConsumedAfter)
  }
  process.stdout.write(JSON.stringify({server_ms: last, rows}) + '\n')
} finally {
  await session.close()
  await driver.close()
}
