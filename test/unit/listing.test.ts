/**
 * Issue 9, listing: the pure parts under the list/search/info commands (test/commands/listing.test.ts
 * runs them through the binary): sort specs, glob matching, word splitting, short-name
 * resolution, and what the snapshot records for list rows.
 */
import {describe, expect, it} from 'vitest'
import {ENTRY_DIR, isEntryDir, toRow} from '../../src/core/list.js'
import {decodeRows, encodeListView, parseListView} from '../../src/core/list-view.js'
import type {InstalledVersion} from '../../src/graph/graph-store.js'
import {packagesNamed, resolvePackageName, suggestPackages} from '../../src/core/package-name.js'
import {wordsOf} from '../../src/core/search.js'
import {comparator, parseSortSpec} from '../../src/core/sort.js'
import {isPacksError} from '../../src/domain/errors.js'
import {buildSnapshot, sourceOf} from '../../src/graph/snapshot.js'
import type {StoreIndex} from '../../src/store/store.js'
import {globMatcher} from '../../src/util/glob.js'

describe('sort specs', () => {
  const fields = {size: {get: (r: {size: number | null; id: string}) => r.size}, id: {get: (r: {size: number | null; id: string}) => r.id}}

  it('comma-separated and repeated keys, - for descending, duplicates once, unknown keys refused', () => {
    expect(parseSortSpec(['size,-id', 'size'], fields)).toEqual([
      {key: 'size', descending: false},
      {key: 'id', descending: true},
    ])
    expect(() => parseSortSpec(['colour'], fields)).toThrow(/unknown sort key `colour`/)
    expect(() => parseSortSpec([','], fields)).toThrow(/empty key/)
  })

  it('missing values sort last in both directions; ties go to the tie-break', () => {
    const rows = [
      {id: 'c', size: null},
      {id: 'b', size: 2},
      {id: 'a', size: 2},
      {id: 'd', size: 1},
    ]
    const byId = (x: {id: string}, y: {id: string}) => (x.id < y.id ? -1 : 1)
    expect([...rows].sort(comparator(parseSortSpec(['size'], fields), fields, byId)).map((r) => r.id)).toEqual(['d', 'a', 'b', 'c'])
    expect([...rows].sort(comparator(parseSortSpec(['-size'], fields), fields, byId)).map((r) => r.id)).toEqual(['a', 'b', 'd', 'c'])
  })
})

describe('globs over ids', () => {
  it('* spans dots, not a scope slash; {a,b}, ?, case-insensitive; any pattern of several', async () => {
    const m = await globMatcher(['io.ggen.rust.*', '@acme/?i', 'IO.X.{A,B}'])
    expect(['io.ggen.rust.cli', 'io.ggen.rust.cli.extra', '@acme/ui', 'io.x.b'].every(m)).toBe(true)
    expect(['io.ggen.ts.react', 'io.ggen.rust', '@acme/deep/ui', 'io.x.c'].some(m)).toBe(false)
    expect((await globMatcher(['*']))('@acme/ui')).toBe(false)
    await expect(globMatcher(['io.[a'])).rejects.toSatisfy((e: unknown) => isPacksError(e) && e.code === 'E_USAGE')
  })
})

describe('search words', () => {
  it('split at punctuation and camelCase humps, whole tokens kept', () => {
    expect(wordsOf('io.ggen.rest-api')).toEqual(['io', 'ggen', 'rest', 'api'])
    expect(wordsOf('FastAPI RESTServer')).toEqual(['fastapi', 'fast', 'api', 'restserver', 'rest', 'server'])
  })
})

describe('short package names', () => {
  const pkgs = [{id: 'io.ggen.ts.react', name: 'React components'}, {id: 'io.ggen.rust.cli'}, {id: 'io.ggen.python.cli'}, {id: 'cli.tools'}, {id: '@acme/ui'}]

  it('exact id, last segment, display name, case-insensitive; several -> all of them', () => {
    expect(packagesNamed('io.ggen.rust.cli', pkgs)).toEqual(['io.ggen.rust.cli'])
    expect(packagesNamed('React', pkgs)).toEqual(['io.ggen.ts.react'])
    expect(packagesNamed('react components', pkgs)).toEqual(['io.ggen.ts.react'])
    expect(packagesNamed('ui', pkgs)).toEqual(['@acme/ui'])
    expect(packagesNamed('cli', pkgs)).toEqual(['io.ggen.python.cli', 'io.ggen.rust.cli'])
    expect(packagesNamed('tools', pkgs)).toEqual(['cli.tools'])
  })

  it('resolve: one id, or E_NOT_FOUND listing the candidates or the nearest names', () => {
    expect(resolvePackageName('REACT', pkgs)).toBe('io.ggen.ts.react')
    const err = (text: string) => {
      try {
        resolvePackageName(text, pkgs)
      } catch (e) {
        if (isPacksError(e)) return e
      }
      throw new Error('expected a PacksError')
    }
    expect(err('cli')).toMatchObject({code: 'E_NOT_FOUND', exitCode: 4, hint: 'Did you mean `io.ggen.python.cli`, `io.ggen.rust.cli`? Give the full id.'})
    expect(err('reakt').hint).toBe('Did you mean `io.ggen.ts.react`?')
    expect(err('zzzzzzzzzz').hint).toContain('ggen packs search zzzzzzzzzz')
    expect(suggestPackages('rust-cli', pkgs)[0]).toBe('io.ggen.rust.cli')
  })
})

describe('what the snapshot records for list rows', () => {
  const integrity = 'sha512-' + Buffer.alloc(64, 1).toString('base64')
  const project = (source: Record<string, string>) => ({
    path: '/w/app',
    config: null,
    lock: {packs: {'io.x.a': {version: '1.0.0', source: {type: 'Registry', url: '', ...source} as never, integrity, installed_at: '2024-01-01T00:00:00Z', dependencies: []}}},
  })

  it('store index description and presence, lockfile source', () => {
    // `description` is what an install that knows it records beside the other metadata
    const entry = {integrity, id: 'io.x.a', version: '1.0.0', size: 10, files: 1, added_at: '', dir: 'x', description: 'An A'}
    const store: StoreIndex = {format: 'ggen-packs-store/1', entries: {[integrity]: entry}}
    const s = buildSnapshot({machine: 'm', projects: [project({url: 'https://reg.example'})], store})
    expect(s.versions[0]).toMatchObject({description: 'An A', store_entry: 'x', source: 'https://reg.example', integrity})
    const bare = buildSnapshot({machine: 'm', projects: [project({url: 'https://reg.example'})]})
    expect(bare.versions[0]!.store_entry).toBeUndefined()
    expect(bare.versions[0]!.description).toBeUndefined()
  })

  it('location: the store root joined with the entry directory; anything but `<algo>-<hex>` gives no path', () => {
    const row = (store_entry: string | null) => toRow({id: 'a', version: '1.0.0', name: 'a', projects: [], store_entry}, false, '/h/store/v1').location
    expect(row('sha512-00ff')).toBe('/h/store/v1/sha512-00ff')
    expect(row(null)).toBeNull()
    for (const bad of ['../../etc', 'sha512-00ff/../../x', '/etc', 'SHA512-00FF', '']) expect(row(bad), bad).toBeNull()
  })

  it('a source as one string: registry url, local path, github:org/repo#branch', () => {
    expect(sourceOf({type: 'Registry', url: 'https://r.example'})).toBe('https://r.example')
    expect(sourceOf({type: 'Local', path: '/src/pack'})).toBe('/src/pack')
    expect(sourceOf({type: 'GitHub', org: 'acme', repo: 'packs', branch: 'main'})).toBe('github:acme/packs#main')
    expect(sourceOf({type: 'Other'})).toBeUndefined()
  })
})

describe('isEntryDir', () => {
  it('agrees with ENTRY_DIR on edge cases and 20,000 random strings', () => {
    const cases = ['', '-', 'a-', '-a', 'a-b', 'sha512-00ff', 'SHA512-00', 'sha512-00G', 'sha-512-00', 'sha512--00', 'z9-0', 'sha512-00\n', 'é-0', '../x-0', 'sha512-abcdef0123456789']
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const alphabet = 'az09fg-AZ./_\u00e9'
    const word = (chars: string) => Array.from({length: rand(6)}, () => chars[rand(chars.length)]).join('')
    for (let i = 0; i < 10_000; i++) cases.push(Array.from({length: rand(12)}, () => alphabet[rand(alphabet.length)]).join(''))
    // near misses: a prefix, a dash, a mostly-hex suffix
    for (let i = 0; i < 10_000; i++) cases.push(`${word('sha512gz9A')}-${word('0123456789abcdefg-')}`)
    for (const s of cases) expect(isEntryDir(s), JSON.stringify(s)).toBe(ENTRY_DIR.test(s))
    expect(cases.filter((s) => isEntryDir(s)).length).toBeGreaterThan(1000)
  })
})

describe('the kept list rows (src/core/list-view.ts)', () => {
  it('decode to what was encoded, for every field list shows; project references stay shared', () => {
    const a = {key: 'm:/w/a', name: 'a', path: '/w/a', machine: 'm'}
    const b = {key: 'm:/w/b', name: 'b', path: '/w/b', machine: 'm', team: 'ml', owner: 'bob'}
    const rows: InstalledVersion[] = [
      {id: 'io.x', version: '1.0.0', name: 'X', author: 'ann', license: 'MIT', quality_score: 0, production_ready: false, size: 0, integrity: 'sha512-AA==', description: 'd', source: '/reg', deprecated: 'old', yanked: true, projects: [a, b], last_used: '2026-01-01T00:00:00Z', store_entry: 'sha512-00'},
      {id: 'io.y', version: '2.0.0-rc.1', name: 'io.y', deprecated: null, yanked: false, projects: [b], store_entry: null},
    ]
    const body = parseListView(encodeListView('snap-id', 'stamps', rows))
    expect(body).toMatchObject({snapshot: 'snap-id', deprecations: 'stamps'})
    const back = decodeRows(body!)!
    const shown = (r: InstalledVersion) => toRow(r, false, '/home/store')
    expect(back.map(shown)).toEqual(rows.map(shown))
    expect(back[0]!.projects[1]).toBe(back[1]!.projects[0])
    expect(back.map((r) => r.projects.map((p) => p.key))).toEqual([['m:/w/a', 'm:/w/b'], ['m:/w/b']])
  })
  it('a row of the wrong shape or a project index out of the table: null, not a half answer', () => {
    const good = JSON.parse(encodeListView('s', 'd', [{id: 'io.x', version: '1.0.0', name: 'io.x', projects: [{key: 'k', name: 'n', path: '/p', machine: 'm'}]}]))
    expect(decodeRows(good)).toHaveLength(1)
    expect(decodeRows({...good, rows: [[...good.rows[0].slice(0, -1), [5]]]})).toBeNull()
    expect(decodeRows({...good, rows: [good.rows[0].slice(1)]})).toBeNull()
    expect(parseListView('{"snapshot": 1}')).toBeNull()
  })
})
