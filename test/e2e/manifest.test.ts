/**
 * Environment manifests end to end with the real binary: generate (one project, all projects of an
 * environment, --lock-all, -o), lock, export, compare, apply (and its refusals, which must write
 * nothing), and `verify --manifest` / `--env`.
 */
import {cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {historyDir} from '../../src/workspace/history.js'
import {integrityDirName} from '../../src/store/integrity.js'
import {homePaths} from '../../src/workspace/home.js'
import {buildRegistry, runCli, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

const root = tempDir('ggen-manifest-e2e-')
const home = join(root, 'home')
let registry = ''
const env = () => ({GGEN_HOME: home, GGEN_REGISTRY_URL: registry})
const cli = (args: string[], extraEnv: Record<string, string> = {}) => runCli(args, {env: {...env(), ...extraEnv}})
const read = (f: string) => readFileSync(f, 'utf8')
const lockOf = (dir: string) => JSON.parse(read(join(dir, '.ggen', 'packs.lock')))
const files = (dir: string) => ({toml: existsSync(join(dir, 'ggen.toml')) ? read(join(dir, 'ggen.toml')) : null, lock: existsSync(join(dir, '.ggen', 'packs.lock')) ? read(join(dir, '.ggen', 'packs.lock')) : null})
const storeIndex = () => read(join(home, 'store', 'v1', 'index.json'))
/** history generations of a project, read from $GGEN_HOME/history directly (no process) */
const gens = (dir: string, h = home): {gen: number; action: string}[] => {
  const d = historyDir(homePaths(h), dir)
  return existsSync(d) ? readdirSync(d).filter((n) => /^\d{6}\.json$/.test(n)).sort().map((n) => JSON.parse(read(join(d, n)))) : []
}

const specs: GpackSpec[] = [
  {id: 'io.t.util', version: '1.0.0'},
  {id: 'io.t.util', version: '1.1.0'},
  {id: 'io.t.util', version: '2.0.0'},
  {id: 'io.t.app', version: '1.0.0', deps: {'io.t.util': '^1.0.0'}},
  {id: 'io.t.app', version: '1.1.0', deps: {'io.t.util': '^1.1.0'}},
  {id: 'io.t.web', version: '1.0.0', deps: {'io.t.util': '^1.0.0'}},
  {id: 'io.t.cli', version: '1.0.0'},
]

const prodA = join(root, 'prod-a')
const prodB = join(root, 'prod-b')
const staging = join(root, 'staging')
const M = (name: string) => join(root, name)

beforeAll(() => {
  registry = buildRegistry(root, specs)
  writeProject(prodA, 'prod-a', {'io.t.app': '^1.0.0', 'io.t.web': '^1.0.0'}, 'team = "platform"\nenvironment = "prod"')
  writeProject(prodB, 'prod-b', {'io.t.web': '^1.0.0'}, 'team = "platform"\nenvironment = "prod"')
  writeProject(staging, 'staging', {'io.t.app': '1.0.0', 'io.t.cli': '^1.0.0'}, 'environment = "staging"')
  for (const p of [prodA, prodB, staging]) {
    const r = cli(['packs', 'install', '--project', p])
    if (r.code !== 0) throw new Error(r.stderr)
  }
})
afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('manifest generate', () => {
  it('writes a project manifest to stdout: exact versions, integrities, transitive dependencies', () => {
    const r = cli(['packs', 'manifest', 'generate', 'prod', '--project', prodA])
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout)
    expect(m).toMatchObject({version: '1', environment: 'prod', metadata: {team: 'platform', locked_at: null, projects: [prodA]}})
    expect(typeof m.metadata.created_by).toBe('string')
    expect(Date.parse(m.created_at)).not.toBeNaN()
    const lock = lockOf(prodA)
    expect(m.packages.map((p: {id: string}) => p.id)).toEqual(['io.t.app', 'io.t.util', 'io.t.web'])
    for (const p of m.packages) {
      expect(p.version).toBe(lock.packs[p.id].version)
      expect(p.integrity).toBe(lock.packs[p.id].integrity)
    }
    const by = Object.fromEntries(m.packages.map((p: {id: string}) => [p.id, p]))
    expect(by['io.t.app']).toMatchObject({required_version: '^1.0.0', version: '1.1.0', transitive: false, tier: 'required', optional: false, dependencies: ['io.t.util']})
    expect(by['io.t.util']).toMatchObject({version: '1.1.0', transitive: true})
  })

  it('--lock-all -o FILE pins everything; --json returns the same manifest', () => {
    const r = cli(['packs', 'manifest', 'generate', 'prod', '--project', prodA, '--lock-all', '-o', M('prod-a.json'), '--json'])
    expect(r.code).toBe(0)
    const m = JSON.parse(read(M('prod-a.json')))
    expect(r.json).toEqual(m)
    expect(m.metadata.locked_at).toBe(m.created_at)
    expect(m.packages.every((p: {required_version: string; version: string}) => p.required_version === p.version)).toBe(true)
    const human = cli(['packs', 'manifest', 'generate', 'prod', '--project', prodA, '--lock-all', '-o', M('prod-a2.json')])
    expect(human.stdout).toContain('3 packages (2 direct, 1 transitive)')
    expect(human.stdout).toContain('locked')
  })

  it('--all-projects merges every project tagged with the environment', () => {
    const r = cli(['packs', 'manifest', 'generate', 'prod', '--all-projects', '--lock-all', '-o', M('prod.json'), '--json'])
    expect(r.code).toBe(0)
    expect(r.json.metadata.projects).toEqual([prodA, prodB].sort())
    expect(r.json.metadata.team).toBe('platform')
    expect(r.json.packages.map((p: {id: string}) => p.id)).toEqual(['io.t.app', 'io.t.util', 'io.t.web'])
  })

  it('--all-projects with no tagged project is an error listing the environments in use', () => {
    const r = cli(['packs', 'manifest', 'generate', 'qa', '--all-projects'])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('Error [E_NOT_FOUND]')
    expect(r.stderr).toContain('Environments in use: prod, staging')
  })

  it('a project without a lockfile is an error naming it', () => {
    const dir = writeProject(join(root, 'bare'), 'bare', {'io.t.cli': '^1.0.0'})
    const r = cli(['packs', 'manifest', 'generate', 'dev', '--project', dir, '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error).toMatchObject({code: 'E_NO_PROJECT', file: join(dir, '.ggen', 'packs.lock')})
  })

  it('--project and --all-projects are exclusive (usage error)', () => {
    expect(cli(['packs', 'manifest', 'generate', 'prod', '--all-projects', '--project', prodA]).code).toBe(2)
  })
})

describe('manifest compare / export', () => {
  beforeAll(() => {
    cli(['packs', 'manifest', 'generate', 'staging', '--project', staging, '--lock-all', '-o', M('staging.json')])
  })

  it('lists added, removed and changed packages with direction', () => {
    const r = cli(['packs', 'manifest', 'compare', M('prod.json'), M('staging.json'), '--json'])
    expect(r.code).toBe(0)
    expect(r.json.same).toBe(false)
    expect(r.json.added.map((p: {id: string}) => p.id)).toEqual(['io.t.cli'])
    expect(r.json.removed.map((p: {id: string}) => p.id)).toEqual(['io.t.web'])
    expect(r.json.changed).toEqual([
      expect.objectContaining({id: 'io.t.app', from: '1.1.0', to: '1.0.0', direction: 'downgrade', integrity_changed: true}),
    ])
    const human = cli(['packs', 'manifest', 'compare', M('prod.json'), M('staging.json')])
    expect(human.stdout).toMatch(/\+ io\.t\.cli 1\.0\.0/)
    expect(human.stdout).toMatch(/- io\.t\.web 1\.0\.0/)
    expect(human.stdout).toMatch(/~ io\.t\.app 1\.1\.0 -> 1\.0\.0 \(downgrade\)/)
  })

  it('--exit-code: 1 when they differ, 0 when identical', () => {
    expect(cli(['packs', 'manifest', 'compare', M('prod.json'), M('staging.json'), '--exit-code']).code).toBe(1)
    expect(cli(['packs', 'manifest', 'compare', M('prod.json'), M('prod.json'), '--exit-code']).code).toBe(0)
  })

  it('flags an integrity change of the same version', () => {
    const m = JSON.parse(read(M('prod.json')))
    m.packages[0].integrity = m.packages[1].integrity
    writeFileSync(M('prod-bytes.json'), JSON.stringify(m))
    const r = cli(['packs', 'manifest', 'compare', M('prod.json'), M('prod-bytes.json'), '--json', '--exit-code'])
    expect(r.code).toBe(1)
    expect(r.json.changed).toEqual([expect.objectContaining({id: 'io.t.app', direction: 'none', integrity_changed: true})])
  })

  it('export converts JSON <-> YAML losslessly', () => {
    const y = cli(['packs', 'manifest', 'export', M('prod.json'), '--format', 'yaml'])
    expect(y.code).toBe(0)
    expect(y.stdout).toMatch(/^environment: prod$/m)
    writeFileSync(M('prod.yaml'), y.stdout)
    const back = cli(['packs', 'manifest', 'export', M('prod.yaml'), '-o', M('prod-back.json')])
    expect(back.code).toBe(0)
    expect(read(M('prod-back.json'))).toBe(read(M('prod.json')))
    // YAML manifests are read everywhere
    expect(cli(['packs', 'manifest', 'compare', M('prod.json'), M('prod.yaml'), '--exit-code']).code).toBe(0)
  })

  it('a malformed manifest is E_MANIFEST naming the field', () => {
    const m = JSON.parse(read(M('prod.json')))
    m.packages[2].version = '>=1'
    writeFileSync(M('bad.json'), JSON.stringify(m))
    const r = cli(['packs', 'manifest', 'compare', M('prod.json'), M('bad.json'), '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error).toMatchObject({code: 'E_MANIFEST', file: M('bad.json'), field: 'packages[2].version'})
  })
})

describe('manifest lock', () => {
  it('resolves ranges to exact versions + integrities and adds transitive dependencies', () => {
    writeFileSync(
      M('draft.json'),
      JSON.stringify({version: '1', created_at: '2026-01-01T00:00:00Z', environment: 'dev', metadata: {created_by: 'me'}, packages: [{id: 'io.t.app', required_version: '^1.0.0'}, {id: 'io.t.cli', required_version: '1.0.0'}]}),
    )
    const r = cli(['packs', 'manifest', 'lock', M('draft.json'), '--json'])
    expect(r.code).toBe(0)
    const m = JSON.parse(read(M('draft.json')))
    expect(r.json.manifest).toEqual(m)
    expect(r.json.added).toEqual([{id: 'io.t.util', version: '1.1.0'}])
    const index = JSON.parse(read(join(registry, 'index.json')))
    for (const p of m.packages) {
      expect(p.required_version).toBe(p.version)
      expect(p.integrity).toBe(index.packages[p.id].versions[p.version].integrity)
    }
    expect(m.packages.map((p: {id: string; version: string; transitive: boolean}) => [p.id, p.version, p.transitive])).toEqual([
      ['io.t.app', '1.1.0', false],
      ['io.t.cli', '1.0.0', false],
      ['io.t.util', '1.1.0', true],
    ])
    expect(m.metadata.locked_at).toBeTruthy()
  })

  it('refuses an unknown version and leaves the file untouched', () => {
    writeFileSync(M('draft2.json'), JSON.stringify({version: '1', created_at: '2026-01-01T00:00:00Z', environment: 'dev', metadata: {created_by: 'me'}, packages: [{id: 'io.t.cli', version: '1.0.0'}, {id: 'io.t.app', version: '7.0.0'}]}))
    const before = read(M('draft2.json'))
    const r = cli(['packs', 'manifest', 'lock', M('draft2.json'), '--json'])
    expect(r.code).toBe(4)
    expect(r.json.error).toMatchObject({code: 'E_VERSION_NOT_FOUND', field: 'packages[1].version'})
    expect(read(M('draft2.json'))).toBe(before)
  })
})

describe('manifest apply', () => {
  it('makes the lockfile, ggen.toml [packs] and the store match the manifest exactly (other tables kept)', () => {
    const dir = writeProject(join(root, 'target'), 'target', {'io.t.cli': '^1.0.0'}, '\n[templates]\nout = "gen"')
    expect(cli(['packs', 'install', '--project', dir]).code).toBe(0)
    const r = cli(['packs', 'manifest', 'apply', M('prod.json'), '--project', dir, '--json'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({environment: 'prod', changed: true, generation: 2, dryRun: false})
    expect(r.json.changes.map((c: {id: string; kind: string}) => `${c.kind} ${c.id}`).sort()).toEqual(['added io.t.app', 'added io.t.util', 'added io.t.web', 'removed io.t.cli'])
    const m = JSON.parse(read(M('prod.json')))
    const lock = lockOf(dir)
    expect(Object.keys(lock.packs).sort()).toEqual(m.packages.map((p: {id: string}) => p.id).sort())
    for (const p of m.packages) {
      expect(lock.packs[p.id]).toMatchObject({version: p.version, integrity: p.integrity})
      expect(existsSync(join(home, 'store', 'v1', integrityDirName(p.integrity), '.ggen-store.json'))).toBe(true)
    }
    expect(lock.packs['io.t.app']).toMatchObject({dependencies: ['io.t.util'], requires: {'io.t.util': '^1.1.0'}})
    const toml = read(join(dir, 'ggen.toml'))
    expect(toml).toContain('"io.t.app" = "1.1.0"')
    expect(toml).toContain('"io.t.web" = "1.0.0"')
    expect(toml).not.toContain('io.t.cli')
    expect(toml).not.toContain('io.t.util')
    expect(toml).toMatch(/\[templates\]\nout = "gen"/)
    expect(gens(dir).map((g) => g.action)).toEqual(['install', 'manifest-apply'])
    const audit = read(join(home, 'audit', 'audit.log')).trim().split('\n').map((l) => JSON.parse(l))
    expect(audit.at(-1)).toMatchObject({action: 'manifest-apply', result: 'success', environment: expect.objectContaining({project: dir})})
    // the project now verifies against the manifest, and applying again changes nothing
    expect(cli(['packs', 'verify', '--manifest', M('prod.json'), '--project', dir]).code).toBe(0)
    const again = cli(['packs', 'manifest', 'apply', M('prod.json'), '--project', dir, '--json'])
    expect(again.json).toMatchObject({changed: false, generation: null, changes: []})
    // and undo brings the previous state back
    expect(cli(['packs', 'undo', '--project', dir]).code).toBe(0)
    expect(Object.keys(lockOf(dir).packs)).toEqual(['io.t.cli'])
  })

  it('--dry-run checks and reports, writes nothing; --set-environment tags the project', () => {
    const dir = writeProject(join(root, 'target2'), 'target2')
    const before = files(dir)
    const d = cli(['packs', 'manifest', 'apply', M('staging.json'), '--project', dir, '--dry-run', '--json'])
    expect(d.code).toBe(0)
    expect(d.json).toMatchObject({dryRun: true, changed: true})
    expect(files(dir)).toEqual(before)
    const r = cli(['packs', 'manifest', 'apply', M('staging.json'), '--project', dir, '--set-environment'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('applied the staging manifest')
    expect(read(join(dir, 'ggen.toml'))).toContain('environment = "staging"')
  })

  describe('refuses before anything is written', () => {
    let dir = ''
    let before: ReturnType<typeof files>
    let storeBefore = ''
    let auditLines = 0
    beforeAll(() => {
      dir = writeProject(join(root, 'guarded'), 'guarded', {'io.t.cli': '^1.0.0'})
      expect(cli(['packs', 'install', '--project', dir]).code).toBe(0)
      before = files(dir)
      storeBefore = storeIndex()
    })
    const expectUntouched = () => {
      expect(files(dir)).toEqual(before)
      expect(storeIndex()).toBe(storeBefore)
      expect(existsSync(join(dir, '.ggen', 'txn.json'))).toBe(false)
      expect(gens(dir).length).toBe(1)
    }
    const variant = (name: string, edit: (m: {packages: Record<string, unknown>[]}) => void) => {
      const m = JSON.parse(read(M('prod.json')))
      edit(m)
      writeFileSync(M(name), JSON.stringify(m, null, 2))
      return M(name)
    }

    it('a malformed manifest (field named)', () => {
      const f = variant('m-bad-int.json', (m) => (m.packages[1]!.integrity = 'sha512-nope'))
      const r = cli(['packs', 'manifest', 'apply', f, '--project', dir, '--json'])
      expect(r.code).toBe(3)
      expect(r.json.error).toMatchObject({code: 'E_MANIFEST', file: f, field: 'packages[1].integrity'})
      expectUntouched()
      auditLines = read(join(home, 'audit', 'audit.log')).trim().split('\n').length
    })

    it('a truncated manifest', () => {
      writeFileSync(M('m-torn.json'), read(M('prod.json')).slice(0, 200))
      const r = cli(['packs', 'manifest', 'apply', M('m-torn.json'), '--project', dir, '--json'])
      expect(r.code).toBe(3)
      expect(r.json.error.code).toBe('E_MANIFEST')
      expect(r.json.error.message).toMatch(/truncated/)
      expectUntouched()
    })

    it('an unpinned manifest (hint: manifest lock)', () => {
      const f = variant('m-unpinned.json', (m) => delete m.packages[0]!.version)
      const r = cli(['packs', 'manifest', 'apply', f, '--project', dir, '--json'])
      expect(r.code).toBe(3)
      expect(r.json.error).toMatchObject({code: 'E_MANIFEST', field: 'packages[0].version'})
      expect(r.json.error.hint).toContain('manifest lock')
      expectUntouched()
    })

    it('an unknown version', () => {
      const f = variant('m-unknown.json', (m) => Object.assign(m.packages[2]!, {version: '9.9.9', required_version: '9.9.9'}))
      const r = cli(['packs', 'manifest', 'apply', f, '--project', dir, '--json'])
      expect(r.code).toBe(4)
      expect(r.json.error).toMatchObject({code: 'E_VERSION_NOT_FOUND', file: f, field: 'packages[2].version'})
      expectUntouched()
      // the refusal itself is audited, as a failure
      const audit = read(join(home, 'audit', 'audit.log')).trim().split('\n')
      expect(audit.length).toBeGreaterThan(auditLines)
      expect(JSON.parse(audit.at(-1)!)).toMatchObject({action: 'manifest-apply', result: 'failure'})
    })

    it('an integrity that disagrees with the registry', () => {
      const f = variant('m-other-bytes.json', (m) => (m.packages[0]!.integrity = m.packages[2]!.integrity))
      const r = cli(['packs', 'manifest', 'apply', f, '--project', dir, '--json'])
      expect(r.code).toBe(5)
      expect(r.json.error).toMatchObject({code: 'E_INTEGRITY', field: 'packages[0].integrity'})
      expectUntouched()
    })

    it('a dependency the manifest lacks', () => {
      const f = variant('m-open.json', (m) => (m.packages = m.packages.filter((p) => p.id !== 'io.t.util')))
      const r = cli(['packs', 'manifest', 'apply', f, '--project', dir, '--json'])
      expect(r.code).toBe(3)
      expect(r.json.error.code).toBe('E_MANIFEST')
      expect(r.json.error.message).toContain('depends on io.t.util ^1.1.0, which the manifest does not include')
      expectUntouched()
    })

    it('a tarball whose bytes fail the integrity check (nothing added to the store either)', () => {
      // a copy of the registry with one tarball corrupted; a fresh home so nothing is in the store yet
      const bad = join(root, 'registry-corrupt')
      cpSync(registry, bad, {recursive: true})
      const index = JSON.parse(read(join(bad, 'index.json')))
      const tarball = index.packages['io.t.web'].versions['1.0.0'].tarball as string
      const bytes = readFileSync(join(bad, tarball))
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 0xff, bytes.length - 5)
      writeFileSync(join(bad, tarball), bytes)
      const home2 = join(root, 'home-corrupt')
      const proj = writeProject(join(root, 'guarded2'), 'guarded2')
      const b = files(proj)
      const r = runCli(['packs', 'manifest', 'apply', M('prod.json'), '--project', proj, '--json'], {env: {GGEN_HOME: home2, GGEN_REGISTRY_URL: bad}})
      expect(r.code).toBe(5)
      expect(r.json.error).toMatchObject({code: 'E_INTEGRITY', field: expect.stringMatching(/^packages\[\d\]\.integrity$/)})
      expect(r.json.error.message).toContain('io.t.web@1.0.0: integrity mismatch')
      expect(files(proj)).toEqual(b)
      expect(existsSync(join(home2, 'store', 'v1', 'index.json'))).toBe(false)
      expect(existsSync(join(home2, 'history'))).toBe(false)
    })
  })
})

describe('verify --manifest', () => {
  it('exit 0 and no differences when the project matches', () => {
    const r = cli(['packs', 'verify', '--manifest', M('prod-a.json'), '--project', prodA, '--json'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, environment: 'prod', project: prodA, project_environment: 'prod', checked: 3, differences: []})
  })

  it('lists every difference (missing, extra, version with direction) and exits 1', () => {
    const r = cli(['packs', 'verify', '--manifest', M('prod.json'), '--project', staging, '--json'])
    expect(r.code).toBe(1)
    expect(r.json.ok).toBe(false)
    const diffs = r.json.differences.map((d: {kind: string; id: string; direction?: string}) => `${d.kind} ${d.id}${d.direction ? ` ${d.direction}` : ''}`)
    expect(diffs).toEqual(['version io.t.app older', 'missing io.t.web', 'extra io.t.cli'])
    const human = cli(['packs', 'verify', '--manifest', M('prod.json'), '--project', staging])
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('3 differences from the prod manifest')
    expect(human.stdout).toContain('io.t.app: 1.0.0 installed, the manifest says 1.1.0 (installed is older)')
  })

  it('finds integrity drift and missing or edited store entries', () => {
    const dir = join(root, 'drift')
    cpSync(prodA, dir, {recursive: true})
    const m = JSON.parse(read(M('prod-a.json')))
    const lock = lockOf(dir)
    lock.packs['io.t.web'].integrity = m.packages.find((p: {id: string}) => p.id === 'io.t.app').integrity
    writeFileSync(join(dir, '.ggen', 'packs.lock'), JSON.stringify(lock, null, 2))
    // a separate home whose store lacks io.t.app and has an edited io.t.util
    const home2 = join(root, 'home-drift')
    cpSync(home, home2, {recursive: true})
    const entry = (id: string) => join(home2, 'store', 'v1', integrityDirName(m.packages.find((p: {id: string}) => p.id === id).integrity))
    rmSync(entry('io.t.app'), {recursive: true})
    writeFileSync(join(entry('io.t.util'), 'templates', 'main.tmpl'), 'edited\n')
    const r = runCli(['packs', 'verify', '--manifest', M('prod-a.json'), '--project', dir, '--json'], {env: {GGEN_HOME: home2}})
    expect(r.code).toBe(1)
    expect(r.json.differences.map((d: {kind: string; id: string}) => `${d.kind} ${d.id}`)).toEqual(['store-missing io.t.app', 'store-corrupt io.t.util', 'integrity io.t.web'])
    // --skip-store checks the lockfile only
    const r2 = runCli(['packs', 'verify', '--manifest', M('prod-a.json'), '--project', dir, '--skip-store', '--json'], {env: {GGEN_HOME: home2}})
    expect(r2.json.differences.map((d: {kind: string}) => d.kind)).toEqual(['integrity'])
  })

  it('--env checks every project tagged with the environment', () => {
    const r = cli(['packs', 'verify', '--manifest', M('prod-a.json'), '--env', 'prod', '--json'])
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({ok: false, env: 'prod', environment: 'prod'})
    expect(r.json.projects.map((p: {project: string; ok: boolean}) => [p.project, p.ok])).toEqual([
      [prodA, true],
      [prodB, false],
    ])
    expect(r.json.differences).toEqual([expect.objectContaining({kind: 'missing', id: 'io.t.app', project: prodB})])
    // staging projects against the prod manifest
    const s = cli(['packs', 'verify', '--manifest', M('prod.json'), '--env', 'staging'])
    expect(s.code).toBe(1)
    // (target2 was tagged staging by `apply --set-environment` above)
    expect(s.stdout).toContain('environment staging: 2 projects against the prod manifest')
    expect(s.stdout).toContain('2 of 2 projects differ')
    expect(cli(['packs', 'verify', '--manifest', M('staging.json'), '--env', 'staging']).code).toBe(0)
  })

  it('usage errors: --env without --manifest; an environment no project is tagged with', () => {
    expect(cli(['packs', 'verify', '--env', 'prod']).code).toBe(2)
    const none = cli(['packs', 'verify', '--manifest', M('prod.json'), '--env', 'nope', '--json'])
    expect(none.code).toBe(4)
    expect(none.json.error.code).toBe('E_NOT_FOUND')
    expect(none.json.error.hint).toContain('Environments in use: prod, staging')
  })
})
