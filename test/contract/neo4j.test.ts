import {afterEach, describe, expect, it} from 'vitest'
import {isPacksError} from '../../src/domain/errors.js'
import {cypherScriptStatements} from '../../src/graph/export/index.js'
import {Neo4jGraphStore} from '../../src/graph/neo4j/neo4j-store.js'
import {runStatements, useNeo4j} from '../support/neo4j.js'
import {graphStoreContract} from './graph-store.contract.js'
import {lock, project, req, snap, v} from './fixtures.js'

const neo = await useNeo4j()
describe.skipIf(!!neo.skip)(`neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  graphStoreContract('neo4j', neo.fresh, {multiMachine: true, scope: 'team', query: true})

  describe('Neo4j adapter specifics', () => {
    let open: Neo4jGraphStore[] = []
    const fresh = async () => {
      const s = await neo.fresh()
      open.push(s)
      return s
    }
    afterEach(async () => {
      for (const s of open) await s.close()
      open = []
    })

    const sample = (machine: string) =>
      snap(machine, {
        versions: [v('core', '1.0.0', {license: 'MIT', quality_score: 90, size: 2048, published_at: '2024-01-01T00:00:00Z'}), v('web', '2.1.0', {requires: {core: '^1.0.0'}, deprecated: 'old'})],
        projects: [
          project(machine, '/srv/app', {team: 'web', owner: 'ann', environment: 'prod', requires: [req('web', '^2.0.0', {optional: false, tier: 'required', env: ['prod']})], locks: [lock('core', '1.0.0', {direct: false}), lock('web', '2.1.0', {dependencies: ['core'], integrity: 'sha256-AAAA', installed_at: '2024-02-02T00:00:00Z'})]}),
        ],
      })

    const counts = async (s: Neo4jGraphStore) => (await s.query('MATCH (n) WHERE NOT n:GgenTestMarker RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels')).rows[0]

    it('schema migrations are idempotent: connecting again changes nothing', async () => {
      const s = await fresh()
      const before = await s.query('SHOW INDEXES YIELD name RETURN collect(name) AS names')
      await s.migrate()
      const again = await Neo4jGraphStore.connect(neo.settings())
      open.push(again)
      const after = await again.query('SHOW INDEXES YIELD name RETURN collect(name) AS names')
      expect(after.rows).toEqual(before.rows)
      expect(before.rows[0]!.names).toEqual(expect.arrayContaining(['package_id', 'version_key', 'project_key', 'advisory_id', 'bundle_name', 'machine_name', 'version_id']))
    })

    it('a re-sync leaves exactly the same nodes and relationships', async () => {
      const s = await fresh()
      await s.load(sample('m1'))
      await s.load(sample('m2'))
      const before = await counts(s)
      await s.load(sample('m1'))
      expect(await counts(s)).toEqual(before)
      expect(before).toEqual({nodes: 2 + 2 + 2 + 2, rels: expect.any(Number)})
    })

    it('a re-sync rewrites only what changed; --full rewrites everything and repairs hand edits', async () => {
      const s = await fresh()
      await s.load(sample('m1'))
      expect(s.lastLoad).toMatchObject({versionsWritten: 2, versionsDropped: 0, projectsWritten: 1, full: false})
      await s.load(sample('m1'))
      expect(s.lastLoad).toMatchObject({versionsWritten: 0, versionsDropped: 0, projectsWritten: 0, full: false})
      const next = sample('m1')
      next.versions = next.versions.filter((x) => x.id !== 'web')
      next.projects.push(project('m1', '/srv/new', {locks: [lock('core', '1.0.0')]}))
      await s.load(next)
      expect(s.lastLoad).toMatchObject({versionsWritten: 0, versionsDropped: 1, projectsWritten: 1, full: false})
      const expected = await s.listInstalled()
      await runStatements(neo.settings(), ['MATCH (:Project {key: "m1:/srv/new"})-[l:LOCKS]->() DELETE l'])
      await s.load(next)
      expect((await s.listInstalled()).flatMap((r) => r.projects.map((p) => p.path))).not.toContain('/srv/new')
      await s.load(next, {full: true})
      expect(s.lastLoad).toMatchObject({versionsWritten: 1, versionsDropped: 0, projectsWritten: 2, full: true})
      expect(await s.listInstalled()).toEqual(expected)
    })

    it('snapshot() reads back what a machine synced', async () => {
      const s = await fresh()
      const original = sample('m1')
      await s.load(original)
      const back = await s.snapshot({machine: 'm1'})
      expect(back.machine).toBe('m1')
      expect(back.versions).toEqual(original.versions)
      expect(back.projects).toEqual(original.projects)
      expect(back.packages).toEqual(original.packages)
    })

    it('the exported Cypher script recreates a graph with the same answers', async () => {
      const s = await fresh()
      await s.load(sample('m2'))
      await s.load(sample('m1'))
      await s.load(snap('m1', {versions: [v('core', '1.0.0', {license: 'GPL'})], projects: [project('m1', "/it's \"odd\"\n", {locks: [lock('core', '1.0.0')]})]}))
      const answers = async (x: Neo4jGraphStore) => [await x.projects(), await x.listInstalled(), await x.dependents('core', {transitive: true}), await x.dependents('web')]
      const expected = await answers(s)
      const team = await s.snapshots()
      expect(team.snapshots.map((x) => x.machine)).toEqual(['m2', 'm1'])
      const statements = cypherScriptStatements(team.snapshots)
      const t = await fresh()
      await runStatements(neo.settings(), statements)
      expect(await answers(t)).toEqual(expected)
    })

    it('packs query: plain JSON values, integer parameters, column order', async () => {
      const s = await fresh()
      await s.load(sample('m1'))
      const r = await s.query('MATCH (m:Machine) RETURN m.name AS name, m.seq AS seq, m.syncedAt AS at, [1, 2] AS list, $n AS n LIMIT $n', {n: 1})
      expect(r.columns).toEqual(['name', 'seq', 'at', 'list', 'n'])
      expect(r.rows).toEqual([{name: 'm1', seq: 1, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), list: [1, 2], n: 1}])
      const nodes = await s.query('MATCH (p:Project) RETURN p LIMIT 1')
      expect(nodes.rows[0]!.p).toMatchObject({labels: ['Project'], properties: {name: 'app', machine: 'm1'}})
      expect((await s.query('MATCH (n:Nothing) RETURN n.x AS x')).columns).toEqual(['x'])
    })

    it('packs query refuses writes with E_READ_ONLY and leaves the graph alone', async () => {
      const s = await fresh()
      await s.load(sample('m1'))
      const before = await counts(s)
      for (const text of ['CREATE (x:Evil) RETURN x', 'MATCH (p:Project) DETACH DELETE p', 'MATCH (v:Version) SET v.license = "x"', 'CREATE INDEX evil IF NOT EXISTS FOR (n:Evil) ON (n.x)']) {
        const err = await s.query(text).catch((e: unknown) => e)
        expect(isPacksError(err) && err.code, text).toBe('E_READ_ONLY')
      }
      expect(await counts(s)).toEqual(before)
      const bad = await s.query('MATCH (n RETURN n').catch((e: unknown) => e)
      expect(isPacksError(bad) && bad.code).toBe('E_USAGE')
    })

    it('a wrong password is E_NEO4J_AUTH, an unreachable server E_NEO4J, both with a hint', async () => {
      const auth = await Neo4jGraphStore.connect({...neo.settings(), password: 'not-the-password'}).catch((e: unknown) => e)
      expect(isPacksError(auth) && auth.code).toBe('E_NEO4J_AUTH')
      expect(isPacksError(auth) && auth.hint).toMatch(/GGEN_NEO4J_PASSWORD/)
      const down = await Neo4jGraphStore.connect({...neo.settings(), uri: 'bolt://127.0.0.1:1'}).catch((e: unknown) => e)
      expect(isPacksError(down) && down.code).toBe('E_NEO4J')
      expect(isPacksError(down) && down.hint).toMatch(/neo4j:start|GGEN_NEO4J_URI/)
    })

    it('reports write progress and the server time of each read', async () => {
      const s = await fresh()
      const phases: string[] = []
      await s.load(sample('m1'), {progress: (phase, done, total) => phases.push(`${phase} ${done}/${total}`)})
      expect(phases).toContain('writing versions 2/9')
      await s.dependents('core')
      expect(s.timings.get('read/dependent-projects')).toBeGreaterThanOrEqual(0)
    })
  })
})
