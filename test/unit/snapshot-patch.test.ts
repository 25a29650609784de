/**
 * Property: patching a snapshot (patchSnapshot: only the changed projects' rows, the version rows
 * they lock before or after and the package rows those touch are recomputed) gives exactly the
 * snapshot assembleSnapshot builds from scratch on the new projects, for random projects, store
 * indexes and changes (projects changed, removed, added). FC_SEED / GGEN_PROPERTY_RUNS override.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {AdvisoryDb, type AdvisoryMeta} from '../../src/advisories/db.js'
import type {Vulnerability} from '../../src/advisories/normalize.js'
import {advisoryRows, assembleSnapshot, patchAdvisories, patchSnapshot, projectPart, type ProjectPart} from '../../src/graph/snapshot.js'
import type {Lockfile, ProjectConfig} from '../../src/domain/schemas.js'
import type {StoreIndex} from '../../src/store/store.js'
import type {ScannedProject} from '../../src/workspace/projects.js'

const SEED = Number(process.env.FC_SEED ?? 20261201)
const RUNS = Number(process.env.GGEN_PROPERTY_RUNS ?? 200)
const IDS = ['core', 'web', 'cli', 'ui', 'data']
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0']
const INTEGRITIES = ['sha512-a', 'sha512-b', 'sha512-c', 'sha512-d', 'sha512-e']
const PATHS = ['/w/a', '/w/b', '/w/c', '/w/d', '/w/e']
const SOURCES = [{type: 'Registry', url: 'https://r.one'}, {type: 'Registry', url: 'https://r.two'}, {type: 'Local', path: '/src/x'}, {type: 'Registry'}]

const lockEntryArb = fc.record({
  version: fc.constantFrom(...VERSIONS),
  integrity: fc.constantFrom(...INTEGRITIES),
  installed_at: fc.constantFrom('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'),
  dependencies: fc.uniqueArray(fc.constantFrom(...IDS, 'dangling'), {maxLength: 3}),
  source: fc.constantFrom(...SOURCES),
  requires: fc.option(fc.dictionary(fc.constantFrom(...IDS, 'ghost'), fc.constantFrom('^1.0.0', '*'), {maxKeys: 2}), {nil: undefined}),
})

const projectArb = (path: string): fc.Arbitrary<ScannedProject> =>
  fc.record({
    packs: fc.dictionary(fc.constantFrom(...IDS), lockEntryArb, {maxKeys: 4}),
    requires: fc.uniqueArray(fc.constantFrom(...IDS, 'wanted'), {maxLength: 3}),
    hasConfig: fc.boolean(),
    hasLock: fc.boolean(),
  }).map(({packs, requires, hasConfig, hasLock}) => ({
    path,
    config: hasConfig ? ({project: {name: path.slice(3), team: 'core'}, packs: Object.fromEntries(requires.map((id) => [id, {version: '^1.0.0', optional: false, tier: 'required'}])), extra: {}} as unknown as ProjectConfig) : null,
    lock: hasLock || !hasConfig ? ({packs} as unknown as Lockfile) : null,
  }))

const storeArb: fc.Arbitrary<StoreIndex> = fc
  .subarray(INTEGRITIES)
  .chain((held) => fc.tuple(...held.map((integrity) => fc.record({name: fc.constantFrom('Core', 'Web', undefined), size: fc.nat(99), description: fc.constantFrom('', 'does x', undefined)}).map((m) => [integrity, {...m, integrity, id: 'x', version: '1.0.0', files: 1, added_at: '', dir: `d-${integrity}`}] as const))))
  .map((entries) => ({format: 'ggen-packs-store/1', entries: Object.fromEntries(entries)}) as unknown as StoreIndex)

const workspaceArb = fc.tuple(...PATHS.map((p) => fc.option(projectArb(p), {nil: undefined}))).map((ps) => ps.filter((p): p is ScannedProject => p !== undefined))

/** vulnerabilities listing versions of the ids (several packages each, so a row's package can move) */
const dbArb: fc.Arbitrary<AdvisoryDb> = fc
  .array(fc.array(fc.record({package: fc.constantFrom(...IDS), versions: fc.subarray(VERSIONS, {minLength: 1})}), {minLength: 1, maxLength: 3}), {maxLength: 6})
  .map((vulns) => {
    const list: Vulnerability[] = vulns.map((affected, i) => ({id: `OSV-${i}`, aliases: i % 2 ? [`CVE-${i}`] : [], summary: i % 3 ? `s${i}` : '', severity: 'high', ...(i % 2 ? {score: 7.5} : {}), modified: '', references: [], affected: affected.map((a) => ({...a, ranges: []}))}))
    return new AdvisoryDb({source: 't', updated_at: '', records: list.length} as unknown as AdvisoryMeta, list)
  })

const partsOf = (ps: ScannedProject[]): ProjectPart[] => ps.map((p) => projectPart('m', p)).filter((p): p is ProjectPart => p !== null)
const plain = (x: unknown) => JSON.parse(JSON.stringify(x))

describe('patchSnapshot', () => {
  it('equals a rebuild from scratch after any projects change, go or come', () => {
    fc.assert(
      fc.property(workspaceArb, workspaceArb, storeArb, fc.subarray(PATHS), (before, after, store, changedPaths) => {
        const oldParts = partsOf(before)
        const old = assembleSnapshot('m', oldParts, store)
        // the changed projects take their `after` state (or disappear); the others stay as they were
        const afterByPath = new Map(after.map((p) => [p.path, p]))
        const changed = new Map<string, ProjectPart | null>()
        for (const path of changedPaths) {
          const sp = afterByPath.get(path)
          changed.set(path, sp ? projectPart('m', sp) : null)
        }
        const kept = oldParts.filter((p) => !changed.has(p.row.path))
        const expected = assembleSnapshot('m', [...kept, ...[...changed.values()].filter((p): p is ProjectPart => p !== null)], store)
        const {snapshot, parts} = patchSnapshot(old, new Map(oldParts.map((p) => [p.row.path, p])), changed, store)
        expect(plain(snapshot)).toEqual(plain(expected))
        expect([...parts.keys()].sort()).toEqual(expected.projects.map((p) => p.path))
      }),
      {seed: SEED, numRuns: RUNS},
    )
  })

  it('patchAdvisories: the Advisory rows of the patched snapshot equal advisoryRows on a rebuild', () => {
    fc.assert(
      fc.property(workspaceArb, workspaceArb, storeArb, fc.subarray(PATHS), dbArb, (before, after, store, changedPaths, db) => {
        const oldParts = partsOf(before)
        const old = assembleSnapshot('m', oldParts, store)
        const afterByPath = new Map(after.map((p) => [p.path, p]))
        const changed = new Map<string, ProjectPart | null>(changedPaths.map((path) => [path, afterByPath.has(path) ? projectPart('m', afterByPath.get(path)!) : null]))
        const {snapshot, touched} = patchSnapshot(old, new Map(oldParts.map((p) => [p.row.path, p])), changed, store)
        expect(plain(patchAdvisories(advisoryRows(db, old.versions), db, snapshot.versions, touched))).toEqual(plain(advisoryRows(db, snapshot.versions)))
      }),
      {seed: SEED, numRuns: RUNS},
    )
  })

  it('recomputes the version row from the next project when the defining one drops it', () => {
    const a = projectPart('m', {path: '/w/a', config: null, lock: {packs: {core: {version: '1.0.0', integrity: 'sha512-a', installed_at: '', dependencies: [], source: {type: 'Registry', url: 'https://a'}, requires: {web: '^1.0.0'}}}} as unknown as Lockfile})!
    const b = projectPart('m', {path: '/w/b', config: null, lock: {packs: {core: {version: '1.0.0', integrity: 'sha512-a', installed_at: '', dependencies: [], source: {type: 'Registry', url: 'https://b'}}}} as unknown as Lockfile})!
    const old = assembleSnapshot('m', [a, b])
    expect(old.versions[0]).toMatchObject({source: 'https://a', requires: {web: '^1.0.0'}})
    const {snapshot} = patchSnapshot(old, new Map([['/w/a', a], ['/w/b', b]]), new Map([['/w/a', null]]))
    expect(snapshot.versions[0]).toMatchObject({source: 'https://b', requires: {}})
    expect(snapshot.packages.map((p) => p.id)).toEqual(['core'])
  })
})
