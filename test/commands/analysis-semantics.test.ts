/**
 * What the analysis commands mean (issue 9), through the real binary (bin/run.js; run
 * `npm run build` first) against a temporary GGEN_HOME and a registry built with
 * `packs registry build`. Each case failed on main:
 *  - `--machine NAME` filters by machine everywhere and never becomes this machine's identity;
 *  - `dependents` lists every consumer, direct and transitive, each marked; `--direct` narrows;
 *  - `resolve` answers from ggen.toml alone, and computes ways out of a conflict among three or
 *    more requirers (moving one or several of them), or fails with E_RESOLVE naming them all;
 *  - outside a project folder, `verify` and `manifest generate` mean --all; `verify --all` over no
 *    project fails; moved projects are one warning; a damaged store entry names its repair.
 *
 *   util 1.0.0 1.1.0 1.2.0 1.3.0 2.0.0       log 1.0.0 -> util ^1.0.0
 *   web 1.5.0 -> util ^1.3.0, log ^1.0.0
 *   pa/pb/pc 1.0.0 -> util "1.0.0 || 1.1.0" / "1.1.0 || 1.2.0" / "1.0.0 || 1.2.0"   (pairwise only)
 *   qa/qb/qc 1.0.0 -> the same ranges; qc 2.0.0 -> util ^1.1.0                       (one move)
 *   ma 1.0.0 -> util 1.0.0, ma 2.0.0 -> nothing; mb 1.0.0 -> util 1.1.0, mb 2.0.0 -> util ^1.0.0
 *
 *   uses   (web/dave, environment dev)  web ^1.5.0   -> util 1.3.0 through web (transitive)
 *   direct (ops/erin)                   util ^1.0.0  -> util 1.3.0 (direct)
 */
import {appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'

const MACHINE = 'test-machine' // what test/support/cli.ts sets GGEN_MACHINE to
const X = (s: string) => `io.sem.${s}`
const UTIL = X('util')
const pairwise = {a: '1.0.0 || 1.1.0', b: '1.1.0 || 1.2.0', c: '1.0.0 || 1.2.0'}
const specs: GpackSpec[] = [
  ...['1.0.0', '1.1.0', '1.2.0', '1.3.0', '2.0.0'].map((version) => ({id: UTIL, version})),
  {id: X('log'), version: '1.0.0', deps: {[UTIL]: '^1.0.0'}},
  {id: X('web'), version: '1.5.0', deps: {[UTIL]: '^1.3.0', [X('log')]: '^1.0.0'}},
  ...Object.entries(pairwise).flatMap(([n, range]) => [
    {id: X(`p${n}`), version: '1.0.0', deps: {[UTIL]: range}},
    {id: X(`q${n}`), version: '1.0.0', deps: {[UTIL]: range}},
  ]),
  {id: X('qc'), version: '2.0.0', deps: {[UTIL]: '^1.1.0'}},
  {id: X('ma'), version: '1.0.0', deps: {[UTIL]: '1.0.0'}},
  {id: X('ma'), version: '2.0.0'},
  {id: X('mb'), version: '1.0.0', deps: {[UTIL]: '1.1.0'}},
  {id: X('mb'), version: '2.0.0', deps: {[UTIL]: '^1.0.0'}},
]

let root = ''
let home = ''
let registry = ''
const ws = (name: string) => join(root, 'ws', name)
const env = (extra: Record<string, string> = {}) => ({GGEN_HOME: home, GGEN_REGISTRY_URL: registry, ...extra})
const cli = (args: string[], o: {cwd?: string; env?: Record<string, string>} = {}): CliResult => runCli(['packs', ...args], {env: env(o.env), cwd: o.cwd})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}
/** a folder that is no project: commands run there are "outside a project" */
const outside = () => join(root, 'elsewhere')
const names = (r: CliResult) => r.json.projects.map((p: {project: {name: string}}) => p.project.name)
const warnings = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('warning: '))

beforeAll(() => {
  if (!existsSync(binPath) || !existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'projects', 'prune.js'))) throw new Error('build first: npm run build')
  root = tempDir('ggen-semantics-')
  home = join(root, 'home')
  registry = buildRegistry(root, specs)
  mkdirSync(outside(), {recursive: true})
  writeProject(ws('uses'), 'uses', {[X('web')]: '^1.5.0'}, 'team = "web"\nowner = "dave"\nenvironment = "dev"')
  writeProject(ws('direct'), 'direct', {[UTIL]: '^1.0.0'}, 'team = "ops"\nowner = "erin"')
  for (const p of ['uses', 'direct']) ok(cli(['install', '--project', ws(p)]))
}, 600_000)

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('dependents: every consumer, each marked', () => {
  it('lists direct and transitive users by default, with the path through which a transitive one gets it', () => {
    const r = ok(cli(['dependents', UTIL, '--json']))
    expect(r.json.projects).toEqual([
      {project: {name: 'direct', path: ws('direct'), team: 'ops', owner: 'erin'}, version: '1.3.0', direct: true, via: null, path: [{id: UTIL, version: '1.3.0'}]},
      {
        project: {name: 'uses', path: ws('uses'), team: 'web', owner: 'dave'},
        version: '1.3.0',
        direct: false,
        via: {id: X('web'), version: '1.5.0'},
        path: [{id: X('web'), version: '1.5.0'}, {id: UTIL, version: '1.3.0'}],
      },
    ])
    const human = ok(cli(['dependents', UTIL]))
    expect(human.stdout).toContain(`${UTIL}: 2 projects (1 direct, 1 transitive)`)
    expect(human.stdout).toMatch(new RegExp(`uses\\s+1\\.3\\.0\\s+no\\s+${X('web').replace(/\./g, '\\.')} 1\\.5\\.0`))
    expect(human.stdout).not.toContain('--transitive')
  })

  it('--direct narrows to the projects whose ggen.toml requires it; --transitive stays as a hidden alias of the default', () => {
    expect(names(ok(cli(['dependents', UTIL, '--direct', '--json'])))).toEqual(['direct'])
    expect(ok(cli(['dependents', UTIL, '--transitive', '--json'])).json).toEqual(ok(cli(['dependents', UTIL, '--json'])).json)
    expect(ok(cli(['dependents', '--help'])).stdout).not.toContain('--transitive')
    expect(ok(cli(['dependents', X('log'), '--direct'])).stdout).toContain(`No known project requires ${X('log')} directly (drop --direct to see transitive use).`)
  })
})

describe('--machine filters by machine, never names this one', () => {
  it('dependents and impact with an unknown machine: an empty answer and a note naming the machines known', () => {
    for (const args of [['dependents', UTIL], ['impact', `${UTIL}@2.0.0`]]) {
      const r = ok(cli([...args, '--machine', 'nosuch', '--json']))
      expect(r.json.projects, args[0]).toEqual([])
      expect(warnings(r), args[0]).toEqual([`warning: no known project comes from machine "nosuch"; machines known: ${MACHINE} (2 projects)`])
    }
    expect(names(ok(cli(['dependents', UTIL, '--machine', MACHINE, '--json'])))).toEqual(['direct', 'uses'])
    expect(names(ok(cli(['impact', `${UTIL}@2.0.0`, '--machine', MACHINE, '--json'])))).toEqual(['direct', 'uses'])
  })

  it('why with an unknown machine says so and lists the machines, instead of suggesting the very id asked about', () => {
    const r = cli(['why', UTIL, '--machine', 'nosuch'])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain(`Error [E_NOT_FOUND]: no known project comes from machine "nosuch"; machines known: ${MACHINE} (2 projects)`)
    expect(r.stderr).not.toContain('Did you mean')
    expect(names(ok(cli(['why', UTIL, '--machine', MACHINE, '--json'])))).toEqual(['direct', 'uses'])
  })

  it('verify --all with a machine that has no project fails, naming the machines known', () => {
    const r = cli(['verify', '--all', '--machine', 'nosuch', '--json'])
    expect(r.code).toBe(3)
    expect(r.json.error).toMatchObject({code: 'E_NO_PROJECT', message: `verify checked nothing: no known project of machine "nosuch" (machines known: ${MACHINE} (2 projects))`})
  })
})

describe('verify: a damaged store entry names the command that repairs it', () => {
  it('store-corrupt -> exit 1 with `ggen packs install --project DIR`; running it repairs the entry; verify exits 0', () => {
    const store = join(home, 'store', 'v1')
    const idx = JSON.parse(readFileSync(join(store, 'index.json'), 'utf8')) as {entries: Record<string, {id: string; version: string; dir: string}>}
    const entry = Object.values(idx.entries).find((e) => e.id === UTIL && e.version === '1.3.0')!
    const file = readdirSync(join(store, entry.dir), {recursive: true, withFileTypes: true}).find((f) => f.isFile() && !f.name.startsWith('.ggen'))!
    appendFileSync(join(file.parentPath, file.name), 'tampered\n')

    const bad = cli(['verify', '--project', ws('direct'), '--json'])
    expect(bad.code).toBe(1)
    const fix = `ggen packs install --project ${ws('direct')}`
    expect(bad.json.projects[0].problems).toEqual([expect.objectContaining({code: 'store-corrupt', id: UTIL, version: '1.3.0', fix})])
    expect(bad.json.projects[0].problems[0].message).toContain(`repair it: ${fix}`)

    const [command, packs, ...rest] = fix.split(' ').slice(1)
    expect([command, packs]).toEqual(['packs', 'install'])
    const repaired = ok(runCli([command!, packs!, ...rest], {env: env()}))
    expect(repaired.stderr).toContain(`${UTIL}@1.3.0: the store copy is damaged`)
    expect(ok(cli(['verify', '--project', ws('direct')])).stdout).toContain('verified - 1 project checked: 0 errors')
    expect(readFileSync(join(file.parentPath, file.name), 'utf8')).not.toContain('tampered')
  })
})

describe('outside a project folder, machine-wide commands mean --all', () => {
  it('verify and verify --show-conflicts check every known project; inside a project, that project', () => {
    const all = ok(cli(['verify', '--show-conflicts', '--json'], {cwd: outside()}))
    expect(all.json).toMatchObject({mode: 'all', ok: true, summary: {projects: 2}})
    expect(ok(cli(['verify'], {cwd: outside()})).stdout).toContain('verified - 2 projects checked')
    expect(ok(cli(['verify', '--json'], {cwd: ws('uses')})).json).toMatchObject({mode: 'project', projects: [{project: {name: 'uses'}}]})
  })

  it('manifest generate: every project tagged with the environment; --all and --all-projects say the same; a project folder is that project', () => {
    const m = ok(cli(['manifest', 'generate', 'dev', '--json'], {cwd: outside()}))
    expect(m.json.packages.map((p: {id: string}) => p.id)).toEqual([X('log'), UTIL, X('web')])
    for (const flag of ['--all', '--all-projects']) {
      expect(ok(cli(['manifest', 'generate', 'dev', flag, '--json'], {cwd: ws('direct')})).json.packages, flag).toEqual(m.json.packages)
    }
    expect(ok(cli(['manifest', 'generate', 'dev', '--json'], {cwd: ws('direct')})).json.packages.map((p: {id: string}) => p.id)).toEqual([UTIL])
    expect(cli(['manifest', 'generate', 'dev', '--all-projects', '--project', ws('direct')]).code).toBe(2)
  })

  it('verify --all over no known project at all fails (a gate that checks nothing), naming the machines', () => {
    const empty = {GGEN_HOME: join(root, 'empty-home')}
    for (const args of [['verify', '--all'], ['verify']]) {
      const r = cli([...args, '--json'], {cwd: outside(), env: empty})
      expect(r.code, args.join(' ')).toBe(3)
      expect(r.json.error).toMatchObject({code: 'E_NO_PROJECT', message: `verify checked nothing: no known project of machine "${MACHINE}" (machines known: ${MACHINE} (0 projects))`})
      expect(r.json.error.hint).toContain('--root DIR')
    }
  })
})

describe('resolve: from ggen.toml alone, and real ways out among three or more requirers', () => {
  const lockfile = (p: string) => join(p, '.ggen', 'packs.lock')
  const lockOf = (p: string) => JSON.parse(readFileSync(lockfile(p), 'utf8'))

  it('a project with a ggen.toml and no lockfile yet: requirers from resolving ggen.toml, and installing is the next step', () => {
    const dir = writeProject(ws('fresh'), 'fresh', {[X('web')]: '^1.5.0'})
    const r = ok(cli(['resolve', UTIL, '--project', dir, '--json']))
    expect(r.json).toMatchObject({locked: null, conflict: false})
    expect(r.json.requirers).toEqual([
      {requirer: `${X('log')}@1.0.0`, range: '^1.0.0', satisfied: null, source: 'resolver'},
      {requirer: `${X('web')}@1.5.0`, range: '^1.3.0', satisfied: null, source: 'resolver'},
    ])
    expect(r.json.ways).toEqual([expect.objectContaining({kind: 'install', works: true, command: `ggen packs install --project ${dir}`})])
    expect(existsSync(lockfile(dir))).toBe(false)
    ok(cli(['resolve', UTIL, '--project', dir, '--apply']))
    expect(lockOf(dir).packs[UTIL].version).toBe('1.3.0')
  })

  it('three requirers whose ranges overlap two by two but not all together, none movable: E_RESOLVE (exit 4) naming every requirer', () => {
    const dir = writeProject(ws('pairwise'), 'pairwise', {[X('pa')]: '^1.0.0', [X('pb')]: '^1.0.0', [X('pc')]: '^1.0.0'})
    const r = cli(['resolve', UTIL, '--project', dir])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain(`Error [E_RESOLVE]: no way out of the conflict on ${UTIL} in ${dir}`)
    for (const [n, range] of Object.entries(pairwise)) expect(r.stderr).toContain(`${X(`p${n}`)}@1.0.0 requires ${UTIL} ${range}`)
    expect(r.stderr).toContain(`Try this: Ask the maintainers of ${X('pa')}, ${X('pb')}, ${X('pc')}`)
    const j = cli(['resolve', UTIL, '--project', dir, '--json'])
    expect(j.json.error.details.requirers.map((q: {requirer: string}) => q.requirer)).toEqual([`${X('pa')}@1.0.0`, `${X('pb')}@1.0.0`, `${X('pc')}@1.0.0`])
    expect(existsSync(lockfile(dir))).toBe(false)
  })

  it('moving one requirer to another version of it is the way out; --apply performs it and verify passes', () => {
    const dir = writeProject(ws('one-move'), 'one-move', {[X('qa')]: '^1.0.0', [X('qb')]: '^1.0.0', [X('qc')]: '^1.0.0'})
    const r = ok(cli(['resolve', UTIL, '--project', dir, '--json']))
    expect(r.json.conflict).toBe(true)
    expect(r.json.ways).toEqual([
      expect.objectContaining({
        kind: 'move-requirer',
        summary: `use ${X('qc')} 2.0.0, whose range (^1.1.0) accepts ${UTIL} 1.1.0 (pins ${X('qc')} = "2.0.0" in ggen.toml)`,
        works: true,
        operation: {op: 'update', ids: [X('qc')], to: '2.0.0'},
      }),
    ])
    ok(cli(['resolve', UTIL, '--project', dir, '--apply']))
    expect(lockOf(dir).packs[X('qc')].version).toBe('2.0.0')
    expect(lockOf(dir).packs[UTIL].version).toBe('1.1.0')
    expect(cli(['verify', '--project', dir]).code).toBe(0)
  })

  it('when no single move is enough, several requirers move together', () => {
    const dir = writeProject(ws('two-moves'), 'two-moves', {[UTIL]: '1.2.0', [X('ma')]: '^1.0.0', [X('mb')]: '^1.0.0'})
    const r = ok(cli(['resolve', UTIL, '--project', dir, '--json']))
    expect(r.json.ways[0]).toMatchObject({kind: 'move-requirers', works: true, operation: {op: 'install', ids: [`${X('ma')}@2.0.0`, `${X('mb')}@2.0.0`]}})
    expect(r.json.ways.every((w: {kind: string}) => w.kind !== 'move-requirer')).toBe(true)
    ok(cli(['resolve', UTIL, '--project', dir, '--apply']))
    expect(Object.fromEntries(Object.entries(lockOf(dir).packs).map(([id, e]) => [id, (e as {version: string}).version]))).toEqual({[X('ma')]: '2.0.0', [X('mb')]: '2.0.0', [UTIL]: '1.2.0'})
    expect(cli(['verify', '--project', dir]).code).toBe(0)
  })
})

describe('known projects that moved', () => {
  it('1,000 of them are one warning naming a few, and `projects prune` forgets them', () => {
    const file = join(home, 'projects.json')
    const before = JSON.parse(readFileSync(file, 'utf8'))
    const moved = Array.from({length: 1000}, (_, i) => join(root, 'moved', `p${String(i).padStart(4, '0')}`))
    writeFileSync(file, JSON.stringify({...before, projects: {...before.projects, ...Object.fromEntries(moved.map((m) => [m, {registered_at: '2026-01-01T00:00:00Z'}]))}}))
    for (const args of [['list'], ['dependents', UTIL], ['verify', '--all']]) {
      const r = cli(args, {cwd: outside()})
      expect(r.code, args.join(' ')).toBe(0)
      expect(warnings(r), args.join(' ')).toEqual([
        `warning: 1000 known projects are gone (e.g. ${moved.slice(0, 3).join(', ')}, …): no ggen.toml or .ggen/packs.lock any more; remove them from the known projects with \`ggen packs projects prune\``,
      ])
    }
    expect(ok(cli(['projects', 'prune', '--dry-run', '--json'])).json).toMatchObject({dry_run: true, kept: Object.keys(before.projects).length})
    const pruned = ok(cli(['projects', 'prune', '--json']))
    expect(pruned.json.removed).toEqual(moved)
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).projects).sort()).toEqual(Object.keys(before.projects).sort())
    expect(warnings(cli(['list']))).toEqual([])
    const audit = readFileSync(join(home, 'audit', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(audit.at(-1)).toMatchObject({action: 'projects-prune', result: 'success'})
  })
})
