/**
 * Property: seeded random package graphs, loaded into both adapters in the same order (several
 * machines, then re-syncs that drop, change and add rows), give identical answers to every read
 * question the port asks, the analysis questions (AnalysisQueries) included. The memory adapter
 * is the reference. FC_SEED and GGEN_PROPERTY_RUNS override the seed and the number of graphs.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {DependentsQuery, DriftQuery, GraphStore, ProjectScope} from '../../src/graph/graph-store.js'
import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import type {GraphSnapshot, ProjectLock, ProjectRow, VersionRow} from '../../src/graph/model.js'
import {useNeo4j} from '../support/neo4j.js'
import {project, snap} from './fixtures.js'

const SEED = Number(process.env.FC_SEED ?? 20240611)
const RUNS = Number(process.env.GGEN_PROPERTY_RUNS ?? 20)

const IDS = ['core', 'web', 'cli', '@acme/ui', 'data-x', 'z.z']
const VERSIONS = ['0.1.0', '1.0.0', '1.2.0', '1.10.0', '2.0.0-beta.1', '2.0.0', 'main']
const RANGES = ['*', '^1.0.0', '~1.2.0', '>=2.0.0-beta.1', '1.x', '^0.1.0', '<1.5.0', '']
const MACHINES = ['m-one', 'm-two', 'm-three']
const PATHS = ['/w/a', '/w/b', '/w/c', '/w/ä', "/w/it's", '/x/a']
const PEOPLE = [undefined, '', 'ann', 'bob']
const TEAMS = [undefined, '', 'core', 'web']
const DATES = [undefined, '2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z', '2025-01-01T00:00:00Z']

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, {nil: undefined})

const versionArb: fc.Arbitrary<VersionRow> = fc
  .record({
    id: fc.constantFrom(...IDS),
    version: fc.constantFrom(...VERSIONS),
    requires: fc.dictionary(fc.constantFrom(...IDS), fc.constantFrom(...RANGES), {maxKeys: 3}),
    name: maybe(fc.constantFrom('Core', 'Web', 'Thing "quoted"')),
    author: maybe(fc.constantFrom('ann', 'bob')),
    license: maybe(fc.constantFrom('MIT', 'Apache-2.0')),
    quality_score: maybe(fc.constantFrom(0, 4.5, 85, 100)),
    production_ready: maybe(fc.boolean()),
    deprecated: fc.option(fc.constantFrom('old', 'use 2.x'), {nil: null}),
    yanked: maybe(fc.boolean()),
    size: maybe(fc.constantFrom(0, 1024, 99999)),
    integrity: maybe(fc.constantFrom('sha256-AAAA', 'sha512-BBBB')),
    description: maybe(fc.constantFrom('Core helpers', 'a "quoted" thing')),
    source: maybe(fc.constantFrom('https://reg.example', '/srv/registry')),
    store_entry: maybe(fc.constantFrom('sha256-0a0b', 'sha512-0c0d')),
  })
  .map((r) => {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(r)) if (x !== undefined) out[k] = x
    delete (out.requires as Record<string, string>)[r.id]
    return out as unknown as VersionRow
  })

const lockArb: fc.Arbitrary<ProjectLock> = fc.record({
  id: fc.constantFrom(...IDS),
  version: fc.constantFrom(...VERSIONS, 'dev'),
  direct: fc.boolean(),
  installed_at: maybe(fc.constantFrom(...DATES.filter(Boolean) as string[], '')),
  dependencies: fc.uniqueArray(fc.constantFrom(...IDS, 'ghost'), {maxLength: 3}),
})

function projectArb(machine: string): fc.Arbitrary<ProjectRow> {
  return fc
    .record({
      path: fc.constantFrom(...PATHS),
      name: fc.constantFrom('alpha', 'beta', 'Gamma ✓'),
      team: fc.constantFrom(...TEAMS),
      owner: fc.constantFrom(...PEOPLE),
      locks: fc.uniqueArray(lockArb, {maxLength: 5, selector: (l) => l.id}),
      requires: fc.uniqueArray(fc.record({id: fc.constantFrom(...IDS), range: fc.constantFrom(...RANGES)}), {maxLength: 3, selector: (r) => r.id}),
    })
    .map((r) => project(machine, r.path, {name: r.name, team: r.team, owner: r.owner, locks: r.locks, requires: r.requires}))
}

function snapshotArb(machine: string): fc.Arbitrary<GraphSnapshot> {
  return fc
    .record({
      versions: fc.uniqueArray(versionArb, {maxLength: 12, selector: (x) => `${x.id}@${x.version}`}),
      projects: fc.uniqueArray(projectArb(machine), {maxLength: 4, selector: (p) => p.path}),
    })
    .map(({versions, projects}) => snap(machine, {versions, projects}))
}

/** the order machines load in: first a load per machine, then re-syncs */
const scenarioArb = fc
  .uniqueArray(fc.constantFrom(...MACHINES), {minLength: 1, maxLength: 3})
  .chain((machines) =>
    fc.tuple(
      fc.tuple(...machines.map((m) => snapshotArb(m))),
      fc.array(fc.constantFrom(...machines).chain((m) => snapshotArb(m)), {maxLength: 2}),
    ),
  )
  .map(([first, later]) => [...first, ...later])

const QUERIES: (DependentsQuery | undefined)[] = [
  undefined,
  {transitive: true},
  {range: '^1.0.0'},
  {transitive: true, range: '>=1.2.0 <2.0.0'},
  {transitive: true, team: 'core'},
  {transitive: true, owner: 'bob'},
  {transitive: true, machine: 'm-two'},
]

/** the scopes the analysis questions are asked in: every machine, each machine, one (empty = any) */
const SCOPES: ProjectScope[] = [{}, ...MACHINES.map((machine) => ({machine})), {machine: ''}]

const DRIFTS: DriftQuery[] = [{}, {machine: 'm-one'}, {team: 'core'}, {owner: 'ann'}, {team: '', owner: ''}, {ids: ['core', 'web', 'ghost']}, {ids: []}]

/** every read question, in a fixed order */
async function answers(s: GraphStore): Promise<unknown[]> {
  const out: unknown[] = [await s.projects(), await s.listInstalled()]
  for (const m of MACHINES) out.push(await s.projects({machine: m}), await s.listInstalled({machine: m}), await s.listInstalled({localMachine: m}), await s.listInstalled({machine: m, localMachine: MACHINES[0]}))
  for (const id of [...IDS, 'ghost']) for (const q of QUERIES) out.push(await s.dependents(id, q))
  return [...out, ...(await analysisAnswers(s))]
}

/** every analysis question (AnalysisQueries), in a fixed order */
async function analysisAnswers(s: GraphStore): Promise<unknown[]> {
  const out: unknown[] = []
  for (const q of SCOPES) out.push(await s.unsatisfied(q), await s.cycles(q), await s.unreachable(q))
  for (const q of DRIFTS) out.push(await s.drift(q))
  const keys = [...(await s.projects()).map((p) => p.key), 'm-one:/nowhere']
  for (const key of keys) {
    out.push(await s.tree(key), await s.tree(key, {depth: 1}), await s.tree(key, {depth: 2}))
    out.push(await s.unsatisfied({projectKey: key}), await s.cycles({projectKey: key}), await s.unreachable({projectKey: key}))
  }
  for (const id of [...IDS, 'ghost']) {
    for (const q of [{}, {machine: 'm-two'}, {projectKey: keys[0]!}]) out.push(await s.why(id, q), await s.requirers(id, q))
    out.push(await s.why(id, {limit: 1}), await s.requirers(id, {team: 'web'}), await s.requirers(id, {owner: 'bob', machine: 'm-one'}))
  }
  return out
}

const neo = await useNeo4j()

describe.skipIf(!!neo.skip)(`memory and neo4j give identical answers on random graphs${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  it(`${RUNS} seeded graphs (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (loads) => {
        const mem = new MemoryGraphStore()
        const n4j = await neo.fresh()
        try {
          for (const s of loads) {
            const a = await mem.load(structuredClone(s))
            const b = await n4j.load(structuredClone(s))
            expect(b).toEqual(a)
          }
          expect(await answers(n4j)).toEqual(await answers(mem))
        } finally {
          await n4j.close()
        }
      }),
      {seed: SEED, numRuns: RUNS, endOnFailure: true},
    )
  }, 15 * 60_000)
})
