/**
 * The analysis commands (tree, why, dependents, impact, verify, resolve) through the real binary
 * (bin/run.js; run `npm run build` first) against a temporary GGEN_HOME and a registry built with
 * `packs registry build` from gpack sources written here. One world, installed once:
 *
 *   util 1.0.0 1.1.0(deprecated) 1.2.0 1.3.0 2.0.0     log 1.0.0 -> util ^1.0.0
 *   web 1.4.0 -> util ^1.0.0 ; web 1.5.0 -> util ^1.3.0, log ^1.0.0
 *   cli 0.9.0 -> util ^1.0.0 ; cli 1.0.0 -> util ^2.0.0
 *   cyc-a 1.0.0 <-> cyc-b 1.0.0 (a cycle)              old 1.0.0 (yanked in the second registry)
 *
 *   alpha  (web/dave)  web ^1.4.0                  -> web 1.5.0, log 1.0.0, util 1.3.0   clean
 *   beta   (ops/erin)  util ~1.2.0, cli ^0.9.0     -> util 1.2.0 (drift vs alpha), cli 0.9.0
 *   gamma              cyc-a ^1.0.0               -> a dependency cycle
 *   delta              web ^1.5.0, then cli ^1.0.0 added by hand: web wants util ^1.3, cli ^2 - no solution
 *   epsilon            web ^1.4.0, lockfile edited to util 1.2.0: web 1.5.0's ^1.3.0 unsatisfied
 *   zeta               util ^1.2.0, lockfile edited: junk integrity and a dangling dependency id
 *   eta                old ^1.0.0; its store entry edited; old 1.0.0 yanked by the registry afterwards
 */
import {appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'

const X = (s: string) => `io.x.${s}`
const specs: GpackSpec[] = [
  {id: X('util'), version: '1.0.0'},
  {id: X('util'), version: '1.1.0', deprecated: 'use 1.2 or later'},
  {id: X('util'), version: '1.2.0'},
  {id: X('util'), version: '1.3.0'},
  {id: X('util'), version: '2.0.0'},
  {id: X('log'), version: '1.0.0', deps: {[X('util')]: '^1.0.0'}},
  {id: X('web'), version: '1.4.0', deps: {[X('util')]: '^1.0.0'}},
  {id: X('web'), version: '1.5.0', deps: {[X('util')]: '^1.3.0', [X('log')]: '^1.0.0'}},
  {id: X('cli'), version: '0.9.0', deps: {[X('util')]: '^1.0.0'}},
  {id: X('cli'), version: '1.0.0', deps: {[X('util')]: '^2.0.0'}},
  {id: X('cyc-a'), version: '1.0.0', deps: {[X('cyc-b')]: '^1.0.0'}},
  {id: X('cyc-b'), version: '1.0.0', deps: {[X('cyc-a')]: '^1.0.0'}},
  {id: X('old'), version: '1.0.0'},
  {id: X('old'), version: '1.1.0'},
]

let root = ''
let home = ''
let registry = ''
/** the same registry, but old 1.0.0 yanked */
let registry2 = ''
const ws = (name: string) => join(root, 'ws', name)
const env = () => ({GGEN_HOME: home, GGEN_REGISTRY_URL: registry})
const cli = (args: string[], extra: Record<string, string> = {}): CliResult => runCli(['packs', ...args], {env: {...env(), ...extra}})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}
const lockOf = (p: string) => JSON.parse(readFileSync(join(p, '.ggen', 'packs.lock'), 'utf8'))
const editLock = (p: string, fn: (l: {packs: Record<string, {version: string; integrity: string; dependencies: string[]}>}) => void) => {
  const l = lockOf(p)
  fn(l)
  writeFileSync(join(p, '.ggen', 'packs.lock'), JSON.stringify(l, null, 2) + '\n')
}

beforeAll(() => {
  if (!existsSync(binPath) || !existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'tree.js'))) throw new Error('build first: npm run build')
  root = tempDir('ggen-analysis-')
  home = join(root, 'home')
  registry = buildRegistry(root, specs)
  registry2 = buildRegistry(join(root, 'r2'), specs.map((s) => (s.id === X('old') && s.version === '1.0.0' ? {...s, yanked: true} : s)))
  writeProject(ws('alpha'), 'alpha', {[X('web')]: '^1.4.0'}, 'team = "web"\nowner = "dave"')
  writeProject(ws('beta'), 'beta', {[X('util')]: '~1.2.0', [X('cli')]: '^0.9.0'}, 'team = "ops"\nowner = "erin"')
  writeProject(ws('gamma'), 'gamma', {[X('cyc-a')]: '^1.0.0'})
  writeProject(ws('delta'), 'delta', {[X('web')]: '^1.5.0'})
  writeProject(ws('epsilon'), 'epsilon', {[X('web')]: '^1.4.0'})
  writeProject(ws('zeta'), 'zeta', {[X('util')]: '^1.2.0'})
  writeProject(ws('eta'), 'eta', {[X('old')]: '1.0.0'})
  for (const p of ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta']) ok(cli(['install', '--project', ws(p)]))
  // delta: a requirement added by hand that cannot be resolved together with web ^1.5
  writeProject(ws('delta'), 'delta', {[X('web')]: '^1.5.0', [X('cli')]: '^1.0.0'})
  // epsilon: the lockfile holds util 1.2.0 although web 1.5.0 wants ^1.3.0
  const util12 = lockOf(ws('beta')).packs[X('util')].integrity
  editLock(ws('epsilon'), (l) => {
    l.packs[X('util')] = {...l.packs[X('util')]!, version: '1.2.0', integrity: util12}
  })
  // zeta: ggen's junk integrity string and a dependency id the lockfile does not lock
  editLock(ws('zeta'), (l) => {
    l.packs[X('util')]!.integrity = 'sha256-UNKNOWN-pack-not-found-locally'
    l.packs[X('util')]!.dependencies = [X('ghost')]
  })
  // eta: a file of its store entry changed
  const store = join(home, 'store', 'v1')
  const idx = JSON.parse(readFileSync(join(store, 'index.json'), 'utf8')) as {entries: Record<string, {id: string; version: string; dir: string}>}
  const entry = Object.values(idx.entries).find((e) => e.id === X('old') && e.version === '1.0.0')!
  const files = readdirSync(join(store, entry.dir), {recursive: true, withFileTypes: true}).filter((f) => f.isFile() && !f.name.startsWith('.ggen'))
  appendFileSync(join(files[0]!.parentPath, files[0]!.name), 'tampered\n')
}, 600_000)

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('packs tree', () => {
  it('--json nests {id, version, dependencies} from the direct requirements down', () => {
    const r = ok(cli(['tree', '--project', ws('alpha'), '--json']))
    expect(r.json).toEqual({
      project: {name: 'alpha', path: ws('alpha')},
      dependencies: [
        {
          id: X('web'),
          version: '1.5.0',
          dependencies: [
            {id: X('log'), version: '1.0.0', dependencies: [{id: X('util'), version: '1.3.0', dependencies: []}]},
            {id: X('util'), version: '1.3.0', dependencies: []},
          ],
        },
      ],
      last_scanned: null,
    })
  })

  it('draws the tree for people, marks a cycle, and cuts at --depth', () => {
    const r = ok(cli(['tree', '--project', ws('gamma')]))
    expect(r.stdout).toContain(`gamma ${ws('gamma')}`)
    expect(r.stdout).toContain(`└── ${X('cyc-a')} 1.0.0\n    └── ${X('cyc-b')} 1.0.0\n        └── ${X('cyc-a')} 1.0.0 (cycle)`)
    expect(r.stdout).not.toContain('\u001b[') // no colour off a TTY
    const d = ok(cli(['tree', '--project', ws('alpha'), '--depth', '1', '--json']))
    expect(d.json.dependencies).toEqual([{id: X('web'), version: '1.5.0', dependencies: [], truncated: true}])
  })

  it('a directory that is not a project is a clear error', () => {
    const r = cli(['tree', '--project', join(root, 'nope')])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('is not a ggen project')
    expect(r.stderr).toContain('Try this:')
  })
})

describe('packs why', () => {
  it('every path in one project, and the summary that matters', () => {
    const r = ok(cli(['why', X('util'), '--project', ws('alpha'), '--json']))
    expect(r.json).toEqual({
      package: X('util'),
      projects: [
        {
          project: {name: 'alpha', path: ws('alpha')},
          version: '1.3.0',
          direct: false,
          summary: `comes in through ${X('web')} 1.5.0 -> ${X('util')} 1.3.0 (+1 more path)`,
          via: [{id: X('web'), version: '1.5.0'}],
          paths: [
            [{id: X('web'), version: '1.5.0'}, {id: X('util'), version: '1.3.0'}],
            [{id: X('web'), version: '1.5.0'}, {id: X('log'), version: '1.0.0'}, {id: X('util'), version: '1.3.0'}],
          ],
          count: 2,
          truncated: false,
        },
      ],
    })
  })

  it('across every project when none is named', () => {
    const r = ok(cli(['why', X('util'), '--json']))
    expect(r.json.projects.map((p: {project: {name: string}; direct: boolean}) => [p.project.name, p.direct])).toEqual([
      ['alpha', false],
      ['beta', true],
      ['delta', false],
      ['epsilon', false],
      ['zeta', true],
    ])
    const h = ok(cli(['why', X('util')]))
    expect(h.stdout).toContain('locked by 5 projects (1.3.0, 1.2.0)')
    expect(h.stdout).toMatch(/beta\s+1\.2\.0\s+direct dependency \(ggen\.toml\)/)
  })

  it('an id nobody locks is E_NOT_FOUND with a suggestion', () => {
    const r = cli(['why', X('utl')])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain(`Did you mean ${X('util')}`)
  })
})

describe('packs dependents', () => {
  it('--direct --json: projects whose ggen.toml requires it, with the version each uses, plus the packages that depend on it', () => {
    const r = ok(cli(['dependents', X('util'), '--direct', '--json']))
    expect(r.json.projects).toEqual([
      {project: {name: 'beta', path: ws('beta'), team: 'ops', owner: 'erin'}, version: '1.2.0', direct: true, via: null, path: [{id: X('util'), version: '1.2.0'}]},
      {project: {name: 'zeta', path: ws('zeta'), team: null, owner: null}, version: '1.3.0', direct: true, via: null, path: [{id: X('util'), version: '1.3.0'}]},
    ])
    expect(r.json.packages.map((p: {id: string; version: string; range: string}) => `${p.id}@${p.version} ${p.range}`)).toEqual([
      `${X('cli')}@0.9.0 ^1.0.0`,
      `${X('cli')}@1.0.0 ^2.0.0`,
      `${X('log')}@1.0.0 ^1.0.0`,
      `${X('web')}@1.4.0 ^1.0.0`,
      `${X('web')}@1.5.0 ^1.3.0`,
    ])
  })

  it('--transitive, range, team and owner filters', () => {
    const all = ok(cli(['dependents', X('util'), '--transitive', '--json']))
    expect(all.json.projects.map((p: {project: {name: string}}) => p.project.name)).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'zeta'])
    expect(all.json.versions).toEqual([
      {version: '1.2.0', projects: 2},
      {version: '1.3.0', projects: 3},
    ])
    const web = ok(cli(['dependents', `${X('util')}@^1.3.0`, '--transitive', '--team', 'web', '--owner', 'dave', '--json']))
    expect(web.json.projects).toEqual([
      {
        project: {name: 'alpha', path: ws('alpha'), team: 'web', owner: 'dave'},
        version: '1.3.0',
        direct: false,
        via: {id: X('web'), version: '1.5.0'},
        path: [{id: X('web'), version: '1.5.0'}, {id: X('util'), version: '1.3.0'}],
      },
    ])
    expect(web.json.range).toBe('^1.3.0')
  })

  it('--format csv --output FILE and --notify-template write the outreach list and one message per project', () => {
    const csvFile = join(root, 'out', 'util.csv')
    mkdirSync(join(root, 'out'), {recursive: true})
    const template = join(root, 'out', 'notice.md')
    writeFileSync(template, 'Hello {{owner}} ({{team}}),\n{{project}} uses {{package}} {{version}}; please move to {{to}}.\n{{changes}}\n')
    const r = ok(cli(['dependents', X('util'), '--team', 'web', '--format', 'csv', '--output', csvFile, '--notify-template', template, '--to', '2.0.0', '--output-dir', join(root, 'out', 'msgs'), '--json']))
    const rows = `project,path,team,owner,version,direct,via\nalpha,${ws('alpha')},web,dave,1.3.0,false,${X('web')}@1.5.0\n`
    expect(readFileSync(csvFile, 'utf8')).toBe(rows)
    expect(r.json.projects.map((p: {project: {name: string}}) => p.project.name)).toEqual(['alpha'])
    expect(r.stderr).toContain(`wrote ${csvFile}`)
    // the old spellings (--export csv FILE, --notify-dir, --transitive) stay as hidden aliases
    const old = join(root, 'out', 'old.csv')
    ok(cli(['dependents', X('util'), '--transitive', '--team', 'web', '--export', 'csv', old, '--notify-template', template, '--notify-dir', join(root, 'out', 'old-msgs')]))
    expect(readFileSync(old, 'utf8')).toBe(rows)
    expect(readFileSync(join(root, 'out', 'old-msgs', 'alpha.md'), 'utf8')).toContain('Hello dave (web)')
    expect(r.json.notifications.files).toEqual([{project: ws('alpha'), file: join(root, 'out', 'msgs', 'alpha.md')}])
    const msg = readFileSync(join(root, 'out', 'msgs', 'alpha.md'), 'utf8')
    expect(msg).toContain(`Hello dave (web),\nalpha uses ${X('util')} 1.3.0; please move to 2.0.0.`)
    expect(msg).toContain(`- breaks: ${X('log')}@1.0.0 requires ${X('util')} ^1.0.0, which 2.0.0 does not satisfy`)
    const json = join(root, 'out', 'util.json')
    ok(cli(['dependents', X('util'), '--direct', '--export', json]))
    expect(JSON.parse(readFileSync(json, 'utf8')).map((p: {project: {name: string}}) => p.project.name)).toEqual(['beta', 'zeta'])
  })
})

describe('packs impact', () => {
  it('--json: per project, from, whether it breaks and which requirers break it; added / removed', () => {
    const r = ok(cli(['impact', `${X('util')}@2.0.0`, '--json']))
    expect(Object.keys(r.json).sort()).toEqual(['added', 'package', 'projects', 'registry', 'removed', 'to'])
    const byName = Object.fromEntries(r.json.projects.map((p: {project: {name: string}}) => [p.project.name, p]))
    expect(Object.keys(byName)).toEqual(['alpha', 'beta', 'delta', 'epsilon', 'zeta'])
    expect(byName.alpha).toEqual({
      project: {name: 'alpha', path: ws('alpha')},
      from: '1.3.0',
      direct: false,
      breaks: true,
      reasons: [
        {requirer: `${X('log')}@1.0.0`, range: '^1.0.0'},
        {requirer: `${X('web')}@1.5.0`, range: '^1.3.0'},
      ],
      moves: [],
    })
    expect(byName.beta.reasons).toEqual([
      {requirer: 'ggen.toml', range: '~1.2.0'},
      {requirer: `${X('cli')}@0.9.0`, range: '^1.0.0'},
    ])
    expect(r.json.added).toEqual([])
    expect(r.json.removed).toEqual([])
  })

  it('a compatible version breaks nothing; the human table says so', () => {
    const r = ok(cli(['impact', `${X('cli')}@1.0.0`]))
    expect(r.stdout).toContain(`${X('cli')} -> 1.0.0: breaks 1 of 1 project`)
    const web = ok(cli(['impact', `${X('web')}@1.4.0`, '--json']))
    expect(web.json.projects.map((p: {breaks: boolean}) => p.breaks)).toEqual([false, true, false])
    expect(web.json.removed).toEqual([{id: X('log'), range: '^1.0.0'}])
  })

  it('an unknown version is an error naming the versions there are', () => {
    const r = cli(['impact', `${X('util')}@9.9.9`])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('has no version 9.9.9')
    expect(r.stderr).toContain('2.0.0, 1.3.0, 1.2.0')
  })
})

describe('packs verify', () => {
  const verify = (args: string[]) => cli(['verify', ...args, '--json'], {GGEN_REGISTRY_URL: registry2})
  const codes = (r: CliResult) => r.json.projects[0].problems.map((p: {code: string}) => p.code)

  it('a clean project exits 0; drift with the others is listed as a warning', () => {
    const r = verify(['--project', ws('alpha')])
    expect(r.code).toBe(0)
    expect(r.json.ok).toBe(true)
    expect(r.json.projects).toEqual([{project: {name: 'alpha', path: ws('alpha')}, ok: true, problems: []}])
    expect(r.json.drift).toEqual([
      {
        id: X('util'),
        versions: [
          {version: '1.2.0', count: 2, projects: [{name: 'beta', path: ws('beta')}, {name: 'epsilon', path: ws('epsilon')}]},
          {version: '1.3.0', count: 3, projects: [{name: 'alpha', path: ws('alpha')}, {name: 'delta', path: ws('delta')}, {name: 'zeta', path: ws('zeta')}]},
        ],
      },
    ])
  })

  it('an unsatisfied range names requirer, range and locked version; exit 1', () => {
    const r = verify(['--project', ws('epsilon')])
    expect(r.code).toBe(1)
    expect(r.json.projects[0].problems).toContainEqual(
      expect.objectContaining({code: 'unsatisfied-range', severity: 'error', id: X('util'), version: '1.2.0', requirer: `${X('web')}@1.5.0`, range: '^1.3.0'}),
    )
  })

  it('a cycle, a ggen.toml requirement not locked, junk integrity and dangling ids are errors', () => {
    expect(codes(verify(['--project', ws('gamma')]))).toEqual(['cycle'])
    const delta = verify(['--project', ws('delta')])
    expect(delta.code).toBe(1)
    expect(codes(delta)).toEqual(['not-locked'])
    const zeta = verify(['--project', ws('zeta')])
    expect(zeta.code).toBe(1)
    expect(codes(zeta)).toEqual(['dangling-dependency', 'integrity-invalid'])
    expect(zeta.json.projects[0].problems[1].message).toContain('sha256-UNKNOWN-pack-not-found-locally')
  })

  it('a changed store entry (re-hashed) is an error, a yanked version in use a warning', () => {
    const r = verify(['--project', ws('eta')])
    expect(r.code).toBe(1)
    expect(codes(r)).toEqual(['yanked', 'store-corrupt'])
    expect(codes(verify(['--project', ws('eta'), '--skip-store']))).toEqual(['yanked'])
  })

  it('--all checks every project; --show-conflicts lists drift; --strict fails on warnings', () => {
    const r = verify(['--all'])
    expect(r.code).toBe(1)
    expect(r.json.summary).toMatchObject({projects: 7, drift: 1})
    expect(r.json.drift).toEqual([{id: X('util'), versions: [{version: '1.2.0', count: 2}, {version: '1.3.0', count: 3}]}])
    expect(r.json.projects.filter((p: {ok: boolean}) => !p.ok).map((p: {project: {name: string}}) => p.project.name)).toEqual(['delta', 'epsilon', 'gamma', 'zeta'])
    // --all checks store presence only; --deep re-hashes (a yanked version in use is a warning: the lock keeps it working)
    expect(r.json.projects.find((p: {project: {name: string}}) => p.project.name === 'eta').problems.map((p: {code: string}) => p.code)).toEqual(['yanked'])
    const deep = verify(['--all', '--deep'])
    expect(deep.json.projects.find((p: {project: {name: string}}) => p.project.name === 'eta').problems.map((p: {code: string}) => p.code)).toEqual(['yanked', 'store-corrupt'])
    const h = cli(['verify', '--all', '--show-conflicts'], {GGEN_REGISTRY_URL: registry2})
    expect(h.code).toBe(1)
    expect(h.stdout).toContain(`! ${X('util')}: 1.2.0 (beta, epsilon), 1.3.0 (alpha, delta, zeta)`)
    expect(h.stdout).toContain('verification failed (4 projects)')
    expect(verify(['--project', ws('beta')]).code).toBe(0)
    expect(verify(['--project', ws('beta'), '--strict']).code).toBe(1)
  })

  it('a legacy ggen.lock is read and reported, never a crash', () => {
    const dir = ws('legacy')
    writeProject(dir, 'legacy', {[X('util')]: '^1.0.0'})
    writeFileSync(join(dir, 'ggen.lock'), `version = "1.0"\ngenerated = "2024-01-01T00:00:00Z"\n\n[[packs]]\nid = "${X('util')}"\nversion = "1.2.0"\nsha256 = "abc123"\nsource = "https://registry.example/util"\ndependencies = ["${X('nowhere')}@^1"]\n`)
    const r = verify(['--project', dir])
    expect(r.code).toBe(1)
    // the lockfile's dependency id the lockfile does not lock is reported once (dangling), not also as missing
    expect(codes(r)).toEqual(['legacy-lockfile', 'dangling-dependency', 'integrity-invalid'])
    expect(r.json.projects[0].problems[1]).toMatchObject({id: X('nowhere'), requirer: `${X('util')}@1.2.0`})
  })
})

describe('packs resolve', () => {
  it('explains a conflict: who requires what, the candidates, and a way out checked by a dry run', () => {
    const r = ok(cli(['resolve', X('util'), '--project', ws('delta'), '--json']))
    expect(r.json.conflict).toBe(true)
    expect(r.json.requirers.map((q: {requirer: string; range: string}) => `${q.requirer} ${q.range}`)).toEqual(
      expect.arrayContaining([`${X('web')}@1.5.0 ^1.3.0`, `${X('cli')}@1.0.0 ^2.0.0`]),
    )
    const c = Object.fromEntries(r.json.candidates.map((x: {version: string; satisfies: string[]}) => [x.version, x.satisfies]))
    expect(c['2.0.0']).toEqual([`${X('cli')}@1.0.0`])
    expect(c['1.3.0']).toContain(`${X('web')}@1.5.0`)
    expect(r.json.ways[0]).toMatchObject({
      kind: 'move-requirer',
      summary: `use ${X('cli')} 0.9.0, whose range (^1.0.0) accepts ${X('util')} 1.3.0 (pins ${X('cli')} = "0.9.0" in ggen.toml)`,
      works: true,
      operation: {op: 'update', ids: [X('cli')], to: '0.9.0'},
    })
    expect(r.json.ways[0].changes).toEqual([{id: X('cli'), from: null, to: '0.9.0', kind: 'added'}])
    // nothing was written
    expect(lockOf(ws('delta')).packs[X('cli')]).toBeUndefined()
  })

  it('--apply performs it through the install transaction (history generation, audit entry)', () => {
    const r = ok(cli(['resolve', X('util'), '--project', ws('delta'), '--apply', '--json']))
    expect(r.json.applied.way).toBe(1)
    expect(r.json.applied.result.generation).toEqual(expect.any(Number))
    expect(lockOf(ws('delta')).packs[X('cli')].version).toBe('0.9.0')
    expect(readFileSync(join(ws('delta'), 'ggen.toml'), 'utf8')).toContain(`"${X('cli')}" = "0.9.0"`)
    const audit = readFileSync(join(home, 'audit', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(audit.at(-1)).toMatchObject({action: 'update', result: 'success', affected_packages: [X('cli')]})
    expect(cli(['verify', '--project', ws('delta')]).code).toBe(0)
  })

  it('a stale lockfile: re-resolving within the current ranges is the way out', () => {
    const r = ok(cli(['resolve', X('util'), '--project', ws('epsilon')]))
    expect(r.stdout).toContain(`the locked ${X('util')} 1.2.0 does not satisfy ${X('web')}@1.5.0 (^1.3.0)`)
    expect(r.stdout).toContain(`1. re-resolve ${X('util')} within the current ranges`)
    expect(r.stdout).toContain(`changes: ${X('util')} 1.2.0 -> 1.3.0`)
  })

  it('no conflict is said so, exit 0; an unknown package is an error', () => {
    const r = ok(cli(['resolve', X('util'), '--project', ws('alpha'), '--json']))
    expect(r.json.conflict).toBe(false)
    expect(r.json.ways).toEqual([])
    expect(cli(['resolve', X('nope'), '--project', ws('alpha')]).code).toBe(4)
  })
})
