/**
 * The GraphStore contract: every question the port answers, run unchanged against each adapter
 * (memory.test.ts, neo4j.test.ts). Each test gets a fresh store from the factory. Behaviour an
 * adapter may lack is a named capability option; a case it cannot run is reported as skipped
 * with the capability in its name, never silently dropped.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {itIf} from '../support/skip.js'
import type {GraphStore} from '../../src/graph/graph-store.js'
import {lock, project, req, snap, v} from './fixtures.js'

export interface ContractOptions {
  /** the store holds several machines' projects at once (team view, per-machine pruning) */
  multiMachine: boolean
  /** whose projects an opened store answers for (memory: this machine's; neo4j: the team's) */
  scope: 'machine' | 'team'
  /** runQuery answers raw Cypher; without it, it refuses with E_USAGE */
  query: boolean
}

export type StoreFactory = () => Promise<GraphStore>

const A = 'alpha'
const B = 'beta'

/** one machine, three projects, a small registry: the base most cases start from */
function base(machine = A) {
  return snap(machine, {
    versions: [
      v('core', '1.2.0', {name: 'Core', author: 'ann', license: 'MIT', quality_score: 85, production_ready: true, size: 1200, published_at: '2024-01-01T00:00:00Z'}),
      v('core', '1.10.0', {name: 'Core', license: 'MIT', quality_score: 4.5, production_ready: false, deprecated: 'use 2.x', yanked: true}),
      v('core', '2.0.0-beta.1', {name: 'Core'}),
      v('web', '1.0.0', {name: 'Web', requires: {core: '^1.2.0'}}),
      v('web', '2.0.0', {name: 'Web', requires: {core: '>=2.0.0-beta.1'}}),
      v('cli', '0.3.0', {requires: {core: '^1.0.0', web: '^1.0.0'}}),
      v('@scope/ui', '1.0.0', {name: 'UI', requires: {core: '*'}}),
    ],
    projects: [
      project(machine, '/srv/b-shop', {
        name: 'shop',
        team: 'retail',
        owner: 'bob',
        requires: [req('web', '^1.0.0', {env: ['prod']})],
        locks: [lock('core', '1.10.0', {direct: false, installed_at: '2024-03-01T00:00:00Z'}), lock('web', '1.0.0', {dependencies: ['core'], installed_at: '2024-02-01T00:00:00Z'})],
      }),
      project(machine, '/srv/a-blog', {
        name: 'blog',
        team: 'media',
        requires: [req('core', '^1.2.0'), req('@scope/ui', '1.x')],
        locks: [lock('core', '1.2.0', {installed_at: '2024-01-05T00:00:00Z'}), lock('@scope/ui', '1.0.0', {dependencies: ['core']})],
      }),
      project(machine, '/srv/c-tool', {
        name: 'tool',
        owner: 'bob',
        team: '',
        requires: [req('cli', '0.3.0')],
        locks: [lock('cli', '0.3.0', {dependencies: ['core', 'web']}), lock('core', '1.10.0', {direct: false, installed_at: '2024-04-01T00:00:00Z'}), lock('web', '1.0.0', {direct: false, dependencies: ['core']})],
      }),
    ],
  })
}

export function graphStoreContract(name: string, factory: StoreFactory, opts: ContractOptions): void {
  describe(`GraphStore contract: ${name}`, () => {
    let open: GraphStore[] = []
    const fresh = async () => {
      const s = await factory()
      open.push(s)
      return s
    }
    afterEach(async () => {
      for (const s of open) await s.close()
      open = []
    })
    const multi = itIf(opts.multiMachine, 'needs capability multiMachine')

    it('reports its capabilities as the options say', async () => {
      const s = await fresh()
      expect(s.capabilities).toMatchObject({multiMachine: opts.multiMachine, scope: opts.scope, query: opts.query})
      expect(s.capabilities.syncHint).toMatch(/ggen packs/)
    })

    it(opts.query ? 'runQuery answers read-only Cypher with parameters' : 'runQuery refuses: E_USAGE naming the query capability, hint --backend neo4j', async () => {
      const s = await fresh()
      if (opts.query) {
        const r = await s.runQuery('RETURN $n + 1 AS next, "x" AS s', {n: 1})
        expect({columns: r.columns, rows: r.rows}).toEqual({columns: ['next', 's'], rows: [{next: 2, s: 'x'}]})
        return
      }
      const err = await s.runQuery('RETURN 1 AS one').catch((e: unknown) => e)
      expect(err).toMatchObject({code: 'E_USAGE', exitCode: 2})
      expect((err as Error).message).toMatch(/`query` capability/)
      expect((err as {hint?: string}).hint).toMatch(/--backend neo4j/)
    })

    it('snapshots: one machine, what was loaded; an unknown machine, nothing', async () => {
      const s = await fresh()
      await s.load(base(A))
      const all = await s.snapshots()
      expect(all.snapshots.map((x) => x.machine)).toEqual([A])
      expect(all.merged.projects.map((p) => p.path)).toEqual(['/srv/a-blog', '/srv/b-shop', '/srv/c-tool'])
      expect(all.merged.versions.map((x) => `${x.id}@${x.version}`)).toEqual(expect.arrayContaining(['core@1.2.0', 'web@2.0.0', '@scope/ui@1.0.0']))
      const none = await s.snapshots({machine: 'nobody'})
      expect(none.snapshots).toEqual([])
      expect(none.merged.projects).toEqual([])
    })

    multi('snapshots: one per machine in load order, merged holds every machine, --machine narrows', async () => {
      const s = await fresh()
      await s.load(base(B))
      await s.load(base(A))
      const all = await s.snapshots()
      expect(all.snapshots.map((x) => x.machine)).toEqual([B, A])
      expect(all.merged.projects.map((p) => p.key)).toEqual([...[A, B].flatMap((m) => ['/srv/a-blog', '/srv/b-shop', '/srv/c-tool'].map((path) => `${m}:${path}`))])
      const one = await s.snapshots({machine: A})
      expect(one.snapshots.map((x) => x.machine)).toEqual([A])
      expect(one.merged.projects.every((p) => p.machine === A)).toBe(true)
    })

    it('answers empty on an empty store', async () => {
      const s = await fresh()
      expect(await s.projects()).toEqual([])
      expect(await s.listInstalled()).toEqual([])
      expect(await s.dependents('core')).toEqual({projects: [], packages: []})
    })

    it('load returns the sync statistics counted from the snapshot', async () => {
      const s = await fresh()
      const stats = await s.load(base())
      // edges: versions 7 OF + 5 ranges; projects 4 requires + 7 locks + 5 dependencies
      expect(stats).toEqual({machine: A, projects: 3, versions: 7, packages: 4, edges: 28, pruned: 0})
    })

    it('projects: every project sorted by machine then path; empty team/owner omitted', async () => {
      const s = await fresh()
      await s.load(base())
      expect(await s.projects()).toEqual([
        {key: `${A}:/srv/a-blog`, name: 'blog', path: '/srv/a-blog', machine: A, team: 'media'},
        {key: `${A}:/srv/b-shop`, name: 'shop', path: '/srv/b-shop', machine: A, team: 'retail', owner: 'bob'},
        {key: `${A}:/srv/c-tool`, name: 'tool', path: '/srv/c-tool', machine: A, owner: 'bob'},
      ])
      expect(await s.projects({machine: 'nobody'})).toEqual([])
      expect((await s.projects({machine: A})).length).toBe(3)
    })

    it('projectLocks: each project with its locks (direct flag), by machine and path; project, machine and team scopes', async () => {
      const s = await fresh()
      await s.load(base())
      const all = await s.projectLocks()
      expect(all.map((p) => p.project.path)).toEqual(['/srv/a-blog', '/srv/b-shop', '/srv/c-tool'])
      expect(all[1]).toEqual({
        project: {key: `${A}:/srv/b-shop`, name: 'shop', path: '/srv/b-shop', machine: A, team: 'retail', owner: 'bob'},
        locks: [{id: 'core', version: '1.10.0', direct: false}, {id: 'web', version: '1.0.0', direct: true}],
      })
      expect(all[0]!.locks).toEqual([{id: '@scope/ui', version: '1.0.0', direct: true}, {id: 'core', version: '1.2.0', direct: true}])
      expect((await s.projectLocks({team: 'retail'})).map((p) => p.project.name)).toEqual(['shop'])
      expect((await s.projectLocks({projectKey: `${A}:/srv/c-tool`})).map((p) => p.locks.length)).toEqual([3])
      expect(await s.projectLocks({machine: 'nobody'})).toEqual([])
      expect(await s.projectLocks({team: 'nobody'})).toEqual([])
    })

    it('listInstalled: locked versions only, by id then semver, with merged metadata and projects', async () => {
      const s = await fresh()
      await s.load(base())
      const rows = await s.listInstalled()
      expect(rows.map((r) => `${r.id}@${r.version}`)).toEqual(['@scope/ui@1.0.0', 'cli@0.3.0', 'core@1.2.0', 'core@1.10.0', 'web@1.0.0'])
      const core12 = rows.find((r) => r.version === '1.2.0')!
      expect(core12).toEqual({
        id: 'core',
        version: '1.2.0',
        name: 'Core',
        author: 'ann',
        license: 'MIT',
        quality_score: 85,
        production_ready: true,
        size: 1200,
        deprecated: null,
        yanked: false,
        last_used: '2024-01-05T00:00:00Z',
        projects: [{key: `${A}:/srv/a-blog`, name: 'blog', path: '/srv/a-blog', machine: A, team: 'media'}],
      })
      const core110 = rows.find((r) => r.version === '1.10.0')!
      expect(core110.quality_score).toBe(4.5)
      expect(core110.production_ready).toBe(false)
      expect(core110.deprecated).toBe('use 2.x')
      expect(core110.yanked).toBe(true)
      expect(core110.last_used).toBe('2024-04-01T00:00:00Z')
      expect(core110.projects.map((p) => p.path)).toEqual(['/srv/b-shop', '/srv/c-tool'])
      const cli = rows.find((r) => r.id === 'cli')!
      expect(cli).toEqual({id: 'cli', version: '0.3.0', name: 'cli', deprecated: null, yanked: false, projects: [{key: `${A}:/srv/c-tool`, name: 'tool', path: '/srv/c-tool', machine: A, owner: 'bob'}]})
      expect(cli.last_used).toBeUndefined() // a field the row lacks: absent or undefined (the memory rows keep one shape)
    })

    it('listInstalled: non-semver versions sort after valid ones; unknown versions fall back to the id', async () => {
      const s = await fresh()
      await s.load(
        snap(A, {
          versions: [v('x', '1.0.0'), v('x', '0.9.0'), v('x', '10.0.0')],
          projects: [
            project(A, '/p1', {locks: [lock('x', 'main')]}),
            project(A, '/p2', {locks: [lock('x', '10.0.0')]}),
            project(A, '/p3', {locks: [lock('x', '0.9.0')]}),
            project(A, '/p4', {locks: [lock('x', 'dev')]}),
            project(A, '/p5', {locks: [lock('x', '1.0.0-rc.1')]}),
          ],
        }),
      )
      const rows = await s.listInstalled()
      expect(rows.map((r) => r.version)).toEqual(['0.9.0', '1.0.0-rc.1', '10.0.0', 'dev', 'main'])
      expect(rows.find((r) => r.version === 'main')).toEqual({id: 'x', version: 'main', name: 'x', deprecated: null, yanked: false, projects: [{key: `${A}:/p1`, name: 'p1', path: '/p1', machine: A}]})
    })

    it('dependents: direct consumers by default, transitive on request, sorted by machine and path', async () => {
      const s = await fresh()
      await s.load(base())
      const direct = await s.dependents('core')
      expect(direct.projects).toEqual([{project: {key: `${A}:/srv/a-blog`, name: 'blog', path: '/srv/a-blog', machine: A, team: 'media'}, version: '1.2.0', direct: true}])
      const all = await s.dependents('core', {transitive: true})
      expect(all.projects.map((d) => [d.project.path, d.version, d.direct])).toEqual([
        ['/srv/a-blog', '1.2.0', true],
        ['/srv/b-shop', '1.10.0', false],
        ['/srv/c-tool', '1.10.0', false],
      ])
    })

    it('dependents: packages declaring a range, by id, semver, then range', async () => {
      const s = await fresh()
      await s.load(base())
      const {packages} = await s.dependents('core')
      expect(packages).toEqual([
        {id: '@scope/ui', version: '1.0.0', range: '*'},
        {id: 'cli', version: '0.3.0', range: '^1.0.0'},
        {id: 'web', version: '1.0.0', range: '^1.2.0'},
        {id: 'web', version: '2.0.0', range: '>=2.0.0-beta.1'},
      ])
      expect((await s.dependents('web')).packages).toEqual([{id: 'cli', version: '0.3.0', range: '^1.0.0'}])
      expect(await s.dependents('nothing-depends-on-this')).toEqual({projects: [], packages: []})
    })

    it('dependents: range filters project versions (satisfies) and package ranges (intersects)', async () => {
      const s = await fresh()
      await s.load(base())
      const r = await s.dependents('core', {transitive: true, range: '~1.10.0'})
      expect(r.projects.map((d) => d.project.path)).toEqual(['/srv/b-shop', '/srv/c-tool'])
      expect(r.packages.map((p) => `${p.id}@${p.version}`)).toEqual(['@scope/ui@1.0.0', 'cli@0.3.0', 'web@1.0.0'])
      const none = await s.dependents('core', {transitive: true, range: '^9.0.0'})
      expect(none.projects).toEqual([])
    })

    it('dependents: team, owner and machine filters', async () => {
      const s = await fresh()
      await s.load(base())
      expect((await s.dependents('core', {transitive: true, team: 'retail'})).projects.map((d) => d.project.name)).toEqual(['shop'])
      expect((await s.dependents('core', {transitive: true, owner: 'bob'})).projects.map((d) => d.project.name)).toEqual(['shop', 'tool'])
      expect((await s.dependents('core', {transitive: true, owner: 'bob', team: 'media'})).projects).toEqual([])
      expect((await s.dependents('core', {transitive: true, machine: 'elsewhere'})).projects).toEqual([])
      expect((await s.dependents('core', {transitive: true, machine: A})).projects.length).toBe(3)
    })

    it('reloading the same snapshot changes nothing', async () => {
      const s = await fresh()
      await s.load(base())
      const before = [await s.projects(), await s.listInstalled(), await s.dependents('core', {transitive: true}), await s.dependents('web')]
      const stats = await s.load(base())
      expect(stats.pruned).toBe(0)
      expect([await s.projects(), await s.listInstalled(), await s.dependents('core', {transitive: true}), await s.dependents('web')]).toEqual(before)
    })

    it('reloading prunes what the machine no longer has: projects, locks, versions', async () => {
      const s = await fresh()
      await s.load(base())
      const next = base()
      next.projects = next.projects.filter((p) => p.name !== 'tool')
      const shop = next.projects.find((p) => p.name === 'shop')!
      shop.locks = [lock('core', '1.2.0', {direct: false}), lock('web', '1.0.0', {dependencies: ['core']})]
      shop.team = undefined
      next.versions = next.versions.filter((x) => x.id !== 'cli')
      const stats = await s.load(next)
      expect(stats.pruned).toBe(1)
      expect((await s.projects()).map((p) => p.name)).toEqual(['blog', 'shop'])
      expect((await s.projects()).find((p) => p.name === 'shop')).toEqual({key: `${A}:/srv/b-shop`, name: 'shop', path: '/srv/b-shop', machine: A, owner: 'bob'})
      const rows = await s.listInstalled()
      expect(rows.map((r) => `${r.id}@${r.version}`)).toEqual(['@scope/ui@1.0.0', 'core@1.2.0', 'web@1.0.0'])
      expect(rows.find((r) => r.id === 'core')!.projects.map((p) => p.name)).toEqual(['blog', 'shop'])
      expect((await s.dependents('web')).packages).toEqual([])
      expect((await s.dependents('core')).packages.map((p) => p.id)).toEqual(['@scope/ui', 'web', 'web'])
    })

    it('a re-sync that changes version metadata is reflected (a registry deprecates a version)', async () => {
      const s = await fresh()
      await s.load(base())
      const next = base()
      const core12 = next.versions.find((x) => x.id === 'core' && x.version === '1.2.0')!
      core12.deprecated = 'security fix in 1.2.1'
      core12.license = 'Apache-2.0'
      delete core12.size
      await s.load(next)
      const row = (await s.listInstalled()).find((r) => r.id === 'core' && r.version === '1.2.0')!
      expect(row.deprecated).toBe('security fix in 1.2.1')
      expect(row.license).toBe('Apache-2.0')
      expect(row.size).toBeUndefined()
    })

    it('keeps odd ids, paths and names intact (scopes, unicode, quotes)', async () => {
      const s = await fresh()
      const path = "/home/zoë/projets/l'atelier \"β\""
      await s.load(snap(A, {versions: [v('@acme/x.y_z-1', '1.0.0+build.5', {name: 'X "quoted" \\ back'})], projects: [project(A, path, {name: 'atelier ✓', team: 'équipe', locks: [lock('@acme/x.y_z-1', '1.0.0+build.5')]})]}))
      expect(await s.projects()).toEqual([{key: `${A}:${path}`, name: 'atelier ✓', path, machine: A, team: 'équipe'}])
      const [row] = await s.listInstalled()
      expect(row!.name).toBe('X "quoted" \\ back')
      expect((await s.dependents('@acme/x.y_z-1')).projects[0]!.version).toBe('1.0.0+build.5')
    })

    multi('team view: several machines, --machine narrows, sorted by machine first', async () => {
      const s = await fresh()
      await s.load(base(B))
      await s.load(base(A))
      const all = await s.projects()
      expect(all.map((p) => `${p.machine}:${p.name}`)).toEqual([`${A}:blog`, `${A}:shop`, `${A}:tool`, `${B}:blog`, `${B}:shop`, `${B}:tool`])
      expect((await s.projects({machine: B})).map((p) => p.machine)).toEqual([B, B, B])
      const core110 = (await s.listInstalled()).find((r) => r.id === 'core' && r.version === '1.10.0')!
      expect(core110.projects.map((p) => `${p.machine}:${p.name}`)).toEqual([`${A}:shop`, `${A}:tool`, `${B}:shop`, `${B}:tool`])
      expect((await s.listInstalled({machine: B})).find((r) => r.version === '1.10.0')!.projects.every((p) => p.machine === B)).toBe(true)
      expect((await s.dependents('core', {transitive: true})).projects.length).toBe(6)
      expect((await s.dependents('core', {transitive: true, machine: A})).projects.length).toBe(3)
      // versions are shared: each declared range appears once
      expect((await s.dependents('core')).packages.length).toBe(4)
    })

    multi('pruning on one machine leaves the other machines untouched', async () => {
      const s = await fresh()
      await s.load(base(A))
      await s.load(base(B))
      const emptyA = snap(A, {})
      const stats = await s.load(emptyA)
      expect(stats.pruned).toBe(3)
      expect((await s.projects()).map((p) => p.machine)).toEqual([B, B, B])
      expect((await s.listInstalled()).flatMap((r) => r.projects).every((p) => p.machine === B)).toBe(true)
      // B still knows every version and range
      expect((await s.dependents('core')).packages.length).toBe(4)
      await s.load(snap(B, {}))
      expect(await s.projects()).toEqual([])
      expect(await s.listInstalled()).toEqual([])
      expect(await s.dependents('core')).toEqual({projects: [], packages: []})
    })

    it('listInstalled: description, source and integrity come with the rows; `store_entry` only when a local machine is named', async () => {
      const s = await fresh()
      await s.load(
        snap(A, {
          versions: [v('core', '1.2.0', {description: 'Core helpers', source: 'https://reg.example/a', integrity: 'sha512-AAAA', store_entry: 'sha512-0a0b'}), v('web', '1.0.0', {source: '/srv/local-registry'})],
          projects: [project(A, '/srv/app', {locks: [lock('core', '1.2.0'), lock('web', '1.0.0', {dependencies: ['core']})]})],
        }),
      )
      const [core, web] = await s.listInstalled()
      expect(core).toMatchObject({id: 'core', description: 'Core helpers', source: 'https://reg.example/a', integrity: 'sha512-AAAA'})
      expect('store_entry' in core!).toBe(false)
      expect(web).toMatchObject({id: 'web', source: '/srv/local-registry'})
      expect([web!.description, web!.integrity]).toEqual([undefined, undefined])
      expect((await s.listInstalled({localMachine: A})).map((r) => [r.id, r.store_entry])).toEqual([
        ['core', 'sha512-0a0b'],
        ['web', null],
      ])
      expect((await s.listInstalled({localMachine: 'elsewhere'})).map((r) => r.store_entry)).toEqual([null, null])
    })

    multi('listInstalled: `store_entry` is the local machine\'s own report; description and source merge like the rest', async () => {
      const s = await fresh()
      const onA = snap(A, {versions: [v('p', '1.0.0', {description: 'from A', source: 'https://a.example', store_entry: 'sha512-0a0b'}), v('q', '1.0.0')], projects: [project(A, '/a', {locks: [lock('p', '1.0.0'), lock('q', '1.0.0')]})]})
      const onB = snap(B, {versions: [v('p', '1.0.0', {description: 'from B', source: 'https://b.example'}), v('q', '1.0.0', {description: 'only B', store_entry: 'sha512-0c0d'})], projects: [project(B, '/b', {locks: [lock('p', '1.0.0'), lock('q', '1.0.0')]})]})
      await s.load(onA)
      await s.load(onB)
      const rows = (q: Parameters<GraphStore['listInstalled']>[0]) => s.listInstalled(q).then((r) => r.map((x) => [x.id, x.store_entry === undefined ? 'absent' : x.store_entry, x.description ?? null, x.source ?? null]))
      expect(await rows({localMachine: A})).toEqual([
        ['p', 'sha512-0a0b', 'from A', 'https://a.example'],
        ['q', null, 'only B', null],
      ])
      expect(await rows({localMachine: B})).toEqual([
        ['p', null, 'from A', 'https://a.example'],
        ['q', 'sha512-0c0d', 'only B', null],
      ])
      // --machine narrows the projects, not whose store answers
      expect(await rows({machine: B, localMachine: A})).toEqual([
        ['p', 'sha512-0a0b', 'from A', 'https://a.example'],
        ['q', null, 'only B', null],
      ])
      expect(await rows({})).toEqual([
        ['p', 'absent', 'from A', 'https://a.example'],
        ['q', 'absent', 'only B', null],
      ])
    })

    multi('machines disagree on a version: the first machine loaded wins, gaps filled by later ones', async () => {
      const s = await fresh()
      const onA = snap(A, {versions: [v('p', '1.0.0', {license: 'MIT', requires: {q: '^1.0.0'}})], projects: [project(A, '/a', {locks: [lock('p', '1.0.0')]})]})
      const onB = snap(B, {versions: [v('p', '1.0.0', {license: 'GPL-3.0', author: 'bea', deprecated: 'old', requires: {q: '*', r: '^2.0.0'}})], projects: [project(B, '/b', {locks: [lock('p', '1.0.0')]})]})
      await s.load(onA)
      await s.load(onB)
      const [row] = await s.listInstalled()
      expect(row).toMatchObject({license: 'MIT', author: 'bea', deprecated: 'old'})
      expect((await s.dependents('q')).packages).toEqual([{id: 'p', version: '1.0.0', range: '^1.0.0'}])
      expect((await s.dependents('r')).packages).toEqual([])
      // A forgets the version: B's knowledge now answers
      await s.load(snap(A, {projects: [project(A, '/a')]}))
      const [again] = await s.listInstalled()
      expect(again).toMatchObject({license: 'GPL-3.0', author: 'bea'})
      expect((await s.dependents('q')).packages).toEqual([{id: 'p', version: '1.0.0', range: '*'}])
      expect((await s.dependents('r')).packages).toEqual([{id: 'p', version: '1.0.0', range: '^2.0.0'}])
    })
  })
}
