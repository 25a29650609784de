/**
 * The analysis use-cases' pure parts: tree nesting, why summaries, impact per project, dependents
 * export and messages, and the ways out of a conflict. No IO.
 */
import {describe, expect, it} from 'vitest'
import type {PackageUse, ProjectGraph, ResolvedLock} from '../../src/graph/graph-store.js'
import {Catalog} from '../../src/registry/catalog.js'
import type {RegistryIndex} from '../../src/domain/schemas.js'
import {changesText, fillTemplate} from '../../src/core/dependents.js'
import {dependentsCsv as exportCsv, parseExport} from '../../src/cli/views/dependents.js'
import {declarationDiff, impactFor, parseTarget, targetInfo} from '../../src/core/impact.js'
import {proposeWays, type Candidate, type ConflictRequirer} from '../../src/core/resolve-conflict.js'
import {nestTree} from '../../src/core/tree.js'
import {summarize} from '../../src/core/why.js'
import {isPacksError} from '../../src/domain/errors.js'
import {satisfies} from '../../src/resolve/versions.js'

const ref = {key: 'm:/p', name: 'p', path: '/p', machine: 'm'}
const lockRow = (id: string, depth: number | null, deps: [string, string | null][] = [], direct = depth === 1): ResolvedLock => ({
  id,
  version: '1.0.0',
  direct,
  depth,
  dependencies: deps.map(([d, v]) => ({id: d, version: v})),
})

describe('nestTree', () => {
  // app -> lib -> util ; app -> util ; tool -> lib ; lib -> gone (dangling) ; cyc <-> cyc2
  const g: ProjectGraph = {
    project: ref,
    requires: [
      {id: 'app', range: '*', optional: false},
      {id: 'cyc', range: '*', optional: false},
      {id: 'missing', range: '^1', optional: false},
      {id: 'opt', range: '^1', optional: true},
      {id: 'tool', range: '*', optional: false},
    ],
    locks: [
      lockRow('app', 1, [['lib', '1.0.0'], ['util', '1.0.0']]),
      lockRow('cyc', 1, [['cyc2', '1.0.0']]),
      lockRow('cyc2', 2, [['cyc', '1.0.0']]),
      lockRow('lib', 2, [['gone', null], ['util', '1.0.0']]),
      lockRow('tool', 1, [['lib', '1.0.0']]),
      lockRow('util', 2, []),
    ],
  }

  it('draws each subtree once at its shallowest place, marks shared, cycle and missing nodes, skips optional ones', () => {
    expect(nestTree(g)).toEqual([
      {
        id: 'app',
        version: '1.0.0',
        dependencies: [
          {id: 'lib', version: '1.0.0', dependencies: [{id: 'gone', version: null, dependencies: [], missing: true}, {id: 'util', version: '1.0.0', dependencies: []}]},
          {id: 'util', version: '1.0.0', dependencies: []},
        ],
      },
      {id: 'cyc', version: '1.0.0', dependencies: [{id: 'cyc2', version: '1.0.0', dependencies: [{id: 'cyc', version: '1.0.0', dependencies: [], cycle: true}]}]},
      {id: 'missing', version: null, dependencies: [], missing: true},
      {id: 'tool', version: '1.0.0', dependencies: [{id: 'lib', version: '1.0.0', dependencies: [], shared: true}]},
    ])
  })

  it('cuts at depth, marking nodes whose children are below it', () => {
    const cut = {...g, locks: g.locks.filter((l) => l.depth === 1)}
    expect(nestTree(cut, 1).map((n) => [n.id, n.truncated ?? false, n.dependencies.length])).toEqual([
      ['app', true, 0],
      ['cyc', true, 0],
      ['missing', false, 0],
      ['tool', true, 0],
    ])
  })

  it('expands a subtree at its shallowest level even when a deeper occurrence comes first', () => {
    // a -> b -> c -> d ; z -> c : c has depth 2 (via z), so under a/b it is shared
    const h: ProjectGraph = {
      project: ref,
      requires: [
        {id: 'a', range: '*', optional: false},
        {id: 'z', range: '*', optional: false},
      ],
      locks: [lockRow('a', 1, [['b', '1.0.0']]), lockRow('b', 2, [['c', '1.0.0']]), lockRow('c', 2, [['d', '1.0.0']]), lockRow('d', 3), lockRow('z', 1, [['c', '1.0.0']])],
    }
    const t = nestTree(h)
    expect(t[0]!.dependencies[0]!.dependencies[0]).toEqual({id: 'c', version: '1.0.0', dependencies: [], shared: true})
    expect(t[1]!.dependencies[0]).toEqual({id: 'c', version: '1.0.0', dependencies: [{id: 'd', version: '1.0.0', dependencies: []}]})
  })
})

describe('why summaries', () => {
  const p = (...ids: string[]) => ids.map((id) => ({id, version: '1.0.0'}))
  it('name the shortest path, and how many more there are', () => {
    expect(summarize({direct: false, paths: [p('web', 'util')], count: 1})).toBe('comes in through web 1.0.0 -> util 1.0.0')
    expect(summarize({direct: false, paths: [p('web', 'util'), p('cli', 'log', 'util')], count: 2})).toBe('comes in through web 1.0.0 -> util 1.0.0 (+1 more path, also via cli)')
    expect(summarize({direct: true, paths: [p('util')], count: 1})).toBe('direct dependency (ggen.toml)')
    expect(summarize({direct: true, paths: [p('util'), p('web', 'util')], count: 2})).toBe('direct dependency (ggen.toml); also through web')
    expect(summarize({direct: false, paths: [], count: 0})).toMatch(/unreachable/)
  })
})

describe('impact', () => {
  const use: PackageUse & {version: string} = {
    project: ref,
    version: '1.2.0',
    direct: false,
    requirers: [
      {requirer: 'ggen.toml', range: '*'},
      {requirer: 'web@1.5.0', range: '^1.0.0'},
    ],
  }
  const t = {id: 'util', to: '2.0.0', dependencies: {log: '^2.0.0', fresh: '^1.0.0'}, dependenciesOf: (v: string) => (v === '1.2.0' ? {log: '^1.0.0', old: '^1.0.0'} : null)}

  it('breaks when a requirer range excludes the target; moves the dependencies the locks do not satisfy', () => {
    const locks = new Map([
      ['log', new Map([['m:/p', '1.0.0']])],
      ['fresh', new Map<string, string>()],
    ])
    expect(impactFor(use, t, locks, false)).toEqual({
      project: {name: 'p', path: '/p'},
      from: '1.2.0',
      direct: false,
      breaks: true,
      reasons: [{requirer: 'web@1.5.0', range: '^1.0.0'}],
      moves: [
        {id: 'fresh', locked: null, range: '^1.0.0'},
        {id: 'log', locked: '1.0.0', range: '^2.0.0'},
      ],
    })
    expect(impactFor({...use, requirers: [{requirer: 'ggen.toml', range: '>=1'}]}, {...t, dependencies: null}, new Map(), true)).toMatchObject({breaks: false, reasons: [], moves: [], project: {machine: 'm'}})
  })

  it('added and removed compare the declarations of the versions in use with the target', () => {
    expect(declarationDiff(t, ['1.2.0', '1.2.0'])).toEqual({added: [{id: 'fresh', range: '^1.0.0'}], removed: [{id: 'old', range: '^1.0.0'}]})
    expect(declarationDiff({...t, dependencies: null}, ['1.2.0'])).toEqual({added: [], removed: []})
  })

  it('needs id@version; a version the registry lacks is an error naming the ones it has', () => {
    expect(parseTarget('io.x.util@2.0.0')).toEqual({id: 'io.x.util', version: '2.0.0'})
    expect(() => parseTarget('io.x.util')).toThrow(/names no version/)
    const cat = catalog({util: {'1.0.0': {}, '2.0.0': {}}})
    try {
      targetInfo(cat, 'util', '3.0.0')
      expect.unreachable()
    } catch (e) {
      expect(isPacksError(e) && e.code).toBe('E_VERSION_NOT_FOUND')
      expect(isPacksError(e) && e.hint).toContain('2.0.0, 1.0.0')
    }
  })
})

describe('dependents export and messages', () => {
  const d = {project: {name: 'shop, "eu"', path: '/srv/shop', team: 'web', owner: null}, version: '1.2.0', direct: true, via: null, path: [{id: 'util', version: '1.2.0'}]}
  const t = {...d, project: {...d.project, name: 'blog'}, direct: false, via: {id: 'web', version: '1.5.0'}, path: [{id: 'web', version: '1.5.0'}, {id: 'util', version: '1.2.0'}]}

  it('--export takes a format and a file, or a file with a known extension', () => {
    expect(parseExport(['csv', 'out.txt'])).toEqual({format: 'csv', file: 'out.txt'})
    expect(parseExport(['o.json'])).toEqual({format: 'json', file: 'o.json'})
    expect(() => parseExport(['xml', 'o.xml'])).toThrow(/--export takes a format and a file/)
    expect(() => parseExport(['o.txt'])).toThrow(/--export/)
  })

  it('CSV quotes what needs quoting', () => {
    expect(exportCsv({projects: [d, t]})).toBe('project,path,team,owner,version,direct,via\n"shop, ""eu""",/srv/shop,web,,1.2.0,true,\nblog,/srv/shop,web,,1.2.0,false,web@1.5.0\n')
  })

  it('templates fill known placeholders and report unknown ones', () => {
    expect(fillTemplate('Hi {{ owner }}, {{project}} uses {{version}} {{nope}}', {owner: 'dave', project: 'shop', version: '1.2.0'})).toEqual({text: 'Hi dave, shop uses 1.2.0 {{nope}}', unknown: ['nope']})
  })

  it('the changes text says what moves, what breaks and what comes along', () => {
    const text = changesText('util', '2.0.0', d, {project: {name: 'p', path: '/p'}, from: '1.2.0', direct: true, breaks: true, reasons: [{requirer: 'web@1.5.0', range: '^1.0.0'}], moves: [{id: 'log', locked: '1.0.0', range: '^2'}, {id: 'new', locked: null, range: '^1'}]})
    expect(text.split('\n')).toEqual([
      '- util: 1.2.0 -> 2.0.0 (required directly in ggen.toml)',
      '- breaks: web@1.5.0 requires util ^1.0.0, which 2.0.0 does not satisfy',
      '- also moves log from 1.0.0 (2.0.0 needs ^2)',
      '- adds new ^1',
    ])
    expect(changesText('util', '2.0.0', t, undefined)).toBe('- util: 1.2.0 -> 2.0.0 (a transitive dependency, through web 1.5.0)')
  })
})

function catalog(pkgs: Record<string, Record<string, {deps?: Record<string, string>; yanked?: boolean}>>): Catalog {
  const index: RegistryIndex = {
    format: 'ggen-packs-registry/1',
    keys: [],
    packages: Object.fromEntries(
      Object.entries(pkgs).map(([id, versions]) => [
        id,
        {
          id,
          name: id,
          description: '',
          keywords: [],
          tags: [],
          versions: Object.fromEntries(Object.entries(versions).map(([v, x]) => [v, {version: v, dependencies: x.deps ?? {}, production_ready: false, yanked: x.yanked ?? false}])),
        },
      ]),
    ),
  }
  return new Catalog([{location: {url: '/r', kind: 'dir', base: '/r'}, index, fromCache: false, fetchedAt: ''}] as never)
}

describe('ways out of a conflict', () => {
  // web 1.5.0 wants util ^1.3; cli 1.0.0 wants util ^2; cli 0.9.0 wants util ^1.0; web 1.4.0 wants util ^1.0
  const cat = catalog({
    util: {'1.2.0': {}, '1.3.0': {}, '2.0.0': {}},
    web: {'1.4.0': {deps: {util: '^1.0.0'}}, '1.5.0': {deps: {util: '^1.3.0'}}},
    cli: {'0.8.0': {deps: {}}, '0.9.0': {deps: {util: '^1.0.0'}}, '1.0.0': {deps: {util: '^2.0.0'}}, '1.1.0': {deps: {util: '^2.0.0'}, yanked: true}},
  })
  const requirers: ConflictRequirer[] = [
    {requirer: 'cli@1.0.0', range: '^2.0.0', satisfied: null, source: 'resolver'},
    {requirer: 'web@1.5.0', range: '^1.3.0', satisfied: null, source: 'resolver'},
  ]
  const candidates = (reqs: ConflictRequirer[]): Candidate[] =>
    cat.versions('util').map((v) => {
      const ok = reqs.filter((r) => (r.range === '^2.0.0' ? v.version.startsWith('2') : r.range === '^1.3.0' ? v.version === '1.3.0' : r.range === '~1.2.0' ? v.version === '1.2.0' : true)).map((r) => r.requirer)
      return {version: v.version, yanked: false, deprecated: null, satisfies: ok, all: ok.length === reqs.length}
    })

  it('moves a requirer to a version whose range accepts what the others accept (newest such first)', () => {
    const ways = proposeWays('util', requirers, candidates(requirers), cat, false)
    expect(ways).toEqual([
      {kind: 'move-requirer', summary: 'use cli 0.9.0, whose range (^1.0.0) accepts util 1.3.0 (pins cli = "0.9.0" in ggen.toml)', operation: {op: 'update', ids: ['cli'], to: '0.9.0'}},
    ])
  })

  it('re-resolves when the current ranges allow a version every requirer accepts; relaxes ggen.toml when only its range is in the way', () => {
    const stale: ConflictRequirer[] = [{requirer: 'web@1.5.0', range: '^1.3.0', satisfied: false, source: 'lockfile'}]
    expect(proposeWays('util', stale, candidates(stale), cat, true)[0]).toMatchObject({kind: 'reresolve', operation: {op: 'update', ids: ['util']}})
    const own: ConflictRequirer[] = [
      {requirer: 'ggen.toml', range: '~1.2.0', satisfied: true, source: 'lockfile'},
      {requirer: 'web@1.5.0', range: '^1.3.0', satisfied: false, source: 'lockfile'},
    ]
    const ways = proposeWays('util', own, candidates(own), cat, false)
    expect(ways.map((w) => w.kind)).toEqual(['relax', 'move-requirer'])
    expect(ways[0]).toMatchObject({operation: {op: 'install', ids: ['util@^1.3.0']}})
    expect(ways[1]!.summary).toContain('use web 1.4.0')
  })
})

describe('ways out of a conflict among three or more requirers', () => {
  // util 1.0.0 1.1.0 1.2.0; each requirer's range is given by the versions it accepts
  const three = (alternatives: Record<string, Record<string, {deps?: Record<string, string>}>> = {}) =>
    catalog({
      util: {'1.0.0': {}, '1.1.0': {}, '1.2.0': {}},
      a: {'1.0.0': {deps: {util: '1.0.0 || 1.1.0'}}, ...alternatives.a},
      b: {'1.0.0': {deps: {util: '1.1.0 || 1.2.0'}}, ...alternatives.b},
      c: {'1.0.0': {deps: {util: '1.0.0 || 1.2.0'}}, ...alternatives.c},
    })
  const reqs = (ranges: Record<string, string>): ConflictRequirer[] => Object.entries(ranges).map(([requirer, range]) => ({requirer, range, satisfied: null, source: 'resolver'}))
  /** the candidates as resolve computes them, with real semver */
  const candidatesOf = (cat: Catalog, rs: ConflictRequirer[]): Candidate[] =>
    cat.versions('util').map((v) => {
      const ok = rs.filter((r) => satisfies(v.version, r.range)).map((r) => r.requirer)
      return {version: v.version, yanked: false, deprecated: null, satisfies: ok, all: ok.length === rs.length}
    })
  const pairwise = reqs({'a@1.0.0': '1.0.0 || 1.1.0', 'b@1.0.0': '1.1.0 || 1.2.0', 'c@1.0.0': '1.0.0 || 1.2.0'})

  it('ranges that overlap two by two but not all together, and no other versions: no way out', () => {
    const cat = three()
    const cs = candidatesOf(cat, pairwise)
    expect(cs.map((c) => c.satisfies.length)).toEqual([2, 2, 2])
    expect(proposeWays('util', pairwise, cs, cat, false)).toEqual([])
  })

  it('one requirer moved to a version whose range accepts what the other two share', () => {
    const cat = three({c: {'2.0.0': {deps: {util: '^1.1.0'}}}})
    expect(proposeWays('util', pairwise, candidatesOf(cat, pairwise), cat, false)).toEqual([
      {kind: 'move-requirer', summary: 'use c 2.0.0, whose range (^1.1.0) accepts util 1.1.0 (pins c = "2.0.0" in ggen.toml)', operation: {op: 'update', ids: ['c'], to: '2.0.0'}},
    ])
  })

  it('several requirers moved together when no single move is enough; ggen.toml relaxed with them', () => {
    const disjoint = reqs({'ggen.toml': '1.2.0', 'a@1.0.0': '1.0.0', 'b@1.0.0': '1.1.0'})
    const cat = catalog({
      util: {'1.0.0': {}, '1.1.0': {}, '1.2.0': {}},
      a: {'1.0.0': {deps: {util: '1.0.0'}}, '2.0.0': {deps: {}}},
      b: {'1.0.0': {deps: {util: '1.1.0'}}, '2.0.0': {deps: {util: '^1.0.0'}}},
    })
    const ways = proposeWays('util', disjoint, candidatesOf(cat, disjoint), cat, false)
    expect(ways[0]).toEqual({
      kind: 'move-requirers',
      summary: 'move 2 requirers so that util 1.2.0 satisfies every one: use a 2.0.0, which no longer depends on util; use b 2.0.0, whose range (^1.0.0) accepts util 1.2.0 (pins a = "2.0.0", b = "2.0.0" in ggen.toml)',
      operation: {op: 'install', ids: ['a@2.0.0', 'b@2.0.0']},
    })
    // util 1.1.0 and 1.0.0 need ggen.toml relaxed as well
    expect(ways.slice(1).map((w) => w.operation.ids)).toEqual([
      ['util@^1.1.0', 'a@2.0.0'],
      ['util@^1.0.0', 'b@2.0.0'],
    ])
  })
})
