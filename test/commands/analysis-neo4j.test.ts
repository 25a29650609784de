/**
 * The analysis commands on the Neo4j backend, through the real binary (bin/run.js; run
 * `npm run build` first): two projects installed from a registry built with `packs registry
 * build`, pushed with `packs graph sync`; then every question asked with `--backend neo4j` answers
 * as the embedded backend does for the same question. The one documented difference: on neo4j
 * (a team graph) project references carry the machine, which is compared and then set aside.
 *
 * Neo4j comes from the test finder (test/support/neo4j.ts: shared-database lock, wiped first;
 * under CI=true a missing Neo4j fails, elsewhere the suite is reported as skipped).
 *
 *   util 1.2.0 1.3.0 2.0.0    log 1.0.0 -> util ^1.0.0    web 1.5.0 -> util ^1.3.0, log ^1.0.0
 *   cli 0.9.0 -> util ^1.0.0
 *   alpha (web/dave)  web ^1.5.0                -> web 1.5.0, log 1.0.0, util 1.3.0
 *   beta  (ops/erin)  util ~1.2.0, cli ^0.9.0   -> util 1.2.0 (drift vs alpha), cli 0.9.0
 */
import {existsSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'
import {useNeo4j} from '../support/neo4j.js'

const MACHINE = 'test-machine' // what test/support/cli.ts sets GGEN_MACHINE to
const X = (s: string) => `io.n4.${s}`
const specs: GpackSpec[] = [
  {id: X('util'), version: '1.2.0'},
  {id: X('util'), version: '1.3.0'},
  {id: X('util'), version: '2.0.0'},
  {id: X('log'), version: '1.0.0', deps: {[X('util')]: '^1.0.0'}},
  {id: X('web'), version: '1.5.0', deps: {[X('util')]: '^1.3.0', [X('log')]: '^1.0.0'}},
  {id: X('cli'), version: '0.9.0', deps: {[X('util')]: '^1.0.0'}},
]

const neo = await useNeo4j()

let root = ''
let env: Record<string, string> = {}
const ws = (name: string) => join(root, 'ws', name)
const cli = (args: string[], backend?: 'memory' | 'neo4j'): CliResult => runCli(['packs', ...args, ...(backend ? ['--backend', backend] : [])], {env})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}

/** the --json answer with every `machine` of this machine set aside (neo4j names it, memory does not) */
function withoutMachine(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutMachine)
  if (x === null || typeof x !== 'object') return x
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(x)) {
    if (k === 'machine') expect(v, 'the machine a neo4j answer names').toBe(MACHINE)
    else out[k] = withoutMachine(v)
  }
  return out
}

/** the same question on both backends: the same --json answer (returned: memory's, then neo4j's) */
function sameOnBoth(args: string[]): [CliResult['json'], CliResult['json']] {
  const mem = ok(cli([...args, '--json'], 'memory'))
  const n4j = ok(cli([...args, '--json'], 'neo4j'))
  expect(mem.json, `memory --json of ${args.join(' ')}`).toBeDefined()
  expect(withoutMachine(n4j.json), args.join(' ')).toEqual(mem.json)
  return [mem.json, n4j.json]
}

describe.skipIf(!!neo.skip)(`analysis commands on --backend neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  beforeAll(async () => {
    if (!existsSync(binPath) || !existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'tree.js'))) throw new Error('build first: npm run build')
    await (await neo.fresh()).close() // wipe the shared database (this file holds its lock)
    const s = neo.settings()
    root = tempDir('ggen-analysis-neo4j-')
    const registry = buildRegistry(root, specs)
    env = {
      GGEN_HOME: join(root, 'home'),
      GGEN_REGISTRY_URL: registry,
      GGEN_NEO4J_URI: s.uri,
      GGEN_NEO4J_USER: s.user,
      GGEN_NEO4J_PASSWORD: s.password,
      ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {}),
    }
    writeProject(ws('alpha'), 'alpha', {[X('web')]: '^1.5.0'}, 'team = "web"\nowner = "dave"')
    writeProject(ws('beta'), 'beta', {[X('util')]: '~1.2.0', [X('cli')]: '^0.9.0'}, 'team = "ops"\nowner = "erin"')
    for (const p of ['alpha', 'beta']) ok(cli(['install', '--project', ws(p)]))
    const sync = ok(cli(['graph', 'sync', '--json']))
    expect(sync.json).toMatchObject({backend: 'neo4j', machine: MACHINE, projects: 2})
  }, 600_000)

  afterAll(() => {
    if (root) rmSync(root, {recursive: true, force: true})
  })

  it('tree: the same nested answer, at every depth', () => {
    const [alpha, fromNeo4j] = sameOnBoth(['tree', '--project', ws('alpha')])
    expect(alpha).toMatchObject({project: {name: 'alpha', path: ws('alpha')}, dependencies: [{id: X('web'), version: '1.5.0'}]})
    expect(fromNeo4j.project.machine, 'answered by the team graph').toBe(MACHINE)
    sameOnBoth(['tree', '--project', ws('alpha'), '--depth', '1'])
    sameOnBoth(['tree', '--project', ws('beta')])
  })

  it('why: the same paths, for one project and across projects', () => {
    const [all] = sameOnBoth(['why', X('util')])
    expect(all.projects.map((p: {project: {name: string}; version: string}) => [p.project.name, p.version])).toEqual([
      ['alpha', '1.3.0'],
      ['beta', '1.2.0'],
    ])
    sameOnBoth(['why', X('util'), '--project', ws('alpha'), '--limit', '1'])
    sameOnBoth(['why', X('log')])
  })

  it('dependents: the same consumers (every one, each marked with its path) and dependent packages', () => {
    const [d] = sameOnBoth(['dependents', X('util')])
    expect(d.projects.map((p: {project: {name: string}; direct: boolean; via: {id: string} | null}) => [p.project.name, p.direct, p.via?.id ?? null])).toEqual([
      ['alpha', false, X('web')],
      ['beta', true, null],
    ])
    sameOnBoth(['dependents', X('util'), '--direct'])
    sameOnBoth(['dependents', X('util'), '--transitive'])
    sameOnBoth(['dependents', `${X('util')}@^1.3.0`, '--team', 'web'])
    sameOnBoth(['dependents', X('util'), '--machine', MACHINE])
  })

  it('--machine filters the team graph: an unknown machine answers nothing and names the machines synced', () => {
    const r = ok(cli(['dependents', X('util'), '--machine', 'nosuch', '--json'], 'neo4j'))
    expect(r.json.projects).toEqual([])
    expect(r.stderr).toContain(`warning: no known project comes from machine "nosuch"; machines known: ${MACHINE} (2 projects)`)
    const why = cli(['why', X('util'), '--machine', 'nosuch'], 'neo4j')
    expect(why.code).toBe(4)
    expect(why.stderr).toContain(`machines known: ${MACHINE} (2 projects)`)
  })

  it('verify --all on neo4j counts every project of this machine; with none for the machine it fails, naming the machines', () => {
    const [all] = sameOnBoth(['verify', '--all', '--skip-store'])
    expect(all).toMatchObject({ok: true, mode: 'all', summary: {projects: 2}})
    for (const [args, machine, extra] of [
      [['--machine', 'nosuch'], 'nosuch', {}],
      [[], 'other-machine', {GGEN_MACHINE: 'other-machine'}],
    ] as const) {
      const r = runCli(['packs', 'verify', '--all', '--backend', 'neo4j', ...args, '--json'], {env: {...env, ...extra}})
      expect(r.code, machine).toBe(3)
      expect(r.json.error).toMatchObject({code: 'E_NO_PROJECT', message: `verify checked nothing: no known project of machine "${machine}" (machines known: ${MACHINE} (2 projects))`})
    }
  })

  it('impact, verify and resolve answer on neo4j too', () => {
    const [impact] = sameOnBoth(['impact', `${X('util')}@2.0.0`])
    expect(impact.projects.map((p: {project: {name: string}; breaks: boolean}) => [p.project.name, p.breaks])).toEqual([
      ['alpha', true],
      ['beta', true],
    ])
    const [verify] = sameOnBoth(['verify', '--project', ws('alpha'), '--skip-store'])
    expect(verify).toMatchObject({ok: true, drift: [{id: X('util'), versions: [{version: '1.2.0'}, {version: '1.3.0'}]}]})
    const [resolve] = sameOnBoth(['resolve', X('util'), '--project', ws('beta')])
    expect(resolve).toMatchObject({locked: '1.2.0', conflict: false, requirers: [{requirer: 'ggen.toml'}, {requirer: `${X('cli')}@0.9.0`}]})
  })
})
