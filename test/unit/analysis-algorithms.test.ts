/**
 * The memory adapter's graph algorithms (src/graph/memory/*): lock graphs, depths, simple paths,
 * strongly connected components, cycles, and the cached range check. Pure; no IO.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {cycles, forEachCycle} from '../../src/graph/memory/cycles.js'
import {depths, forEachDepth} from '../../src/graph/memory/depths.js'
import {lockGraph, reverseAdjacency, type LockInput} from '../../src/graph/memory/lock-graph.js'
import semver from 'semver'
import {shortestTree, treePath} from '../../src/graph/memory/shortest-path.js'
import {forEachSimplePath, simplePaths} from '../../src/graph/memory/simple-paths.js'
import {stronglyConnectedComponents} from '../../src/graph/memory/strongly-connected.js'
import {satisfies, satisfiesUncached} from '../../src/resolve/versions.js'

const L = (id: string, dependencies: string[] = [], direct = false, version = '1.0.0'): LockInput => ({id, version, direct, dependencies})
const ids = (g: ReturnType<typeof lockGraph>, nodes: number[]) => nodes.map((n) => g.ids[n])

describe('lockGraph', () => {
  it('sorts ids, keeps the first row of an id, splits locked from dangling dependencies', () => {
    const g = lockGraph([L('b', ['a', 'zz', 'a', 'b']), L('a', ['b'], true), L('b', ['c'], false, '9.9.9')])
    expect(g.ids).toEqual(['a', 'b'])
    expect(g.versions).toEqual(['1.0.0', '1.0.0'])
    expect(g.direct).toEqual([true, false])
    expect(g.out.map((o) => [...o])).toEqual([[1], [0, 1]])
    expect(g.dangling).toEqual([[], ['zz']])
    expect(g.index.get('b')).toBe(1)
    expect(reverseAdjacency(g).map((r) => [...r])).toEqual([[1], [0, 1]])
  })

  it('validates its input with a namespaced message', () => {
    expect(() => lockGraph(null as unknown as LockInput[])).toThrow(/ggen-packs\/memory\/lock-graph/)
    expect(() => depths({} as never)).toThrow(/ggen-packs\/memory\/depths/)
  })
})

/** the ids along the first path to `target` by shortestTree; null when it is not locked */
const shortestPath = (locks: LockInput[], target: string): string[] | null => {
  const g = lockGraph(locks)
  const t = g.index.get(target)
  return t === undefined ? null : treePath(g, shortestTree(g), t).map((n) => `${g.ids[n]}@${g.versions[n]}`)
}

describe('shortestTree (why with one path, for dependents and the security scan)', () => {
  it('gives the first path simplePaths gives; [] when unreachable', () => {
    const locks = [L('a', ['b', 'c', 'd'], true), L('b', ['c', 'd']), L('c', ['d']), L('d'), L('e', ['d'], true), L('lost', ['d'])]
    const ids = (t: string) => shortestPath(locks, t)?.map((k) => k.split('@')[0])
    expect(ids('c')).toEqual(['a', 'c'])
    expect(ids('d')).toEqual(['a', 'd'])
    expect(ids('e')).toEqual(['e'])
    expect(ids('lost')).toEqual([])
    expect(ids('nope')).toBeUndefined()
    expect(() => shortestTree(null as never)).toThrow(/ggen-packs\/memory\/shortest-path/)
  })

  it('agrees with simplePaths(limit 1) on random graphs: repeated rows, dangling ids, self-loops, cycles', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f']
    fc.assert(
      fc.property(
        fc.array(fc.record({id: fc.constantFrom(...names), deps: fc.array(fc.constantFrom(...names, 'ghost'), {maxLength: 4}), direct: fc.boolean(), v: fc.constantFrom('1.0.0', '2.0.0')}), {maxLength: 10}),
        fc.constantFrom(...names),
        (rows, target) => {
          const locks = rows.map((r) => L(r.id, r.deps, r.direct, r.v))
          const g = lockGraph(locks)
          const t = g.index.get(target)
          const got = shortestPath(locks, target)
          const first = t === undefined ? null : (simplePaths(g, t, {limit: 1, cap: 1}).paths[0] ?? [])
          expect(got).toEqual(first?.map((n) => `${g.ids[n]}@${g.versions[n]}`) ?? null)
        },
      ),
      {numRuns: 500},
    )
  })
})

describe('depths', () => {
  it('breadth-first from every direct lock; unreachable locks have depth 0', () => {
    const g = lockGraph([L('app', ['mid', 'leaf'], true), L('mid', ['leaf', 'deep']), L('deep'), L('leaf'), L('lost', ['leaf']), L('tool', ['deep'], true)])
    expect(Object.fromEntries(g.ids.map((id, i) => [id, depths(g)[i]]))).toEqual({app: 1, deep: 2, leaf: 2, lost: 0, mid: 2, tool: 1})
    const order: string[] = []
    forEachDepth(g, (n) => order.push(g.ids[n]!))
    expect(order).toEqual(['app', 'tool', 'leaf', 'mid', 'deep'])
  })
})

describe('simple paths', () => {
  // a -> b -> d, a -> c -> d, a -> d, b -> c ; e direct -> d
  const g = lockGraph([L('a', ['b', 'c', 'd'], true), L('b', ['c', 'd']), L('c', ['d']), L('d'), L('e', ['d'], true)])
  const d = g.index.get('d')!

  it('come shortest first, then in id order', () => {
    const r = simplePaths(g, d)
    expect(r.paths.map((p) => ids(g, p).join(''))).toEqual(['ad', 'ed', 'abd', 'acd', 'abcd'])
    expect(r.count).toBe(5)
    expect(r.truncated).toBe(false)
  })

  it('limit keeps the first (shortest); the count goes on up to the cap', () => {
    expect(simplePaths(g, d, {limit: 2})).toEqual({paths: [[0, 3], [4, 3]], count: 5, truncated: true})
    expect(simplePaths(g, d, {limit: 1, cap: 3})).toMatchObject({count: 3, truncated: true})
    expect(() => simplePaths(g, d, {limit: -1})).toThrow(/limit/)
  })

  it('a direct target is its own path; the target is never passed through; cycles are not repeated', () => {
    const h = lockGraph([L('x', ['y'], true), L('y', ['x', 'z'], true), L('z', ['y'])])
    expect(simplePaths(h, h.index.get('y')!).paths.map((p) => ids(h, p).join(''))).toEqual(['y', 'xy'])
    expect(simplePaths(h, h.index.get('z')!).paths.map((p) => ids(h, p).join(''))).toEqual(['yz', 'xyz'])
    expect(simplePaths(h, h.index.get('x')!).paths.map((p) => ids(h, p).join(''))).toEqual(['x', 'yx'])
  })

  it('forEachSimplePath stops when the callback returns false; bad targets are rejected', () => {
    let n = 0
    forEachSimplePath(g, d, () => ++n < 2)
    expect(n).toBe(2)
    expect(() => simplePaths(g, 99)).toThrow(/ggen-packs\/memory\/simple-paths: target 99/)
  })

  it('agree with brute-force enumeration on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 7}).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), {maxLength: 16}), fc.array(fc.boolean(), {minLength: n, maxLength: n}), fc.nat(n - 1)),
        ),
        ([n, edges, direct, target]) => {
          const names = Array.from({length: n}, (_, i) => `n${i}`)
          const g = lockGraph(names.map((id, i) => L(id, edges.filter(([a]) => a === i).map(([, b]) => names[b]!), direct[i])))
          // brute force: every simple path from a direct node ending at target (target only at the end)
          const found: string[] = []
          const walk = (path: number[]) => {
            const last = path[path.length - 1]!
            if (last === target) {
              found.push(path.join(','))
              return
            }
            for (const m of g.out[last]!) if (!path.includes(m)) walk([...path, m])
          }
          for (let i = 0; i < n; i++) if (g.direct[i]) walk([i])
          const r = simplePaths(g, target, {limit: 10_000})
          expect(r.paths.map((p) => p.join(',')).sort()).toEqual(found.sort())
          expect(r.count).toBe(found.length)
          // order: by length, then lexicographic
          for (let i = 1; i < r.paths.length; i++) {
            const a = r.paths[i - 1]!
            const b = r.paths[i]!
            expect(a.length < b.length || (a.length === b.length && a.join(',') <= b.join(','))).toBe(true)
          }
        },
      ),
      {numRuns: 300},
    )
  })
})

describe('strongly connected components and cycles', () => {
  it('components ascending by their smallest node, nodes ascending', () => {
    const g = lockGraph([L('a', ['b']), L('b', ['c']), L('c', ['a', 'd']), L('d', ['e']), L('e', ['d']), L('f', ['f']), L('g')])
    expect(stronglyConnectedComponents(g).map((c) => ids(g, c).join(''))).toEqual(['abc', 'de', 'f', 'g'])
  })

  it('one cycle per component with a cycle; the shortest through the smallest member; self-loops count; DAGs have none', () => {
    const g = lockGraph([L('a', ['b', 'c']), L('b', ['c']), L('c', ['a', 'd']), L('d', ['e']), L('e', ['d']), L('f', ['f']), L('g')])
    expect(cycles(g).map((c) => ({cycle: ids(g, c.cycle).join(''), members: ids(g, c.members).join('')}))).toEqual([
      {cycle: 'ac', members: 'abc'},
      {cycle: 'de', members: 'de'},
      {cycle: 'f', members: 'f'},
    ])
    let n = 0
    forEachCycle(lockGraph([L('x', ['y']), L('y', ['z']), L('z')]), () => n++)
    expect(n).toBe(0)
  })

  it('handles a 50,000-lock chain and ring without overflowing the stack', () => {
    const N = 50_000
    const name = (i: number) => `p${String(i).padStart(6, '0')}`
    const chain = lockGraph(Array.from({length: N}, (_, i) => L(name(i), i + 1 < N ? [name(i + 1)] : [], i === 0)))
    expect(stronglyConnectedComponents(chain).length).toBe(N)
    expect(depths(chain)[N - 1]).toBe(N)
    const ring = lockGraph(Array.from({length: N}, (_, i) => L(name(i), [name((i + 1) % N)], i === 0)))
    const [c] = cycles(ring)
    expect(c!.cycle.length).toBe(N)
    expect(c!.members.length).toBe(N)
  })
})

describe('satisfies (cached)', () => {
  it('answers exactly as semver.satisfies does on valid versions, uncached and cached alike, including odd versions and ranges', () => {
    const versions = ['1.2.3', '1.3.0', '2.0.0', '2.0.0-beta.1', '0.0.0', 'v1.2.3', ' 1.2.3 ', 'abc', '1.2', 'latest', '*', '10.0.0']
    const ranges = ['^1.2.0', '~1.2.0', '>=1 <2', '*', '', 'x', 'latest', ' ^1 ', '1.2.3', 'abc', 'garbage range!', '>=2.0.0-beta.0', '1.x || >=3', '=1.3.0']
    const reference = (v: string, r: string): boolean => {
      const t = r.trim()
      if (t === '' || t === '*' || t === 'latest' || t === 'x' || v === t) return true
      const valid = semver.valid(v)
      return valid !== null && semver.satisfies(valid, t)
    }
    for (let round = 0; round < 2; round++) for (const v of versions) for (const r of ranges) {
      expect(satisfies(v, r), `${v} in ${r}`).toBe(reference(v, r))
      expect(satisfiesUncached(v, r), `${v} in ${r}`).toBe(reference(v, r))
    }
  })
})
