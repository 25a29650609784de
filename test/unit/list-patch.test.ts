/**
 * Property: list's kept rows patched for changed projects (patchListView, src/core/list-patch.ts)
 * are exactly the rows the embedded store answers for the new projects, and the patched aid is the
 * aid of those rows, on random workspaces and changes (locks moved, added, dropped, dates and
 * project names changed); when the patch declines, it declines for a reason the module names (a
 * touched row that is not uniform, a signature that differs, a version no kept row has). The
 * patch must also apply often enough for this to test something. FC_SEED / GGEN_PROPERTY_RUNS override.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {aidOf, patchListView, type AidRow} from '../../src/core/list-patch.js'
import {decodeRows, encodeListView, parseListView} from '../../src/core/list-view.js'
import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import type {InstalledVersion} from '../../src/graph/graph-store.js'
import {assembleSnapshot, projectPart, type ProjectPart} from '../../src/graph/snapshot.js'
import type {StoreIndex} from '../../src/store/store.js'
import {INTEGRITIES, ownIntegrities, PATHS, partsOf, projectArb, storeArb, workspaceArb} from '../support/workspace-arbitraries.js'

const SEED = Number(process.env.FC_SEED ?? 20261202)
const RUNS = Number(process.env.GGEN_PROPERTY_RUNS ?? 300)

async function rowsOf(parts: ProjectPart[], store: StoreIndex): Promise<InstalledVersion[]> {
  const s = new MemoryGraphStore()
  await s.load(assembleSnapshot('m', parts, store))
  return s.listInstalled({localMachine: 'm'})
}

/** what list keeps and shows of rows (decodeRows(encodeListView(rows)): no integrity) */
const kept = (rows: InstalledVersion[]) => decodeRows(parseListView(encodeListView('id', 'dep', rows))!)!
const plain = (x: unknown) => JSON.parse(JSON.stringify(x))

describe('patchListView', () => {
  it('equals the store rows of the changed workspace whenever it patches, and patches often', async () => {
    let patched = 0
    let declined = 0
    await fc.assert(
      fc.asyncProperty(workspaceArb(true), fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.integer({min: 0, max: 1e6})), {minLength: 1, maxLength: 3}), storeArb([...ownIntegrities, ...INTEGRITIES]), async (before, edits, store) => {
        const oldParts = partsOf(before)
        const rows = await rowsOf(oldParts, store)
        const aid = aidOf(rows, new Map(oldParts.map((p) => [p.row.path, p])))
        expect(aid).not.toBeNull()
        const view = parseListView(encodeListView('id', 'dep', rows))!
        // each edited project takes a new random state (of the same workspace's kind)
        const after = new Map(oldParts.map((p) => [p.row.path, p]))
        const changes = new Map<string, ProjectPart>()
        for (const [path, seed] of edits) {
          const sp = fc.sample(projectArb(path, true), {numRuns: 1, seed})[0]!
          const part = projectPart('m', sp)
          if (!part) continue
          after.set(path, part)
          changes.set(path, part)
        }
        if (changes.size === 0) return
        const result = patchListView(view, aid!, changes)
        if (result === null) {
          declined++
          return
        }
        patched++
        const expected = await rowsOf([...after.values()], store)
        expect(plain(decodeRows(result.view))).toEqual(plain(kept(expected)))
        expect(result.aid).toEqual(aidOf(expected, after))
        // the inputs are left as they were
        expect(plain(decodeRows(view))).toEqual(plain(kept(rows)))
      }),
      {numRuns: RUNS, seed: SEED},
    )
    expect(patched).toBeGreaterThan(RUNS / 5)
    expect(declined).toBeGreaterThan(0)
  })

  it('declines a project joining a row whose projects locked another integrity', async () => {
    const lock = (integrity: string) => ({version: '1.0.0', integrity, installed_at: '2025-01-01T00:00:00Z', dependencies: [], source: {type: 'Registry', url: 'https://r.one'}})
    const part = (path: string, integrity: string) => projectPart('m', {path, config: null, lock: {packs: {core: lock(integrity)}}} as never)!
    const parts = [part('/w/a', 'sha512-a')]
    const rows = await rowsOf(parts, {format: 'ggen-packs-store/1', entries: {}} as unknown as StoreIndex)
    const aid = aidOf(rows, new Map(parts.map((p) => [p.row.path, p]))) as AidRow[]
    const view = parseListView(encodeListView('id', 'dep', rows))!
    expect(patchListView(view, aid, new Map([['/w/b', part('/w/b', 'sha512-other')]]))).toBeNull()
    const same = patchListView(view, aid, new Map([['/w/b', part('/w/b', 'sha512-a')]]))
    expect(decodeRows(same!.view)![0]!.projects.map((p) => p.path)).toEqual(['/w/a', '/w/b'])
  })
})
