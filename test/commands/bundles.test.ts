/**
 * Bundles, policy and enforcement through the real binary (bin/run.js; `npm run build` first), each
 * scenario in its own temporary GGEN_HOME with projects installed from a registry built with
 * `packs registry build`:
 *
 *   util 1.0.0 2.0.0 (MIT, production-ready)   web 1.0.0 -> util ^1 (MIT OR GPL-3.0-only)
 *   gpl 1.0.0 (MIT AND GPL-3.0-only)           extra 1.0.0 (Apache-2.0, not production-ready)
 *   pay  (team payments)  web ^1             -> web 1.0.0, util 1.0.0
 *   shop (team web)       util ^2, extra     -> util 2.0.0, extra 1.0.0
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult, type GpackSpec} from '../support/cli.js'

const X = (s: string) => `io.bd.${s}`
const specs: GpackSpec[] = [
  {id: X('util'), version: '1.0.0', productionReady: true},
  {id: X('util'), version: '2.0.0', productionReady: true},
  {id: X('web'), version: '1.0.0', deps: {[X('util')]: '^1.0.0'}, license: 'MIT OR GPL-3.0-only', productionReady: true},
  {id: X('gpl'), version: '1.0.0', license: 'MIT AND GPL-3.0-only', productionReady: true},
  {id: X('extra'), version: '1.0.0', license: 'Apache-2.0'},
]

let registry = ''
beforeAll(() => {
  if (!existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'bundle', 'apply.js'))) throw new Error('build first: npm run build')
  registry = buildRegistry(tempDir('ggen-bundles-reg-'), specs)
})

interface World {
  root: string
  home: string
  pay: string
  shop: string
  cli: (args: string[]) => CliResult
  ok: (args: string[]) => CliResult
}

/** a fresh GGEN_HOME with pay and shop installed */
function world(): World {
  const root = tempDir('ggen-bundles-')
  const env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: registry}
  const cli = (args: string[]) => runCli(['packs', ...args], {env})
  const ok = (args: string[]) => {
    const r = cli(args)
    if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stderr}\n${r.stdout}`)
    return r
  }
  const pay = writeProject(join(root, 'ws', 'pay'), 'pay', {}, 'team = "payments"')
  const shop = writeProject(join(root, 'ws', 'shop'), 'shop', {}, 'team = "web"')
  ok(['install', `${X('web')}@^1`, '-C', pay])
  ok(['install', `${X('util')}@^2`, X('extra'), '-C', shop])
  return {root, home: env.GGEN_HOME, pay, shop, cli, ok}
}

const files = (w: World, dir: string) => [join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'), join(w.home, 'store', 'index.json')].map((f) => (existsSync(f) ? readFileSync(f) : null))
const audit = (w: World, action: string) => w.ok(['audit', '--action', action, '--json']).json as {entries: {action: string; result: string; details: string}[]}

describe('bundle CRUD, export and import', () => {
  let w: World
  beforeAll(() => {
    w = world()
  })

  it('create, add, remove, show; each change audited', () => {
    w.ok(['bundle', 'create', 'std', '--description', 'the standard', '--enforcement', 'hard', '--team', 'x', '--team', 'a', '--maintainer', 'ann'])
    w.ok(['bundle', 'add', 'std', `${X('util')}@^1`, `${X('web')}@^1`, `${X('gpl')}`])
    w.ok(['bundle', 'add', 'std', `${X('extra')}@1.x`, '--optional'])
    w.ok(['bundle', 'remove', 'std', X('gpl')])
    const b = w.ok(['bundle', 'show', 'std', '--json']).json as Record<string, unknown>
    expect(b).toMatchObject({id: 'std', description: 'the standard', enforcement: 'hard', teams: ['a', 'x'], maintainer: 'ann'})
    expect(b.packages).toEqual([
      {id: X('extra'), version: '1.x', optional: true, tier: 'optional'},
      {id: X('util'), version: '^1', optional: false, tier: 'required'},
      {id: X('web'), version: '^1', optional: false, tier: 'required'},
    ])
    for (const a of ['bundle-create', 'bundle-add', 'bundle-remove']) expect(audit(w, a).entries.map((e) => e.result)).toContain('success')
    const bad = w.cli(['bundle', 'remove', 'std', X('nothing'), '--json'])
    expect(bad.code).toBe(4)
    expect(audit(w, 'bundle-remove').entries.map((e) => e.result)).toContain('failure')
    expect(w.cli(['bundle', 'create', 'std']).code).toBe(2)
    expect(w.ok(['bundle', 'list', '--json']).json).toMatchObject({backend: 'memory', bundles: [{id: 'std'}]})
  })

  for (const format of ['toml', 'json', 'yaml'] as const) {
    it(`export --format ${format} -> delete -> import gives the same bundle`, () => {
      const before = w.ok(['bundle', 'show', 'std', '--json']).json
      const file = join(w.root, `std.${format}`)
      w.ok(['bundle', 'export', 'std', '--output', file])
      const text = readFileSync(file, 'utf8')
      if (format === 'json') expect(JSON.parse(text)).toEqual(before)
      expect(w.ok(['bundle', 'export', 'std', '--format', format]).stdout).toBe(text)
      expect(w.cli(['bundle', 'import', file]).code).toBe(2) // exists: --force to replace
      w.ok(['bundle', 'delete', 'std'])
      expect(w.cli(['bundle', 'show', 'std']).code).toBe(4)
      w.ok(['bundle', 'import', file])
      expect(w.ok(['bundle', 'show', 'std', '--json']).json).toEqual(before)
      expect(w.ok(['bundle', 'import', file, '--force', '--json']).json).toMatchObject({replaced: true})
      expect(audit(w, 'import').entries.length).toBeGreaterThan(0)
      expect(audit(w, 'bundle-delete').entries.length).toBeGreaterThan(0)
    })
  }

  it('an imported TOML bundle keeps its comments through bundle add and remove', () => {
    const file = join(w.root, 'team.toml')
    const text = ['# shared by the platform team: edit in review only', 'id = "team"', 'name = "team"', 'enforcement = "soft" # hard after Q1', 'created_at = "2026-10-01T00:00:00.000Z"', 'owner_channel = "#platform"', '', '# logging everywhere', '[[packages]]', `id = "${X('web')}"`, 'version = "^1"', '', '# to be dropped', '[[packages]]', `id = "${X('gpl')}"`, 'version = "*"', ''].join('\n')
    writeFileSync(file, text)
    w.ok(['bundle', 'import', file])
    const stored = join(w.home, 'bundles', 'team.toml')
    expect(readFileSync(stored, 'utf8')).toBe(text)
    w.ok(['bundle', 'add', 'team', `${X('util')}@^1`])
    w.ok(['bundle', 'remove', 'team', X('gpl')])
    const after = readFileSync(stored, 'utf8')
    for (const kept of ['# shared by the platform team: edit in review only', 'enforcement = "soft" # hard after Q1', 'owner_channel = "#platform"', '# logging everywhere']) expect(after).toContain(kept)
    expect(after).not.toContain('# to be dropped')
    expect(after).toMatch(/updated_at = "/)
    const b = w.ok(['bundle', 'show', 'team', '--json']).json as {packages: {id: string}[]; owner_channel: string}
    expect(b.packages.map((p) => p.id)).toEqual([X('util'), X('web')])
    expect(b.owner_channel).toBe('#platform')
  })

  it('a broken import file names the field and changes nothing', () => {
    const file = join(w.root, 'bad.json')
    writeFileSync(file, JSON.stringify({id: 'bad', name: 'bad', created_at: 'x', enforcement: 'strict'}))
    const r = w.cli(['bundle', 'import', file, '--json'])
    expect(r.code).toBe(3)
    expect(JSON.stringify(r.json)).toMatch(/enforcement/)
    expect(w.cli(['bundle', 'show', 'bad']).code).toBe(4)
  })
})

describe('bundle apply --validate-all-projects', () => {
  let w: World
  beforeAll(() => {
    w = world()
    writeFileSync(join(w.root, 'p.toml'), '[policy]\nproduction_ready = true\n')
    w.ok(['bundle', 'create', 'std', '--policy', join(w.root, 'p.toml')])
    w.ok(['bundle', 'add', 'std', `${X('web')}@^1`])
    w.ok(['bundle', 'add', 'std', `${X('util')}@^1`, '--optional'])
  })

  it('every violation kind, a summary, JSON; exit 1 only with --exit-code', () => {
    const r = w.cli(['bundle', 'apply', 'std', '--validate-all-projects', '--json'])
    expect(r.code).toBe(0)
    const v = r.json as {ok: boolean; projects: {project: {name: string}; ok: boolean; violations: {rule: string; package: string}[]}[]; summary: Record<string, unknown>}
    expect(v.ok).toBe(false)
    expect(v.projects.map((p) => [p.project.name, p.ok])).toEqual([['pay', true], ['shop', false]])
    expect(v.projects[1]!.violations.map((x) => `${x.rule} ${x.package}`).sort()).toEqual([`missing-required ${X('web')}`, `out-of-range ${X('util')}`, `production-ready ${X('extra')}`, `unapproved ${X('extra')}`].sort())
    expect(v.summary).toMatchObject({projects: 2, violating: 1, violations: 4})
    expect(w.cli(['bundle', 'apply', 'std', '--all', '--exit-code']).code).toBe(1)
    expect(w.cli(['bundle', 'apply', 'std', '--all', '--team', 'payments', '--exit-code']).code).toBe(0)
    const human = w.ok(['bundle', 'apply', 'std', '--all']).stdout
    expect(human).toMatch(/1 of 2 projects violate/)
  })

  it('bundle apply --project brings shop in line where it can, and lists what it cannot fix', () => {
    const before = files(w, w.shop)
    const dry = w.ok(['bundle', 'apply', 'std', '--project', w.shop, '--dry-run', '--json']).json as {requested: string[]; unfixed: {rule: string}[]}
    expect(dry.requested.sort()).toEqual([`${X('util')}@^1`, `${X('web')}@^1`].sort())
    expect(files(w, w.shop)).toEqual(before)
    const r = w.ok(['bundle', 'apply', 'std', '--project', w.shop, '--json']).json as {remaining: {rule: string; package: string}[]; unfixed: {rule: string; package: string}[]}
    expect(r.unfixed.map((x) => x.rule).sort()).toEqual(['production-ready', 'unapproved'])
    expect(r.remaining.map((x) => `${x.rule} ${x.package}`)).toEqual([`production-ready ${X('extra')}`, `unapproved ${X('extra')}`])
    const lock = JSON.parse(readFileSync(join(w.shop, '.ggen', 'packs.lock'), 'utf8')) as {packs: Record<string, {version: string}>}
    expect(lock.packs[X('util')]!.version).toBe('1.0.0')
    expect(lock.packs[X('web')]!.version).toBe('1.0.0')
    expect(audit(w, 'bundle-apply').entries.at(-1)).toMatchObject({result: 'success'})
  })
})

describe('enforcement', () => {
  it('hard: refused with E_POLICY (exit 9) naming bundle, rule and package; nothing written; audited as failure', () => {
    const w = world()
    w.ok(['bundle', 'create', 'pay-std', '--enforcement', 'hard', '--team', 'payments'])
    w.ok(['bundle', 'add', 'pay-std', `${X('web')}@^1`, `${X('util')}@^1`])
    const before = files(w, w.pay)
    const r = w.cli(['install', X('gpl'), '-C', w.pay, '--json'])
    expect(r.code).toBe(9)
    const err = (r.json as {error: {code: string; message: string; hint: string}}).error
    expect(err.code).toBe('E_POLICY')
    expect(err.message).toContain('bundle pay-std (hard)')
    expect(err.message).toContain('unapproved')
    expect(err.message).toContain(X('gpl'))
    expect(err.hint).toMatch(/bundle add pay-std/)
    expect(files(w, w.pay)).toEqual(before)
    expect(audit(w, 'install').entries.at(-1)).toMatchObject({result: 'failure', details: expect.stringContaining('E_POLICY')})
    // the dry run says so too
    expect(w.cli(['install', X('gpl'), '-C', w.pay, '--dry-run']).code).toBe(9)
    expect(files(w, w.pay)).toEqual(before)
    // several bundles: a second (soft) bundle bound by ggen.toml approves gpl, but every
    // constraint on it must hold, and with one hard bundle bound every bundle rule is hard
    w.ok(['bundle', 'create', 'extra-ok'])
    w.ok(['bundle', 'add', 'extra-ok', `${X('gpl')}@^2`])
    writeFileSync(join(w.pay, 'ggen.toml'), readFileSync(join(w.pay, 'ggen.toml'), 'utf8').replace('team = "payments"', 'team = "payments"\nbundles = ["extra-ok"]'))
    const both = w.cli(['install', X('gpl'), '-C', w.pay, '--json'])
    expect(both.code).toBe(9)
    expect((both.json as {error: {message: string}}).error.message).toMatch(/out-of-range/)
    w.ok(['bundle', 'add', 'extra-ok', `${X('gpl')}@^1`])
    w.ok(['install', X('gpl'), '-C', w.pay])
    expect(audit(w, 'install').entries.at(-1)).toMatchObject({result: 'success'})
  })

  it('hard: manifest apply bringing an unapproved package is refused, files unchanged byte for byte', () => {
    const w = world()
    w.ok(['bundle', 'create', 'pay-std', '--enforcement', 'hard', '--team', 'payments'])
    w.ok(['bundle', 'add', 'pay-std', `${X('web')}@^1`, `${X('util')}@^1`])
    const manifest = join(w.root, 'shop.json')
    w.ok(['manifest', 'generate', 'dev', '-C', w.shop, '--lock-all', '-o', manifest])
    const before = files(w, w.pay)
    const r = w.cli(['manifest', 'apply', manifest, '-C', w.pay, '--json'])
    expect(r.code).toBe(9)
    const err = (r.json as {error: {code: string; message: string}}).error
    expect(err.code).toBe('E_POLICY')
    expect(err.message).toMatch(/bundle pay-std \(hard\)/)
    expect(files(w, w.pay)).toEqual(before)
    expect(audit(w, 'manifest-apply').entries.at(-1)).toMatchObject({result: 'failure', details: expect.stringContaining('E_POLICY')})
  })

  it('soft: the same message as a warning, the install proceeds, the audit entry records the breach; rollback is audited as a breach', () => {
    const w = world()
    w.ok(['bundle', 'create', 'web-std', '--team', 'web'])
    w.ok(['bundle', 'add', 'web-std', `${X('util')}@^2`, `${X('extra')}`])
    const r = w.ok(['install', X('gpl'), '-C', w.shop])
    expect(r.stderr).toMatch(/policy breach: bundle web-std \(soft\): rule unapproved: .*io\.bd\.gpl/)
    expect(readFileSync(join(w.shop, 'ggen.toml'), 'utf8')).toContain(X('gpl'))
    expect(audit(w, 'install').entries.at(-1)).toMatchObject({result: 'success', details: expect.stringContaining('policy breach: bundle web-std (soft): rule unapproved')})
    w.ok(['uninstall', X('gpl'), '-C', w.shop])
    const back = w.ok(['undo', '-C', w.shop])
    expect(back.stderr).toMatch(/policy breach/)
    expect(audit(w, 'undo').entries.at(-1)!.details).toContain('policy breach (restored state)')
  })
})

describe('verify --policy', () => {
  it('licenses on OR/AND expressions, a waiver listed as waived, exit 1 on violations', () => {
    const w = world()
    w.ok(['install', X('gpl'), '-C', w.pay])
    writeFileSync(join(w.home, 'policy.toml'), `[policy]\nproduction_ready = true\n[policy.licenses]\nallow = ["MIT", "Apache-2.0"]\n[[policy.waivers]]\npackage = "${X('extra')}"\nrule = "production-ready"\nreason = "internal tool"\nexpires = "2999-01-01"\n`)
    const r = w.cli(['verify', '--policy', '--all', '--json'])
    expect(r.code).toBe(1)
    const v = r.json as {projects: {project: {name: string}; violations: {rule: string; package: string; waived?: unknown}[]}[]}
    const pay = v.projects.find((p) => p.project.name === 'pay')!
    // web is MIT OR GPL-3.0-only: allowed; gpl is MIT AND GPL-3.0-only: not
    expect(pay.violations.map((x) => `${x.rule} ${x.package}`)).toEqual([`license ${X('gpl')}`])
    const shop = v.projects.find((p) => p.project.name === 'shop')!
    expect(shop.violations).toEqual([expect.objectContaining({rule: 'production-ready', package: X('extra'), waived: {reason: 'internal tool', expires: '2999-01-01'}})])
    expect(w.cli(['verify', '--policy', join(w.home, 'policy.toml'), '--project', w.shop]).code).toBe(0)
    expect(w.cli(['verify', '--policy', join(w.root, 'none.toml'), '--all']).code).toBe(4)
  })
})
