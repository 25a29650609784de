import {describe, expect, it} from 'vitest'
import {resolve, type CandidateVersion, type VersionSource} from '../../src/resolve/resolver.js'
import {thrown as catchErr} from '../support/errors.js'

function source(pkgs: Record<string, Record<string, Record<string, string> | {deps?: Record<string, string>; yanked?: boolean}>>): VersionSource {
  return {
    versions(id) {
      const p = pkgs[id]
      if (!p) return undefined
      return Object.entries(p).map(([version, v]): CandidateVersion => {
        const isSpec = 'deps' in v || 'yanked' in v
        return {version, dependencies: isSpec ? ((v as {deps?: Record<string, string>}).deps ?? {}) : (v as Record<string, string>), yanked: isSpec ? (v as {yanked?: boolean}).yanked : false}
      })
    },
  }
}

const versions = (r: ReturnType<typeof resolve>) => Object.fromEntries(Object.values(r.packages).map((p) => [p.id, p.version]))


describe('resolver', () => {
  it('picks the newest satisfying versions, transitively, one per id', () => {
    const s = source({
      web: {'1.0.0': {util: '^1.0.0'}, '1.5.0': {util: '^1.2.0'}, '2.0.0': {util: '^2.0.0'}},
      util: {'1.0.0': {}, '1.2.0': {}, '1.3.0': {}, '2.0.0': {}},
    })
    expect(versions(resolve(s, {roots: {web: '^1.0.0'}}))).toEqual({web: '1.5.0', util: '1.3.0'})
    expect(versions(resolve(s, {roots: {web: '*'}}))).toEqual({web: '2.0.0', util: '2.0.0'})
  })

  it('supports ~, >=, <, space-joined and exact ranges', () => {
    const s = source({a: {'1.1.0': {}, '1.1.5': {}, '1.2.0': {}, '2.0.0': {}}})
    expect(versions(resolve(s, {roots: {a: '~1.1.0'}}))).toEqual({a: '1.1.5'})
    expect(versions(resolve(s, {roots: {a: '>=1.1.0 <1.2.0'}}))).toEqual({a: '1.1.5'})
    expect(versions(resolve(s, {roots: {a: '<2'}}))).toEqual({a: '1.2.0'})
    expect(versions(resolve(s, {roots: {a: '1.1.0'}}))).toEqual({a: '1.1.0'})
    expect(versions(resolve(s, {roots: {a: '1.x'}}))).toEqual({a: '1.2.0'})
  })

  it('keeps a locked version while it still satisfies, and drops it when unlocked', () => {
    const s = source({a: {'1.0.0': {}, '1.4.0': {}}})
    expect(versions(resolve(s, {roots: {a: '^1.0.0'}, locked: {a: '1.0.0'}}))).toEqual({a: '1.0.0'})
    expect(versions(resolve(s, {roots: {a: '^1.0.0'}, locked: {a: '1.0.0'}, unlock: new Set(['a'])}))).toEqual({a: '1.4.0'})
    expect(versions(resolve(s, {roots: {a: '^1.2.0'}, locked: {a: '1.0.0'}}))).toEqual({a: '1.4.0'})
  })

  it('skips yanked versions unless they are locked', () => {
    const s = source({a: {'1.0.0': {}, '1.1.0': {yanked: true}}})
    expect(versions(resolve(s, {roots: {a: '^1.0.0'}}))).toEqual({a: '1.0.0'})
    expect(versions(resolve(s, {roots: {a: '^1.0.0'}, locked: {a: '1.1.0'}}))).toEqual({a: '1.1.0'})
  })

  it('ignores prereleases unless a range names one', () => {
    const s = source({a: {'1.0.0': {}, '1.1.0-beta.1': {}}})
    expect(versions(resolve(s, {roots: {a: '^1.0.0'}}))).toEqual({a: '1.0.0'})
    expect(versions(resolve(s, {roots: {a: '>=1.1.0-beta.0'}}))).toEqual({a: '1.1.0-beta.1'})
  })

  it('backtracks to an older version of a requirer when the newest cannot be satisfied', () => {
    // app needs web ^1 and util ^1.0; web 1.5 needs util ^2 (conflict), web 1.4 needs util ^1.1
    const s = source({
      web: {'1.4.0': {util: '^1.1.0'}, '1.5.0': {util: '^2.0.0'}},
      util: {'1.1.0': {}, '1.3.0': {}, '2.0.0': {}},
      cli: {'1.0.0': {util: '~1.1.0'}},
    })
    expect(versions(resolve(s, {roots: {web: '^1.0.0', util: '^1.0.0'}}))).toEqual({web: '1.4.0', util: '1.3.0'})
    // deeper: cli pins util ~1.1.0, so util must be 1.1.0 and web must fall back to 1.4.0
    expect(versions(resolve(s, {roots: {cli: '^1.0.0', web: '^1.0.0'}}))).toEqual({cli: '1.0.0', web: '1.4.0', util: '1.1.0'})
  })

  it('when no solution exists, names every requirer with its range and the versions available', () => {
    const s = source({
      web: {'1.0.0': {util: '^2.0.0'}},
      cli: {'1.0.0': {util: '~1.1.0'}},
      util: {'1.1.0': {}, '2.0.0': {}, '2.1.0': {yanked: true}},
    })
    const e = catchErr(() => resolve(s, {roots: {web: '^1.0.0', cli: '^1.0.0'}, rootName: 'my-app'}))
    expect(e.code).toBe('E_RESOLVE')
    expect(e.message).toContain('`util`')
    expect(e.message).toContain('web@1.0.0 requires util ^2.0.0')
    expect(e.message).toContain('cli@1.0.0 requires util ~1.1.0')
    expect(e.message).toMatch(/available: 2\.1\.0 \(yanked\), 2\.0\.0, 1\.1\.0/)
    expect(e.hint).toContain('ggen packs resolve util')
  })

  it('mentions yanked versions that would have matched', () => {
    const s = source({a: {'1.0.0': {}, '2.0.0': {yanked: true}}})
    const e = catchErr(() => resolve(s, {roots: {a: '^2.0.0'}}))
    expect(e.message).toContain('2.0.0 would match but is yanked')
  })

  it('reports unknown root packages and dangling dependencies by name', () => {
    const s = source({web: {'1.0.0': {ghost: '^1.0.0'}}})
    expect(catchErr(() => resolve(s, {roots: {nope: '*'}})).code).toBe('E_NOT_FOUND')
    const e = catchErr(() => resolve(s, {roots: {web: '*'}}))
    expect(e.code).toBe('E_NOT_FOUND')
    expect(e.message).toContain('`ghost`')
    expect(e.message).toContain('web@1.0.0')
  })

  it('leaves out optional roots that no registry has', () => {
    const s = source({a: {'1.0.0': {}}})
    expect(versions(resolve(s, {roots: {a: '*', maybe: '*'}, optionalRoots: new Set(['maybe'])}))).toEqual({a: '1.0.0'})
  })

  it('records who requires each resolved package', () => {
    const s = source({web: {'1.0.0': {util: '^1.0.0'}}, util: {'1.0.0': {}}})
    const r = resolve(s, {roots: {web: '*', util: '1.0.0'}, rootName: 'app'})
    expect(r.packages.util!.requiredBy).toEqual(expect.arrayContaining([{requirer: 'app', range: '1.0.0'}, {requirer: 'web@1.0.0', range: '^1.0.0'}]))
  })
})

describe('compareVersions', () => {
  it('orders like semver.compareBuild, and puts non-semver versions last', async () => {
    const {compareVersions} = await import('../../src/resolve/versions.js')
    const semver = (await import('semver')).default
    const vs = ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '0.9.9', '1.10.0', '1.2.0', '2.0.0', '10.0.0', '1.0.0+build.5']
    for (const a of vs) for (const b of vs) expect(Math.sign(compareVersions(a, b)), `${a} vs ${b}`).toBe(Math.sign(semver.compareBuild(a, b)))
    expect(['zeta', '1.0.0', 'alpha', '0.1.0'].sort(compareVersions)).toEqual(['0.1.0', '1.0.0', 'alpha', 'zeta'])
  })

  it('is a total order: antisymmetric and transitive, also on invalid prereleases (1.0.0-01 vs 1.0.0-1)', async () => {
    const {compareVersions} = await import('../../src/resolve/versions.js')
    const fc = (await import('fast-check')).default
    expect(Math.sign(compareVersions('1.0.0-01', '1.0.0-1')) + Math.sign(compareVersions('1.0.0-1', '1.0.0-01'))).toBe(0)
    expect(compareVersions('1.0.0-1', '1.0.0-01')).toBeLessThan(0) // 1.0.0-01 is not semver: it sorts last
    const part = fc.constantFrom('0', '1', '01', '2', '10', 'alpha', 'beta', 'x-1')
    const version = fc.tuple(fc.constantFrom('0', '1', '2', '01'), fc.constantFrom('0', '1', '10'), fc.constantFrom('0', '3'), fc.option(fc.array(part, {minLength: 1, maxLength: 3})), fc.option(part)).map(
      ([a, b, c, pre, build]) => `${a}.${b}.${c}${pre ? `-${pre.join('.')}` : ''}${build ? `+${build}` : ''}`,
    )
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareVersions(a, b)) + Math.sign(compareVersions(b, a))).toBe(0)
        if (a !== b) expect(compareVersions(a, b)).not.toBe(0)
        if (compareVersions(a, b) < 0 && compareVersions(b, c) < 0) expect(compareVersions(a, c)).toBeLessThan(0)
      }),
      {numRuns: 2000},
    )
  })
})
