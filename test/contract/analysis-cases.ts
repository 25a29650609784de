/**
 * The analysis contract (AnalysisQueries: tree, why, requirers, unsatisfied, cycles, unreachable,
 * drift), run unchanged against each adapter (analysis-memory.test.ts; the neo4j run passes its
 * own factory). Keyv test-suite style: each test gets a fresh store from the factory and random
 * keys - machine names and package ids carry a random tag, and every question is scoped to the
 * test's machine - so a shared database never leaks one test's rows into another's answer.
 * Behaviour an adapter may lack is a named capability; a case it cannot run is reported as
 * skipped with the capability in its name, never silently dropped.
 */
import {randomBytes} from 'node:crypto'
import fc from 'fast-check'
import {afterEach, describe, expect, it} from 'vitest'
import {itIf} from '../support/skip.js'
import type {AnalysisQueries, GraphStore, ProjectRef} from '../../src/graph/graph-store.js'
import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import {projectKey, type GraphSnapshot, type PackageRow, type ProjectLock, type ProjectRequire, type ProjectRow, type VersionRow} from '../../src/graph/model.js'

export interface AnalysisCapabilities {
  /** the store holds several machines' projects at once (a second load of another machine adds to the first) */
  multiMachine: boolean
  /** random graphs compared with the embedded adapter's answers (default 25; fewer for a slow server) */
  randomRuns?: number
}

export type AnalysisStoreFactory = () => Promise<GraphStore>

type Store = GraphStore & AnalysisQueries

// ---------------------------------------------------------------- builders (random keys)

const tag = () => randomBytes(4).toString('hex')

interface World {
  /** this test's machine name */
  m: string
  /** a package id with this test's tag: `t<tag>.<name>` */
  id: (name: string) => string
  ref: (path: string, extra?: {name?: string; team?: string; owner?: string; machine?: string}) => ProjectRef
}

function world(): World {
  const t = tag()
  const m = `m-${t}`
  return {
    m,
    id: (name) => `t${t}.${name}`,
    ref: (path, extra = {}) => {
      const machine = extra.machine ?? m
      return {
        key: projectKey(machine, path),
        name: extra.name ?? path.split('/').pop()!,
        path,
        machine,
        ...(extra.team ? {team: extra.team} : {}),
        ...(extra.owner ? {owner: extra.owner} : {}),
      }
    },
  }
}

const ver = (id: string, version: string, requires: Record<string, string> = {}, extra: Partial<VersionRow> = {}): VersionRow => ({id, version, requires, ...extra})
const lk = (id: string, version: string, dependencies: string[] = [], direct = false): ProjectLock => ({id, version, direct, dependencies})
const rq = (id: string, range: string, optional = false): ProjectRequire => ({id, range, ...(optional ? {optional} : {})})

function proj(machine: string, path: string, parts: {name?: string; team?: string; owner?: string; requires?: ProjectRequire[]; locks?: ProjectLock[]}): ProjectRow {
  const requires = parts.requires ?? []
  const direct = new Set(requires.map((r) => r.id))
  return {
    key: projectKey(machine, path),
    path,
    machine,
    name: parts.name ?? path.split('/').pop()!,
    ...(parts.team ? {team: parts.team} : {}),
    ...(parts.owner ? {owner: parts.owner} : {}),
    requires,
    locks: (parts.locks ?? []).map((l) => ({...l, direct: l.direct || direct.has(l.id)})),
  }
}

/** a snapshot whose versions include every locked version (with the ranges given, else none) */
function snapshot(machine: string, versions: VersionRow[], projects: ProjectRow[]): GraphSnapshot {
  const vs = new Map(versions.map((v) => [`${v.id}@${v.version}`, v]))
  for (const p of projects) for (const l of p.locks) if (!vs.has(`${l.id}@${l.version}`)) vs.set(`${l.id}@${l.version}`, ver(l.id, l.version, Object.fromEntries(l.dependencies.map((d) => [d, '*']))))
  const pk = new Map<string, PackageRow>()
  const add = (id: string) => pk.set(id, {id, name: id})
  for (const v of vs.values()) {
    add(v.id)
    for (const d of Object.keys(v.requires)) add(d)
  }
  for (const p of projects) for (const r of p.requires) add(r.id)
  const byId = (a: {id: string}, b: {id: string}) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  return {machine, packages: [...pk.values()].sort(byId), versions: [...vs.values()], projects: [...projects].sort((a, b) => (a.path < b.path ? -1 : 1))}
}

/**
 * The shared world most cases load: a small registry and four projects on one machine.
 *   web 1.5.0 -> util ^1.3.0, log ^1.0.0      web 1.4.0 -> util ^1.0.0
 *   log 1.0.0 -> util ^1.0.0                  cli 1.0.0 -> util ^2.0.0, log ^1.0.0
 *   a 1.0.0 -> b ^1 ; b 1.0.0 -> c ^1 ; c 1.0.0 -> a ^1, b ^1 (cycle a->b->c->a with chord c->b)
 *   self 1.0.0 -> self *                      (self-loop)
 * shop (web/dave): web ^1.4, util ^1.3 -> web 1.5.0, log 1.0.0, util 1.3.0
 * blog (web/erin): web ^1.4 -> web 1.5.0, log 1.0.0, util 1.2.0 (stale: web wants ^1.3.0), plus orphan 1.0.0
 * tool (ops/dave): cli ^1.0, log ^1.0 -> cli 1.0.0, log 1.0.0, util 2.0.0 (log wants ^1.0.0); dangling: cli lists `gone`
 * loop (ops): a ^1, self * -> a, b, c (cycle), self (self-loop); optional `opt` not installed; `want` ~2 not locked
 */
function base(w: World): GraphSnapshot {
  const {id, m} = w
  const versions = [
    ver(id('util'), '1.2.0'),
    ver(id('util'), '1.3.0'),
    ver(id('util'), '1.10.0'),
    ver(id('util'), '2.0.0'),
    ver(id('log'), '1.0.0', {[id('util')]: '^1.0.0'}),
    ver(id('web'), '1.4.0', {[id('util')]: '^1.0.0'}),
    ver(id('web'), '1.5.0', {[id('util')]: '^1.3.0', [id('log')]: '^1.0.0'}),
    ver(id('cli'), '1.0.0', {[id('util')]: '^2.0.0', [id('log')]: '^1.0.0'}),
    ver(id('a'), '1.0.0', {[id('b')]: '^1'}),
    ver(id('b'), '1.0.0', {[id('c')]: '^1'}),
    ver(id('c'), '1.0.0', {[id('a')]: '^1', [id('b')]: '^1'}),
    ver(id('self'), '1.0.0', {[id('self')]: '*'}),
    ver(id('orphan'), '1.0.0'),
  ]
  const projects = [
    proj(m, '/srv/shop', {
      team: 'web',
      owner: 'dave',
      requires: [rq(id('web'), '^1.4.0'), rq(id('util'), '^1.3.0')],
      locks: [lk(id('web'), '1.5.0', [id('log'), id('util')]), lk(id('log'), '1.0.0', [id('util')]), lk(id('util'), '1.3.0')],
    }),
    proj(m, '/srv/blog', {
      team: 'web',
      owner: 'erin',
      requires: [rq(id('web'), '^1.4.0')],
      locks: [lk(id('web'), '1.5.0', [id('log'), id('util')]), lk(id('log'), '1.0.0', [id('util')]), lk(id('util'), '1.2.0'), lk(id('orphan'), '1.0.0')],
    }),
    proj(m, '/srv/tool', {
      team: 'ops',
      owner: 'dave',
      requires: [rq(id('cli'), '^1.0.0'), rq(id('log'), '^1.0.0')],
      locks: [lk(id('cli'), '1.0.0', [id('log'), id('util'), id('gone')]), lk(id('log'), '1.0.0', [id('util')]), lk(id('util'), '2.0.0')],
    }),
    proj(m, '/srv/loop', {
      team: 'ops',
      requires: [rq(id('a'), '^1'), rq(id('self'), '*'), rq(id('opt'), '^1', true), rq(id('want'), '~2.0.0')],
      locks: [lk(id('a'), '1.0.0', [id('b')]), lk(id('b'), '1.0.0', [id('c')]), lk(id('c'), '1.0.0', [id('a'), id('b')]), lk(id('self'), '1.0.0', [id('self')])],
    }),
  ]
  return snapshot(m, versions, projects)
}

// ---------------------------------------------------------------- random worlds

const VERSIONS = ['0.9.0', '1.0.0', '1.2.0', '1.10.0', '2.0.0', '2.0.0-rc.1']
const RANGES = ['^1.0.0', '~1.2.0', '*', '>=2', '1.x', '^0.9.0', '>=1.2.0 <2.0.0']
const NAMES = ['a', 'b', 'c', 'd', 'e']

/** a random snapshot of one machine: a few projects over a few packages, with dangling ids, cycles and stale ranges */
const randomWorld = (w: World) =>
  fc
    .record({
      declared: fc.array(fc.record({n: fc.constantFrom(...NAMES), v: fc.constantFrom(...VERSIONS), deps: fc.dictionary(fc.constantFrom(...NAMES, 'ghost'), fc.constantFrom(...RANGES), {maxKeys: 3})}), {maxLength: 12}),
      projects: fc.array(
        fc.record({
          team: fc.constantFrom('', 'web', 'ops'),
          owner: fc.constantFrom('', 'dave', 'erin'),
          requires: fc.dictionary(fc.constantFrom(...NAMES, 'ghost'), fc.tuple(fc.constantFrom(...RANGES), fc.boolean()), {maxKeys: 3}),
          locks: fc.dictionary(fc.constantFrom(...NAMES), fc.tuple(fc.constantFrom(...VERSIONS), fc.subarray([...NAMES, 'ghost'], {maxLength: 3})), {maxKeys: 5}),
        }),
        {minLength: 1, maxLength: 4},
      ),
    })
    .map(({declared, projects}) => {
      const versions = new Map<string, VersionRow>()
      for (const d of declared) {
        const k = `${d.n}@${d.v}`
        if (!versions.has(k)) versions.set(k, ver(w.id(d.n), d.v, Object.fromEntries(Object.entries(d.deps).map(([x, r]) => [w.id(x), r]))))
      }
      const rows = projects.map((p, i) =>
        proj(w.m, `/srv/p${i}`, {
          ...(p.team ? {team: p.team} : {}),
          ...(p.owner ? {owner: p.owner} : {}),
          requires: Object.entries(p.requires).map(([x, [r, opt]]) => rq(w.id(x), r, opt)),
          locks: Object.entries(p.locks).map(([x, [v, deps]]) => lk(w.id(x), v, deps.map((dd) => w.id(dd)))),
        }),
      )
      return snapshot(w.m, [...versions.values()], rows)
    })

// ---------------------------------------------------------------- the contract

export function analysisContract(name: string, factory: AnalysisStoreFactory, caps: AnalysisCapabilities): void {
  describe(`AnalysisQueries contract: ${name}`, () => {
    let open: GraphStore[] = []
    const fresh = async (): Promise<Store> => {
      const s = await factory()
      open.push(s)
      const methods = ['tree', 'why', 'requirers', 'unsatisfied', 'cycles', 'unreachable', 'drift']
      expect(methods.filter((x) => typeof (s as unknown as Record<string, unknown>)[x] !== 'function'), `${name} lacks analysis methods`).toEqual([])
      return s as Store
    }
    const loaded = async (w: World, ...extra: GraphSnapshot[]): Promise<Store> => {
      const s = await fresh()
      await s.load(base(w))
      for (const x of extra) await s.load(x)
      return s
    }
    afterEach(async () => {
      for (const s of open) await s.close()
      open = []
    })
    const multi = itIf(caps.multiMachine, 'needs capability multiMachine')

    it('answers empty on an empty store', async () => {
      const w = world()
      const s = await fresh()
      expect(await s.tree(projectKey(w.m, '/nowhere'))).toBeNull()
      expect(await s.why(w.id('util'), {machine: w.m})).toEqual([])
      expect(await s.requirers(w.id('util'), {machine: w.m})).toEqual([])
      expect(await s.unsatisfied({machine: w.m})).toEqual([])
      expect(await s.cycles({machine: w.m})).toEqual([])
      expect(await s.unreachable({machine: w.m})).toEqual([])
      expect(await s.drift({machine: w.m})).toEqual([])
    })

    // ------------------------------------------------------------ tree
    it('tree: requirements and locks by id, depths from the direct locks, dangling ids with a null version', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      expect(await s.tree(projectKey(w.m, '/srv/tool'))).toEqual({
        project: w.ref('/srv/tool', {team: 'ops', owner: 'dave'}),
        requires: [
          {id: id('cli'), range: '^1.0.0', optional: false},
          {id: id('log'), range: '^1.0.0', optional: false},
        ],
        locks: [
          {id: id('cli'), version: '1.0.0', direct: true, depth: 1, dependencies: [{id: id('gone'), version: null}, {id: id('log'), version: '1.0.0'}, {id: id('util'), version: '2.0.0'}]},
          {id: id('log'), version: '1.0.0', direct: true, depth: 1, dependencies: [{id: id('util'), version: '2.0.0'}]},
          {id: id('util'), version: '2.0.0', direct: false, depth: 2, dependencies: []},
        ],
      })
    })

    it('tree: an unreachable lock has depth null; --depth keeps only locks that deep', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      const blog = await s.tree(projectKey(w.m, '/srv/blog'))
      expect(blog!.locks.map((l) => [l.id, l.depth])).toEqual([
        [id('log'), 2],
        [id('orphan'), null],
        [id('util'), 2],
        [id('web'), 1],
      ])
      const shallow = await s.tree(projectKey(w.m, '/srv/blog'), {depth: 1})
      expect(shallow!.locks.map((l) => l.id)).toEqual([id('web')])
      expect(shallow!.locks[0]!.dependencies).toEqual([{id: id('log'), version: '1.0.0'}, {id: id('util'), version: '1.2.0'}])
      const loop = await s.tree(projectKey(w.m, '/srv/loop'))
      expect(loop!.requires).toEqual([
        {id: id('a'), range: '^1', optional: false},
        {id: id('opt'), range: '^1', optional: true},
        {id: id('self'), range: '*', optional: false},
        {id: id('want'), range: '~2.0.0', optional: false},
      ])
      expect(loop!.locks.map((l) => [l.id, l.depth])).toEqual([
        [id('a'), 1],
        [id('b'), 2],
        [id('c'), 3],
        [id('self'), 1],
      ])
      expect(await s.tree(projectKey(w.m, '/srv/none'))).toBeNull()
    })

    // ------------------------------------------------------------ why
    it('why: every simple path from a direct lock, shortest first then by ids; a direct package has its own one-step path', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      const rows = await s.why(id('util'), {machine: w.m})
      expect(rows.map((r) => r.project.path)).toEqual(['/srv/blog', '/srv/shop', '/srv/tool'])
      const shop = rows[1]!
      expect(shop).toEqual({
        project: w.ref('/srv/shop', {team: 'web', owner: 'dave'}),
        version: '1.3.0',
        direct: true,
        paths: [
          [{id: id('util'), version: '1.3.0'}],
          [{id: id('web'), version: '1.5.0'}, {id: id('util'), version: '1.3.0'}],
          [{id: id('web'), version: '1.5.0'}, {id: id('log'), version: '1.0.0'}, {id: id('util'), version: '1.3.0'}],
        ],
        count: 3,
        truncated: false,
      })
      const tool = rows[2]!
      expect(tool.direct).toBe(false)
      expect(tool.paths.map((p) => p.map((x) => x.id))).toEqual([
        [id('cli'), id('util')],
        [id('log'), id('util')],
        [id('cli'), id('log'), id('util')],
      ])
    })

    it('why: limit keeps the shortest paths and says how many there are; scoped to one project; unknown id is empty', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      const [shop] = await s.why(id('util'), {projectKey: projectKey(w.m, '/srv/shop'), limit: 2})
      expect(shop!.paths.map((p) => p.length)).toEqual([1, 2])
      expect(shop!.count).toBe(3)
      expect(shop!.truncated).toBe(true)
      expect(await s.why(id('util'), {projectKey: projectKey(w.m, '/srv/loop')})).toEqual([])
      expect(await s.why(id('nothing'), {machine: w.m})).toEqual([])
      // a cycle is walked without repeating a lock
      const [loop] = await s.why(id('c'), {machine: w.m})
      expect(loop!.paths.map((p) => p.map((x) => x.id))).toEqual([[id('a'), id('b'), id('c')]])
      // unreachable: locked, no path
      const [blog] = await s.why(id('orphan'), {machine: w.m})
      expect(blog).toMatchObject({version: '1.0.0', direct: false, paths: [], count: 0, truncated: false})
    })

    it('why with one path and a cap of one (what dependents shows): every project locking it, direct or not, with its shortest path', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      const util = (v: string) => ({id: id('util'), version: v})
      const rows = await s.why(id('util'), {machine: w.m, limit: 1, cap: 1})
      expect(rows.map((r) => [r.project.path, r.version, r.direct, r.paths, r.count, r.truncated])).toEqual([
        ['/srv/blog', '1.2.0', false, [[{id: id('web'), version: '1.5.0'}, util('1.2.0')]], 1, false],
        ['/srv/shop', '1.3.0', true, [[util('1.3.0')]], 1, false],
        ['/srv/tool', '2.0.0', false, [[{id: id('cli'), version: '1.0.0'}, util('2.0.0')]], 1, false],
      ])
      // the cap only stops the counting: without it the same first path, and all three counted
      const [shop] = await s.why(id('util'), {projectKey: projectKey(w.m, '/srv/shop'), limit: 1})
      expect(shop).toMatchObject({paths: [[util('1.3.0')]], count: 3, truncated: true})
      // locked but unreachable: listed, with no path
      expect(await s.why(id('orphan'), {machine: w.m, limit: 1, cap: 1})).toMatchObject([{project: {path: '/srv/blog'}, direct: false, paths: [], count: 0}])
      // a machine filter that matches nothing answers nothing
      expect(await s.why(id('util'), {machine: `${w.m}-nosuch`, limit: 1, cap: 1})).toEqual([])
    })

    // ------------------------------------------------------------ requirers
    it('requirers: ggen.toml first, then locked requirers by id; projects that lock, require or have a requirer of it', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      const rows = await s.requirers(id('util'), {machine: w.m})
      expect(rows).toEqual([
        {project: w.ref('/srv/blog', {team: 'web', owner: 'erin'}), version: '1.2.0', direct: false, requirers: [{requirer: `${id('log')}@1.0.0`, range: '^1.0.0'}, {requirer: `${id('web')}@1.5.0`, range: '^1.3.0'}]},
        {
          project: w.ref('/srv/shop', {team: 'web', owner: 'dave'}),
          version: '1.3.0',
          direct: true,
          requirers: [
            {requirer: 'ggen.toml', range: '^1.3.0'},
            {requirer: `${id('log')}@1.0.0`, range: '^1.0.0'},
            {requirer: `${id('web')}@1.5.0`, range: '^1.3.0'},
          ],
        },
        {project: w.ref('/srv/tool', {team: 'ops', owner: 'dave'}), version: '2.0.0', direct: false, requirers: [{requirer: `${id('cli')}@1.0.0`, range: '^2.0.0'}, {requirer: `${id('log')}@1.0.0`, range: '^1.0.0'}]},
      ])
      const want = await s.requirers(id('want'), {machine: w.m})
      expect(want).toEqual([{project: w.ref('/srv/loop', {team: 'ops'}), version: null, direct: true, requirers: [{requirer: 'ggen.toml', range: '~2.0.0'}]}])
      expect((await s.requirers(id('util'), {machine: w.m, team: 'web', owner: 'dave'})).map((r) => r.project.path)).toEqual(['/srv/shop'])
      expect((await s.requirers(id('util'), {projectKey: projectKey(w.m, '/srv/tool')})).map((r) => r.version)).toEqual(['2.0.0'])
      expect(await s.requirers(id('util'), {machine: 'elsewhere'})).toEqual([])
    })

    // ------------------------------------------------------------ unsatisfied
    it('unsatisfied: ranges the locks miss, and required ids not locked (optional ones excepted), sorted', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      const rows = await s.unsatisfied({machine: w.m})
      expect(rows).toEqual([
        {project: w.ref('/srv/blog', {team: 'web', owner: 'erin'}), id: id('util'), locked: '1.2.0', requirer: `${id('web')}@1.5.0`, range: '^1.3.0'},
        {project: w.ref('/srv/loop', {team: 'ops'}), id: id('want'), locked: null, requirer: 'ggen.toml', range: '~2.0.0'},
        {project: w.ref('/srv/tool', {team: 'ops', owner: 'dave'}), id: id('util'), locked: '2.0.0', requirer: `${id('log')}@1.0.0`, range: '^1.0.0'},
      ])
      expect(await s.unsatisfied({projectKey: projectKey(w.m, '/srv/shop')})).toEqual([])
    })

    it('unsatisfied: a declared dependency the project does not lock is reported with locked null', async () => {
      const w = world()
      const {id, m} = w
      const s = await fresh()
      await s.load(
        snapshot(m, [ver(id('app'), '1.0.0', {[id('lib')]: '^1.0.0', [id('x')]: '>=2'}), ver(id('x'), '1.9.0')], [proj(m, '/srv/p', {requires: [rq(id('app'), '1.0.0')], locks: [lk(id('app'), '1.0.0', [id('x')]), lk(id('x'), '1.9.0')]})]),
      )
      expect(await s.unsatisfied({machine: m})).toEqual([
        {project: w.ref('/srv/p'), id: id('lib'), locked: null, requirer: `${id('app')}@1.0.0`, range: '^1.0.0'},
        {project: w.ref('/srv/p'), id: id('x'), locked: '1.9.0', requirer: `${id('app')}@1.0.0`, range: '>=2'},
      ])
    })

    // ------------------------------------------------------------ cycles
    it('cycles: one per strongly connected component, the shortest cycle from its smallest id; self-loops count', async () => {
      const w = world()
      const s = await loaded(w)
      const {id} = w
      expect(await s.cycles({machine: w.m})).toEqual([
        {project: w.ref('/srv/loop', {team: 'ops'}), cycle: [{id: id('a'), version: '1.0.0'}, {id: id('b'), version: '1.0.0'}, {id: id('c'), version: '1.0.0'}], members: [id('a'), id('b'), id('c')]},
        {project: w.ref('/srv/loop', {team: 'ops'}), cycle: [{id: id('self'), version: '1.0.0'}], members: [id('self')]},
      ])
      expect(await s.cycles({projectKey: projectKey(w.m, '/srv/shop')})).toEqual([])
    })

    it('cycles: the shortest cycle through the smallest member is chosen over a longer one', async () => {
      const w = world()
      const {id, m} = w
      // p -> q -> r -> p and p -> r -> p: shortest from p is p -> r
      const s = await fresh()
      await s.load(
        snapshot(m, [], [proj(m, '/srv/x', {requires: [rq(id('p'), '*')], locks: [lk(id('p'), '1.0.0', [id('q'), id('r')]), lk(id('q'), '1.0.0', [id('r')]), lk(id('r'), '1.0.0', [id('p')])]})]),
      )
      const [c] = await s.cycles({machine: m})
      expect(c!.cycle.map((x) => x.id)).toEqual([id('p'), id('r')])
      expect(c!.members).toEqual([id('p'), id('q'), id('r')])
    })

    // ------------------------------------------------------------ unreachable
    it('unreachable: locks no path from ggen.toml reaches; projects without requirements report none', async () => {
      const w = world()
      const {id, m} = w
      const s = await fresh()
      const base2 = base(w)
      base2.projects.push(proj(m, '/srv/zz-lockonly', {locks: [lk(id('util'), '1.2.0')]}))
      await s.load(snapshot(m, base2.versions, base2.projects))
      expect(await s.unreachable({machine: m})).toEqual([{project: w.ref('/srv/blog', {team: 'web', owner: 'erin'}), id: id('orphan'), version: '1.0.0'}])
      expect(await s.unreachable({projectKey: projectKey(m, '/srv/shop')})).toEqual([])
    })

    // ------------------------------------------------------------ drift
    it('drift: packages locked at several versions, versions by semver, projects by path; filters', async () => {
      const w = world()
      const {id, m} = w
      const s = await fresh()
      const b = base(w)
      b.projects.push(proj(m, '/srv/zz-old', {team: 'web', requires: [rq(id('util'), '^1.10.0')], locks: [lk(id('util'), '1.10.0')]}))
      await s.load(snapshot(m, b.versions, b.projects))
      const blog = w.ref('/srv/blog', {team: 'web', owner: 'erin'})
      const shop = w.ref('/srv/shop', {team: 'web', owner: 'dave'})
      const tool = w.ref('/srv/tool', {team: 'ops', owner: 'dave'})
      const old = w.ref('/srv/zz-old', {team: 'web'})
      expect(await s.drift({machine: m})).toEqual([
        {
          id: id('util'),
          versions: [
            {version: '1.2.0', projects: [blog]},
            {version: '1.3.0', projects: [shop]},
            {version: '1.10.0', projects: [old]},
            {version: '2.0.0', projects: [tool]},
          ],
        },
      ])
      expect((await s.drift({machine: m, team: 'web'}))[0]!.versions.map((x) => x.version)).toEqual(['1.2.0', '1.3.0', '1.10.0'])
      expect(await s.drift({machine: m, owner: 'dave'})).toEqual([{id: id('util'), versions: [{version: '1.3.0', projects: [shop]}, {version: '2.0.0', projects: [tool]}]}])
      expect(await s.drift({machine: m, ids: [id('web'), id('log')]})).toEqual([])
      expect(await s.drift({machine: m, team: 'nobody'})).toEqual([])
    })

    // ------------------------------------------------------------ several machines
    multi('several machines: drift and why across machines; a machine scope keeps to one', async () => {
      const w = world()
      const {id, m} = w
      const other = `${m}-b`
      const s = await loaded(w, snapshot(other, [ver(id('util'), '1.3.0')], [proj(other, '/srv/shop', {requires: [rq(id('util'), '^1.0.0')], locks: [lk(id('util'), '1.3.0')]})]))
      const d = (await s.drift({ids: [id('util')]})).find((x) => x.id === id('util'))!
      expect(d.versions.find((x) => x.version === '1.3.0')!.projects.map((p) => p.key)).toEqual([projectKey(m, '/srv/shop'), projectKey(other, '/srv/shop')])
      expect((await s.why(id('util'), {machine: other})).map((r) => r.project.key)).toEqual([projectKey(other, '/srv/shop')])
      const all = await s.why(id('util'))
      expect(all.map((r) => r.project.key)).toEqual([projectKey(m, '/srv/blog'), projectKey(m, '/srv/shop'), projectKey(m, '/srv/tool'), projectKey(other, '/srv/shop')])
      expect(await s.tree(projectKey(other, '/srv/shop'))).toMatchObject({locks: [{id: id('util'), version: '1.3.0', direct: true, depth: 1}]})
    })

    multi("several machines: a version's ranges are those of the first machine that loaded it", async () => {
      const w = world()
      const {id, m} = w
      const other = `${m}-b`
      // the second machine says web 1.5.0 requires util ^9 - the first machine's ^1.3.0 wins
      const s = await loaded(w, snapshot(other, [ver(id('web'), '1.5.0', {[id('util')]: '^9.0.0'})], [proj(other, '/srv/x', {requires: [rq(id('web'), '*')], locks: [lk(id('web'), '1.5.0', [id('util')]), lk(id('util'), '1.3.0')]})]))
      const [x] = await s.requirers(id('util'), {projectKey: projectKey(other, '/srv/x')})
      expect(x!.requirers).toEqual([{requirer: `${id('web')}@1.5.0`, range: '^1.3.0'}])
      // ^9.0.0 would leave util 1.3.0 unsatisfied; the first machine's ranges only miss log
      expect(await s.unsatisfied({machine: other})).toEqual([{project: w.ref('/srv/x', {machine: other}), id: id('log'), locked: null, requirer: `${id('web')}@1.5.0`, range: '^1.0.0'}])
    })

    // ------------------------------------------------------------ random graphs
    it(`random graphs: every answer equals the embedded adapter's (${caps.randomRuns ?? 25} runs)`, async () => {
      const w = world()
      await fc.assert(
        fc.asyncProperty(randomWorld(w), async (snap) => {
          const s = await fresh()
          const mem = new MemoryGraphStore()
          await s.load(snap)
          await mem.load(snap)
          const ask = async (st: Store) => {
            const out: unknown[] = []
            const scope = {machine: w.m}
            out.push(await st.unsatisfied(scope), await st.cycles(scope), await st.unreachable(scope), await st.drift(scope), await st.drift({...scope, team: 'web'}))
            for (const p of snap.projects) {
              out.push(await st.tree(p.key), await st.tree(p.key, {depth: 1}), await st.unsatisfied({projectKey: p.key}), await st.cycles({projectKey: p.key}), await st.unreachable({projectKey: p.key}))
            }
            for (const n of [...NAMES, 'ghost']) {
              out.push(await st.why(w.id(n), {...scope, limit: 3}), await st.why(w.id(n), {...scope, limit: 1, cap: 1}), await st.requirers(w.id(n), scope), await st.requirers(w.id(n), {...scope, owner: 'dave'}))
            }
            return out
          }
          expect(await ask(s)).toEqual(await ask(mem))
          await mem.close()
        }),
        {numRuns: caps.randomRuns ?? 25},
      )
    }, 240_000) // ~60 questions per run; a shared server on a busy machine needs the time
  })
}
