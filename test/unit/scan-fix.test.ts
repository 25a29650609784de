/**
 * The scan's fix advice (src/core/scan-fix.ts) over real fixtures: registries built with the real
 * binary, projects installed from the older one (as they were before the fixed releases), and
 * the advice computed on the real workspace graph against the newer registry.
 */
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeContext, loadCatalog} from '../../src/core/context.js'
import {openAnalysisGraph, type AnalysisGraph} from '../../src/core/analysis/graph.js'
import {fixAdvice, type FixInput} from '../../src/core/scan-fix.js'
import type {Catalog} from '../../src/registry/catalog.js'
import {compareVersions} from '../../src/resolve/versions.js'
import {readEnvironment} from '../../src/util/environment.js'
import {buildRegistry, runCli, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

// before the fix: vuln 1.0.0 only; lib 1 takes vuln ~1.0; top 1 takes lib ^1
const before: GpackSpec[] = [
  {id: 'vuln', version: '1.0.0'},
  {id: 'lib', version: '1.0.0', deps: {vuln: '~1.0'}},
  {id: 'top', version: '1.0.0', deps: {lib: '^1'}},
  {id: 'other', version: '1.0.0', deps: {vuln: '^1.0.0'}},
]
// after: vuln 1.0.1 (still affected), 1.1.0 and 1.2.0 (fixed); lib 2 takes vuln ^1.1; top 2 takes lib ^2
const after: GpackSpec[] = [
  ...before,
  {id: 'vuln', version: '1.0.1'},
  {id: 'vuln', version: '1.1.0'},
  {id: 'vuln', version: '1.2.0'},
  {id: 'lib', version: '2.0.0', deps: {vuln: '^1.1'}},
  {id: 'lib', version: '2.1.0', deps: {vuln: '^1.1'}},
  {id: 'top', version: '2.0.0', deps: {lib: '^2'}},
]
const below110 = (v: string) => compareVersions(v, '1.1.0') < 0

let root: string
let home: string
let g: AnalysisGraph
let catalog: Catalog
const dir = (name: string) => join(root, 'ws', name)

beforeAll(async () => {
  root = tempDir('ggen-scanfix-')
  home = join(root, 'home')
  const old = buildRegistry(join(root, 'old'), before)
  const reg = buildRegistry(join(root, 'new'), after)
  const projects: [string, Record<string, string>][] = [
    ['direct', {vuln: '^1.0.0'}],
    ['app', {lib: '^1'}],
    ['loose', {lib: '*'}],
    ['tilde', {vuln: '~1.0.0'}],
    ['deep', {top: '^1'}],
    ['other', {other: '^1'}],
  ]
  for (const [name, packs] of projects) {
    writeProject(dir(name), name, packs)
    const r = runCli(['packs', 'install', '--project', dir(name)], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: old}})
    expect(r.code, r.stderr).toBe(0)
  }
  const ctx = makeContext({env: readEnvironment({GGEN_HOME: home, GGEN_MACHINE: 'test-machine', GGEN_REGISTRY_URL: reg}), warn: () => {}})
  catalog = await loadCatalog(ctx)
  g = await openAnalysisGraph(ctx)
}, 120_000)

afterAll(async () => {
  await g?.store.close()
})

const advise = (o: Partial<FixInput> & {projects?: string[]}) => fixAdvice({package: 'vuln', version: '1.0.0', isAffected: below110, graph: g, catalog, ...o})

describe('fixAdvice', () => {
  it('upgrades within the range: the smallest unaffected version every requirer accepts (1.0.1 is still affected)', async () => {
    const a = await advise({projects: [dir('direct')]})
    expect(a).toMatchObject({kind: 'upgrade', version: '1.1.0', breaks: []})
    expect(a.explanation).toMatch(/Upgrade vuln from 1\.0\.0 to 1\.1\.0/)
  })

  it('moves the direct dependency when its range excludes every fixed version, naming what the move breaks', async () => {
    const a = await advise({projects: [dir('app')]})
    expect(a.kind).toBe('move-direct')
    expect(a.direct).toEqual({id: 'lib', from: '1.0.0', to: '2.0.0'})
    expect(a.breaks).toEqual(['app: ggen.toml requires lib ^1, which 2.0.0 does not satisfy'])
    expect(a.explanation).toMatch(/lib@1\.0\.0 requires vuln ~1\.0/)
  })

  it('breaks nothing when the project accepts the moved direct dependency', async () => {
    const a = await advise({projects: [dir('loose')]})
    expect(a).toMatchObject({kind: 'move-direct', direct: {id: 'lib', from: '1.0.0', to: '2.0.0'}, breaks: []})
    expect(a.explanation).toMatch(/breaks nothing else/)
  })

  it('moves the top of a deeper path: the direct dependency whose chain admits a fixed version', async () => {
    const a = await advise({projects: [dir('deep')]})
    expect(a).toMatchObject({kind: 'move-direct', direct: {id: 'top', from: '1.0.0', to: '2.0.0'}})
    // lib moves along the chain (top 2 takes lib ^2): not a break; ggen.toml's range on top is
    expect(a.breaks).toEqual(['deep: ggen.toml requires top ^1, which 2.0.0 does not satisfy'])
  })

  it('when ggen.toml itself excludes every fixed version, the vulnerable package is the one to move', async () => {
    const a = await advise({projects: [dir('tilde')]})
    expect(a).toMatchObject({kind: 'move-direct', direct: {id: 'vuln', from: '1.0.0', to: '1.1.0'}, breaks: []})
    expect(a.explanation).toMatch(/tilde's ggen\.toml requires vuln ~1\.0\.0/)
  })

  it('none when no known version is unaffected', async () => {
    const a = await advise({isAffected: () => true})
    expect(a).toMatchObject({kind: 'none', breaks: []})
    expect(a.version).toBeUndefined()
    expect(a.explanation).toMatch(/No known version of vuln/)
  })

  it('several projects with different requirers: one version satisfying all of them', async () => {
    const a = await advise({projects: [dir('direct'), dir('other')]})
    expect(a).toMatchObject({kind: 'upgrade', version: '1.1.0'})
    // 1.2.0 would do too, but only when 1.1.0 is affected
    const b = await advise({projects: [dir('direct'), dir('other')], isAffected: (v) => v !== '1.2.0'})
    expect(b).toMatchObject({kind: 'upgrade', version: '1.2.0'})
  })

  it('several projects where one requirer blocks: the move is in that project, the others stay satisfied', async () => {
    const a = await advise({projects: [dir('direct'), dir('app')]})
    expect(a).toMatchObject({kind: 'move-direct', direct: {id: 'lib', from: '1.0.0', to: '2.0.0'}})
    expect(a.breaks).toEqual(['app: ggen.toml requires lib ^1, which 2.0.0 does not satisfy'])
  })

  it('every project: the direct dependency blocking most projects, the others named', async () => {
    const a = await advise({})
    expect(a.kind).toBe('move-direct')
    expect(a.direct?.id).toBe('lib')
    expect(a.explanation).toMatch(/also blocked through (top, vuln|vuln, top)/)
  })

  it('without a registry, only the versions the graph knows count (none is fixed)', async () => {
    const a = await advise({catalog: null, projects: [dir('direct')]})
    expect(a.kind).toBe('none')
  })
})
