/**
 * Issue 13: a nothing-changed `graph sync` writes no row and builds no snapshot. It is taken only
 * when every local input is as the last full sync read it ($GGEN_HOME/cache/last-sync.json) AND
 * the team graph still holds that very sync (Machine.lastSynced is its stamp: 012-machine-resume);
 * anything else (a changed file, another sync of the machine name, --full, a damaged record)
 * syncs in full. The real binary on the bundled example against a real Neo4j.
 */
import {appendFileSync, cpSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import neo4j from 'neo4j-driver'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli, tempDir} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'
import {useNeo4j, wipeNeo4j} from '../support/neo4j.js'

const neo = await useNeo4j()

describe.skipIf(!!neo.skip)(`graph sync: the nothing-changed sync${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  let ex: Example
  let n4j: Record<string, string> = {}
  beforeAll(async () => {
    ex = exampleHome()
    const s = neo.settings()
    await wipeNeo4j(s)
    n4j = {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
  }, 240_000)

  const sync = (args: string[] = [], env: Record<string, string> = {}) => {
    const r = runCli(['packs', 'graph', 'sync', ...args, '--json'], {env: {...ex.env, ...n4j, ...env}, cwd: ex.workspace})
    expect(r.code, r.stderr).toBe(0)
    return r.json as {projects: number; versions: number; packages: number; edges: number; written: {versions: number; projects: number}; registries: unknown[]; problems: unknown[]}
  }
  /** the stamp of the machine's last full sync, when it was last seen, and the stamps its projects carry */
  const graphState = async () => {
    const s = neo.settings()
    const driver = neo4j.driver(s.uri, neo4j.auth.basic(s.user, s.password))
    try {
      const m = await driver.executeQuery("MATCH (m:Machine {name: 'example-laptop'}) OPTIONAL MATCH (p:Project {machine: m.name}) RETURN m.lastSynced AS run, toString(m.syncedAt) AS seen, collect(DISTINCT p.lastSynced) AS stamps", {}, {database: s.database})
      const r = m.records[0]!
      return {run: r.get('run') as string, seen: r.get('seen') as string, stamps: r.get('stamps') as string[]}
    } finally {
      await driver.close()
    }
  }
  const list = () => runCli(['packs', 'list', '--backend', 'neo4j', '--json'], {env: {...ex.env, ...n4j}, cwd: ex.workspace}).json as unknown[]

  it('the second sync writes nothing, reports what the first did, and the team graph answers the same', async () => {
    const first = sync()
    expect(first.written.projects).toBeGreaterThan(0)
    const after1 = await graphState()
    const answers = list()
    const second = sync()
    const after2 = await graphState()
    expect(after2.run).toBe(after1.run) // no new sync stamp: nothing was rewritten
    expect(after2.stamps).toEqual([after1.run])
    expect(after2.seen > after1.seen).toBe(true) // but the machine was seen
    expect(second.written).toMatchObject({versions: 0, projects: 0})
    expect({...second, written: undefined, registries: undefined}).toMatchObject({projects: first.projects, versions: first.versions, packages: first.packages, edges: first.edges})
    expect(list()).toEqual(answers)
  })

  it('a changed project file syncs in full (a new stamp), and the next one is a nothing-changed sync again', async () => {
    const before = await graphState()
    appendFileSync(join(ex.workspace, 'storefront', 'ggen.toml'), '\n# touched by the sync test\n')
    sync()
    const changed = await graphState()
    expect(changed.run).not.toBe(before.run)
    sync()
    expect((await graphState()).run).toBe(changed.run)
  })

  it('--full, a damaged record, and another sync of the same machine name each sync in full', async () => {
    let before = await graphState()
    sync(['--full'])
    let now = await graphState()
    expect(now.run).not.toBe(before.run)

    writeFileSync(join(ex.home, 'cache', 'last-sync.json'), '{"format": "ggen-packs-last-sync/1", "inputs": 5')
    before = now
    sync()
    now = await graphState()
    expect(now.run).not.toBe(before.run)

    // a copy of this home syncing as the same machine: the team graph's stamp is no longer ours
    const copy = join(tempDir(), 'home')
    cpSync(ex.home, copy, {recursive: true})
    sync([], {GGEN_HOME: copy})
    const theirs = await graphState()
    expect(theirs.run).not.toBe(now.run)
    sync()
    const ours = await graphState()
    expect(ours.run).not.toBe(theirs.run)
    expect(ours.stamps).toEqual([ours.run])
  })
})
