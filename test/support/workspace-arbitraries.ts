/**
 * Random workspaces for the property tests of the snapshot's patching (test/unit/snapshot-patch.test.ts)
 * and of list's patched rows (test/unit/list-patch.test.ts): up to five projects locking a few ids at a
 * few versions, with integrities, sources and dates that vary, and a store index holding some of them.
 */
import fc from 'fast-check'
import type {Lockfile, ProjectConfig} from '../../src/domain/schemas.js'
import {projectPart, type ProjectPart} from '../../src/graph/snapshot.js'
import type {StoreIndex} from '../../src/store/store.js'
import type {ScannedProject} from '../../src/workspace/projects.js'

export const IDS = ['core', 'web', 'cli', 'ui', 'data']
export const VERSIONS = ['1.0.0', '1.1.0', '2.0.0']
export const INTEGRITIES = ['sha512-a', 'sha512-b', 'sha512-c', 'sha512-d', 'sha512-e']
export const PATHS = ['/w/a', '/w/b', '/w/c', '/w/d', '/w/e']
const SOURCES = [{type: 'Registry', url: 'https://r.one'}, {type: 'Registry', url: 'https://r.two'}, {type: 'Local', path: '/src/x'}, {type: 'Registry'}]
const DATES = ['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z']

/**
 * `sameMostly`: a version's integrity and source are the same in most projects locking it, as in
 * real workspaces (with every lock drawing its own, few rows would have one integrity)
 */
export const lockEntryArb = (sameMostly = false) =>
  fc.record({
    version: fc.constantFrom(...VERSIONS),
    integrity: sameMostly ? fc.oneof({weight: 6, arbitrary: fc.constant(null)}, {weight: 1, arbitrary: fc.constantFrom(...INTEGRITIES)}) : fc.constantFrom(...INTEGRITIES),
    installed_at: fc.constantFrom(...DATES, undefined),
    dependencies: fc.uniqueArray(fc.constantFrom(...IDS, 'dangling'), {maxLength: 3}),
    source: sameMostly ? fc.oneof({weight: 6, arbitrary: fc.constant(SOURCES[0]!)}, {weight: 1, arbitrary: fc.constantFrom(...SOURCES)}) : fc.constantFrom(...SOURCES),
    requires: fc.option(fc.dictionary(fc.constantFrom(...IDS, 'ghost'), fc.constantFrom('^1.0.0', '*'), {maxKeys: 2}), {nil: undefined}),
  })

/** a lock entry's integrity drawn as null: the version's own (one per id@version) */
const ownIntegrity = (id: string, version: string) => `sha512-${id}-${version}`

export const projectArb = (path: string, sameMostly = false): fc.Arbitrary<ScannedProject> =>
  fc
    .record({
      packs: fc.dictionary(fc.constantFrom(...IDS), lockEntryArb(sameMostly), {maxKeys: 4}),
      requires: fc.uniqueArray(fc.constantFrom(...IDS, 'wanted'), {maxLength: 3}),
      hasConfig: fc.boolean(),
      hasLock: fc.boolean(),
      team: fc.constantFrom('core', 'web'),
    })
    .map(({packs, requires, hasConfig, hasLock, team}) => ({
      path,
      config: hasConfig ? ({project: {name: path.slice(3), team}, packs: Object.fromEntries(requires.map((id) => [id, {version: '^1.0.0', optional: false, tier: 'required'}])), extra: {}} as unknown as ProjectConfig) : null,
      lock:
        hasLock || !hasConfig
          ? ({packs: Object.fromEntries(Object.entries(packs).map(([id, e]) => [id, {...e, integrity: e.integrity ?? ownIntegrity(id, e.version)}]))} as unknown as Lockfile)
          : null,
    }))

/** a store index holding some of the integrities (with metadata that varies) */
export const storeArb = (integrities: string[] = INTEGRITIES): fc.Arbitrary<StoreIndex> =>
  fc
    .subarray(integrities)
    .chain((held) =>
      fc.tuple(
        ...held.map((integrity) =>
          fc.record({name: fc.constantFrom('Core', 'Web', undefined), size: fc.nat(99), description: fc.constantFrom('', 'does x', undefined)}).map((m) => [integrity, {...m, integrity, id: 'x', version: '1.0.0', files: 1, added_at: '', dir: `d-${integrity}`}] as const),
        ),
      ),
    )
    .map((entries) => ({format: 'ggen-packs-store/1', entries: Object.fromEntries(entries)}) as unknown as StoreIndex)

export const ownIntegrities = IDS.flatMap((id) => VERSIONS.map((v) => ownIntegrity(id, v)))

export const workspaceArb = (sameMostly = false) => fc.tuple(...PATHS.map((p) => fc.option(projectArb(p, sameMostly), {nil: undefined}))).map((ps) => ps.filter((p): p is ScannedProject => p !== undefined))

export const partsOf = (ps: ScannedProject[]): ProjectPart[] => ps.map((p) => projectPart('m', p)).filter((p): p is ProjectPart => p !== null)
