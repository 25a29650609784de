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
import type {Lockfile} from '../../src/domain/schemas.js'
import {IDS, PATHS, partsOf, storeArb as storeArbOf, VERSIONS, workspaceArb as workspaceArbOf} from '../support/workspace-arbitraries.js'

const SEED = Number(process.env.FC_SEED ?? 20261201)
const RUNS = Number(process.env.GGEN_PROPERTY_RUNS ?? 200)
const storeArb = storeArbOf()
const workspaceArb = workspaceArbOf()

/** vulnerabilities listing versions of the ids (several packages each, so a row's package can move) */
const dbArb: fc.Arbitrary<AdvisoryDb> = fc
  .array(fc.array(fc.record({package: fc.constantFrom(...IDS), versions: fc.subarray(VERSIONS, {minLength: 1})}), {minLength: 1, maxLength: 3}), {maxLength: 6})
  .map((vulns) => {
    const list: Vulnerability[] = vulns.map((affected, i) => ({id: `OSV-${i}`, aliases: i % 2 ? [`CVE-${i}`] : [], summary: i % 3 ? `s${i}` : '', severity: 'high', ...(i % 2 ? {score: 7.5} : {}), modified: '', references: [], affected: affected.map((a) => ({...a, ranges: []}))}))
    return new AdvisoryDb({source: 't', updated_at: '', records: list.length} as unknown as AdvisoryMeta, list)
  })

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
