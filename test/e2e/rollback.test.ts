/**
 * rollback / undo end to end with the real binary: generations listed, any earlier state restored
 * byte for byte (ggen.toml, lockfile) with the store entries `gc` removed fetched again, rollbacks
 * recorded and themselves undoable, and refusals (no history, unknown generation, registry gone)
 * that change nothing.
 */
import {existsSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {integrityDirName} from '../../src/store/integrity.js'
import {buildRegistry, runCli, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

const root = tempDir('ggen-rollback-e2e-')
const home = join(root, 'home')
let registry = ''
const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry, ...env}})
const read = (f: string) => readFileSync(f, 'utf8')
const project = join(root, 'api')
const tomlFile = join(project, 'ggen.toml')
const lockFile = join(project, '.ggen', 'packs.lock')
const state = () => ({toml: existsSync(tomlFile) ? read(tomlFile) : null, lock: existsSync(lockFile) ? read(lockFile) : null})
const inStore = (integrity: string) => existsSync(join(home, 'store', 'v1', integrityDirName(integrity), '.ggen-store.json'))
const integrities = (lock: string | null) => Object.values((JSON.parse(lock ?? '{"packs":{}}') as {packs: Record<string, {integrity: string}>}).packs).map((e) => e.integrity)

const specs: GpackSpec[] = [
  {id: 'io.r.util', version: '1.0.0'},
  {id: 'io.r.util', version: '2.0.0'},
  {id: 'io.r.app', version: '1.0.0', deps: {'io.r.util': '^1.0.0'}},
  {id: 'io.r.app', version: '2.0.0', deps: {'io.r.util': '^2.0.0'}},
]

/** S0: before any operation; S1: app 1 installed; S2: app 2 */
const S: Record<string, {toml: string | null; lock: string | null}> = {}

beforeAll(() => {
  registry = buildRegistry(root, specs)
  writeProject(project, 'api', {}, 'team = "payments"\n\n[templates]\nout = "generated"   # kept verbatim')
  S.S0 = state()
})
afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('rollback / undo', () => {
  it('a project without history: empty list; undo and rollback are E_HISTORY', () => {
    const l = cli(['packs', 'rollback', '--list', '--project', project, '--json'])
    expect(l.code).toBe(0)
    expect(l.json).toEqual({project, generations: [], recovered: false})
    const u = cli(['packs', 'undo', '--project', project, '--json'])
    expect(u.code).toBe(3)
    expect(u.json.error.code).toBe('E_HISTORY')
    expect(cli(['packs', 'rollback', '--to', '0', '--project', project]).code).toBe(3)
    expect(state()).toEqual(S.S0)
  })

  it('operations record generations; --list shows gen, time, action, details, user', () => {
    expect(cli(['packs', 'install', 'io.r.app@^1.0.0', '--project', project]).code).toBe(0)
    S.S1 = state()
    expect(cli(['packs', 'install', 'io.r.app@^2.0.0', '--project', project]).code).toBe(0)
    S.S2 = state()
    const l = cli(['packs', 'rollback', '--list', '--project', project, '--json'], {GGEN_USER: 'ops-bot'})
    expect(l.json.generations.map((g: {gen: number; action: string; current: boolean}) => [g.gen, g.action, g.current])).toEqual([
      [1, 'install', false],
      [2, 'install', true],
    ])
    for (const g of l.json.generations) {
      expect(Date.parse(g.at)).not.toBeNaN()
      expect(typeof g.user).toBe('string')
      expect(g.details).toContain('io.r.app')
    }
    const human = cli(['packs', 'rollback', '--list', '--project', project])
    expect(human.stdout).toMatch(/^GEN\s+TIME\s+ACTION\s+USER\s+DETAILS$/m)
    expect(human.stdout).toMatch(/^2\*\s/m)
  })

  it('--to N restores generation N exactly, fetching again what gc removed (from the registry the lockfile records)', () => {
    const gc = cli(['packs', 'gc', '--json'])
    expect(gc.code).toBe(0)
    expect(gc.json.removed.map((e: {id: string; version: string}) => `${e.id}@${e.version}`).sort()).toEqual(['io.r.app@1.0.0', 'io.r.util@1.0.0'])
    for (const i of integrities(S.S1!.lock)) expect(inStore(i)).toBe(false)
    // no registry configured: the lockfile's recorded registry is used
    const r = cli(['packs', 'rollback', '--to', '1', '--project', project, '--json'], {GGEN_REGISTRY_URL: undefined})
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({action: 'rollback', target: {generation: 1, state: 'after', action: 'install'}, generation: 3, changed: true, toml_changed: true})
    expect(r.json.refetched.map((x: {id: string}) => x.id).sort()).toEqual(['io.r.app', 'io.r.util'])
    expect(r.json.changes.map((c: {id: string; kind: string}) => `${c.id} ${c.kind}`)).toEqual(['io.r.app downgraded', 'io.r.util downgraded'])
    expect(state()).toEqual(S.S1)
    for (const i of integrities(S.S1!.lock)) expect(inStore(i)).toBe(true)
    // the restored project verifies: store entries intact
    expect(cli(['packs', 'install', '--project', project, '--json']).json.changes).toEqual([])
  })

  it('a rollback is recorded and can be undone; undo twice is a redo', () => {
    const u1 = cli(['packs', 'undo', '--project', project, '--json'])
    expect(u1.code).toBe(0)
    expect(u1.json).toMatchObject({action: 'undo', target: {generation: 3, state: 'before', action: 'rollback'}, generation: 4})
    expect(state()).toEqual(S.S2)
    const u2 = cli(['packs', 'undo', '--project', project])
    expect(u2.code).toBe(0)
    expect(u2.stdout).toContain('undid generation 4 (undo)')
    expect(state()).toEqual(S.S1)
    // rollback without --to is an undo as well
    expect(cli(['packs', 'rollback', '--project', project]).code).toBe(0)
    expect(state()).toEqual(S.S2)
  })

  it('--to 0 restores the state before the first recorded operation (no lockfile then)', () => {
    const r = cli(['packs', 'rollback', '--to', '0', '--project', project, '--json'])
    expect(r.code).toBe(0)
    expect(r.json.target).toMatchObject({generation: 0, state: 'before'})
    expect(state()).toEqual(S.S0)
    expect(existsSync(lockFile)).toBe(false)
    // restoring the state the project is already in changes nothing and records nothing
    const same = cli(['packs', 'rollback', '--to', '0', '--project', project, '--json'])
    expect(same.json).toMatchObject({changed: false, generation: null})
    expect(cli(['packs', 'rollback', '--list', '--project', project, '--json']).json.generations.length).toBe(7)
  })

  it('an unknown generation is E_HISTORY listing the ones there are', () => {
    const r = cli(['packs', 'rollback', '--to', '99', '--project', project, '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error.code).toBe('E_HISTORY')
    expect(r.json.error.hint).toContain('Generations: 0 (before the first), 1, 2, 3, 4, 5, 6, 7')
    expect(state()).toEqual(S.S0)
  })

  it('when gc removed entries and no registry can provide them: a clear error, nothing changed', () => {
    expect(cli(['packs', 'rollback', '--to', '2', '--project', project]).code).toBe(0)
    expect(state()).toEqual(S.S2)
    expect(cli(['packs', 'gc']).code).toBe(0)
    const gone = `${registry}.away`
    renameSync(registry, gone)
    try {
      const r = cli(['packs', 'rollback', '--to', '1', '--project', project, '--json'])
      expect(r.code).toBe(6)
      expect(r.json.error.code).toBe('E_REGISTRY')
      expect(r.json.error.hint).toContain('which `gc` removed from the store')
      expect(r.json.error.hint).toContain('Nothing was changed')
      expect(state()).toEqual(S.S2)
      expect(existsSync(join(project, '.ggen', 'txn.json'))).toBe(false)
      expect(cli(['packs', 'rollback', '--list', '--project', project, '--json']).json.generations.length).toBe(8)
    } finally {
      renameSync(gone, registry)
    }
    expect(cli(['packs', 'rollback', '--to', '1', '--project', project]).code).toBe(0)
    expect(state()).toEqual(S.S1)
  })

  it('a damaged lockfile is repaired by rollback; its bytes stay in history (undo brings them back)', () => {
    const junk = '{"packs": {"io.r.app": {"version": '
    writeFileSync(lockFile, junk)
    expect(cli(['packs', 'install', '--project', project]).code).toBe(3) // install refuses to touch it
    const r = cli(['packs', 'rollback', '--to', '2', '--project', project, '--json'])
    expect(r.code).toBe(0)
    expect(state()).toEqual(S.S2)
    expect(cli(['packs', 'undo', '--project', project]).code).toBe(0)
    expect(read(lockFile)).toBe(junk)
    expect(cli(['packs', 'undo', '--project', project]).code).toBe(0)
    expect(state()).toEqual(S.S2)
  })

  it('every rollback and undo is in the audit log', () => {
    const audit = read(join(home, 'audit', 'audit.log')).trim().split('\n').map((l) => JSON.parse(l) as {action: string; result: string; details: string})
    const ours = audit.filter((e) => e.action === 'rollback' || e.action === 'undo')
    expect(ours.filter((e) => e.result === 'success').length).toBeGreaterThanOrEqual(9)
    expect(ours.some((e) => e.result === 'failure' && e.action === 'rollback')).toBe(true)
    expect(ours.map((e) => e.details)).toContainEqual(expect.stringMatching(/^rollback to generation 1 \(install\): io\.r\.app 2\.0\.0 -> 1\.0\.0/))
  })
})
