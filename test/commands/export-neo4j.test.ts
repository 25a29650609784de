/**
 * Issue 12, `export --what graph --format cypher`: the script, run statement by statement
 * against the test Neo4j (test/support/neo4j.ts: cross-process lock; skipped with the reason
 * where there is none), recreates exactly the nodes and relationships the export counted, whole
 * or scoped to a package, and `--backend neo4j` then answers from it as from the local graph.
 */
import neo4j from 'neo4j-driver'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli, type CliResult} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'
import type {Neo4jSettings} from '../../src/graph/open.js'
import {runStatements, useNeo4j, wipeNeo4j} from '../support/neo4j.js'

const neo = await useNeo4j()

/** the graph model's nodes and relationships (not the Machine bookkeeping or the test marker) */
const COUNT =
  'MATCH (n) WHERE n:Package OR n:Version OR n:Project OR n:Advisory WITH count(n) AS nodes ' +
  "OPTIONAL MATCH ()-[r]->() WHERE type(r) IN ['OF', 'REQUIRES', 'LOCKS', 'DEPENDS_ON', 'AFFECTS'] RETURN nodes, count(r) AS relationships"

async function countGraph(s: Neo4jSettings): Promise<{nodes: number; relationships: number}> {
  const driver = neo4j.driver(s.uri, neo4j.auth.basic(s.user, s.password))
  const session = driver.session({database: s.database})
  try {
    const rec = (await session.executeRead((tx) => tx.run(COUNT))).records[0]!
    return {nodes: rec.get('nodes').toNumber(), relationships: rec.get('relationships').toNumber()}
  } finally {
    await session.close()
    await driver.close()
  }
}

/** the script's statements: each ends with `;` at the end of a line (literals hold no raw line break) */
const statementsOf = (script: string): string[] => script.split(/;\n/).map((s) => s.trim()).filter((s) => s && !/^(\/\/[^\n]*\n?)*$/.test(s))

describe.skipIf(!!neo.skip)(`export --what graph --format cypher into Neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  let ex: Example
  let n4j: Record<string, string> = {}
  beforeAll(() => {
    ex = exampleHome()
    const s = neo.settings()
    n4j = {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
  }, 240_000)

  const run = (args: string[]): CliResult => {
    const r = runCli(['packs', ...args], {env: {...ex.env, ...n4j}, cwd: ex.workspace})
    if (r.code !== 0) throw new Error(`ggen packs ${args.join(' ')}: exit ${r.code}\n${r.stderr}`)
    return r
  }
  /** the export's counts, and the counts Neo4j holds after running its script on an empty database */
  async function load(scope: string[]) {
    const counted = run(['export', '--what', 'graph', '--format', 'cypher', '--json', ...scope]).json.counts as {nodes: number; relationships: number}
    await wipeNeo4j(neo.settings())
    await runStatements(neo.settings(), statementsOf(run(['export', '--what', 'graph', '--format', 'cypher', ...scope]).stdout))
    return {counted, loaded: await countGraph(neo.settings())}
  }

  it('the whole graph: as many nodes and relationships as exported, and --backend neo4j answers as the local graph does', async () => {
    const {counted, loaded} = await load([])
    expect(counted.nodes).toBeGreaterThan(20)
    expect(loaded).toEqual(counted)
    const paths = (backend: string[]) => (run(['dependents', 'io.ggen.core.util', '--json', ...backend]).json.projects as {project: {path: string}}[]).map((p) => p.project.path).sort()
    expect(paths(['--backend', 'neo4j'])).toEqual(paths([]))
  }, 120_000)

  it('scoped to a package: the subgraph alone', async () => {
    const whole = run(['export', '--what', 'graph', '--json']).json.counts as {nodes: number}
    const {counted, loaded} = await load(['--package', 'io.ggen.core.log'])
    expect(counted.nodes).toBeLessThan(whole.nodes)
    expect(loaded).toEqual(counted)
  }, 120_000)
})
