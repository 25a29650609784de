/**
 * Issue 12, `ggen packs stats`: the real binary on copies of the bundled example. Totals agree
 * with `list` and with a deduplication sum made here from the store index and the lockfiles;
 * --package takes a short name; a timeline made by real installs, updates, uninstalls and an undo
 * run under a fake clock (GGEN_NOW) days apart, bucketed by day, week and month, with the version
 * migration of one package; unused store entries after an uninstall are exactly gc's candidates;
 * the maintainer report shows a deprecated version in use; CSV parses back.
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {buildExample, copyExample, exampleWorkspace} from '../support/example.js'
import type {StatsResult} from '../../src/core/stats.js'

const DAY = 86_400_000
let example = ''
beforeAll(() => {
  example = buildExample()
}, 240_000)

interface Workspace {
  cwd: string
  env: Record<string, string>
  run: (args: string[], extra?: Record<string, string>) => CliResult
  ok: (args: string[], extra?: Record<string, string>) => CliResult
  stats: (args?: string[], extra?: Record<string, string>) => StatsResult
}

/** a copy of the example whose known projects are its own (the copy's projects.json names the original's folders) */
function workspace(): Workspace {
  const {cwd, env} = exampleWorkspace(copyExample(example))
  const known = join(env.GGEN_HOME!, 'projects.json')
  writeFileSync(known, readFileSync(known, 'utf8').replaceAll(exampleWorkspace(example).cwd, cwd))
  const run = (args: string[], extra: Record<string, string> = {}) => runCli(['packs', ...args], {cwd, env: {...env, NO_COLOR: '1', ...extra}})
  const ok = (args: string[], extra: Record<string, string> = {}) => {
    const r = run(args, extra)
    if (r.code !== 0) throw new Error(`ggen packs ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout}`)
    return r
  }
  return {cwd, env, run, ok, stats: (args = [], extra = {}) => ok(['stats', ...args, '--json'], extra).json as StatsResult}
}

interface StoreEntry {
  integrity: string
  id: string
  version: string
  size: number
}
const storeIndex = (home: string): Record<string, StoreEntry> => JSON.parse(readFileSync(join(home, 'store', 'v1', 'index.json'), 'utf8')).entries
const knownProjects = (home: string): string[] => Object.keys(JSON.parse(readFileSync(join(home, 'projects.json'), 'utf8')).projects)
const lockOf = (dir: string): Record<string, {version: string; integrity: string}> => JSON.parse(readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8')).packs

describe('stats on the bundled example', () => {
  let w: Workspace
  beforeAll(() => {
    w = workspace()
  })

  it('totals match what list shows, and the deduplication saving is the lockfiles\' sizes minus the store', () => {
    const r = w.stats()
    const list = w.ok(['list', '--json']).json as {id: string; version: string; projects: {path: string}[]}[]
    expect(r).toMatchObject({backend: 'memory', scope: 'machine', package: null})
    expect(r.totals.projects).toBe(new Set(list.flatMap((x) => x.projects.map((p) => p.path))).size)
    expect(r.totals.versions).toBe(list.length)
    expect(r.totals.packages).toBe(new Set(list.map((x) => x.id)).size)
    expect(r.totals.locks).toBe(list.reduce((n, x) => n + x.projects.length, 0))
    // independently: every known project's lockfile, each entry's size from the store index
    const index = storeIndex(w.env.GGEN_HOME!)
    const storeBytes = Object.values(index).reduce((n, e) => n + e.size, 0)
    let copied = 0
    for (const dir of knownProjects(w.env.GGEN_HOME!)) for (const e of Object.values(lockOf(dir))) copied += index[e.integrity]!.size
    expect(r.totals).toMatchObject({store_entries: Object.keys(index).length, store_bytes: storeBytes, copied_bytes: copied, saved_bytes: copied - storeBytes})
    expect(r.totals.saved_bytes).toBeGreaterThan(0)
    expect(r.machines).toEqual([{machine: expect.any(String), store_basis: 'index', ...r.totals}])
    // adoption: docker is on three versions, the registry's newest is 1.2.0 (3 of 5 projects)
    const docker = r.adoption.find((a) => a.id === 'io.ggen.ops.docker')!
    expect(docker).toMatchObject({newest: '1.2.0', projects: 5, newest_share: 0.6, outdated_share: 0.4, drift: true, author: 'erin'})
    expect(docker.versions.map((v) => [v.version, v.projects])).toEqual([['1.0.0', 1], ['1.1.0', 1], ['1.2.0', 3]])
    expect(r.adoption.find((a) => a.id === 'io.ggen.core.log')).toMatchObject({drift: false, newest_share: 1, outdated_share: 0})
    expect(r.unused).toMatchObject({store_entries: [], store_bytes: 0, days: 90, stale_packages: [], empty_projects: []})
    const human = w.ok(['stats']).stdout
    expect(human).toContain(`${r.totals.projects} projects, ${r.totals.packages} packages, ${r.totals.versions} versions`)
    expect(human).toMatch(/io\.ggen\.ops\.docker\s+5\s+1\.0\.0 \(1\), 1\.1\.0 \(1\), 1\.2\.0 \(3\)\s+1\.2\.0\s+60%\s+40%\s+yes/)
  })

  it('--package takes a short name and narrows the answer to it; an unknown one exits 4 with a suggestion', () => {
    const r = w.stats(['--package', 'docker'])
    expect(r.package).toBe('io.ggen.ops.docker')
    expect(r.adoption.map((a) => a.id)).toEqual(['io.ggen.ops.docker'])
    const bad = w.run(['stats', '--package', 'dockr', '--json'])
    expect(bad.code).toBe(4)
    expect(bad.json.error).toMatchObject({code: 'E_NOT_FOUND'})
    expect(bad.json.error.hint).toContain('io.ggen.ops.docker')
  })

  it('CSV parses back: one row per package version (the adoption section), or the section asked for', () => {
    const r = w.stats()
    const file = join(tempDir('ggen-stats-csv-'), 'adoption.csv')
    w.ok(['stats', '--output', file])
    const rows = parse(readFileSync(file, 'utf8'), {columns: true}) as Record<string, string>[]
    expect(rows.length).toBe(r.adoption.reduce((n, a) => n + a.versions.length, 0))
    const docker = rows.filter((x) => x.id === 'io.ggen.ops.docker')
    expect(docker.map((x) => [x.version, Number(x.projects), Number(x.share), x.drift])).toEqual([['1.0.0', 1, 0.2, 'true'], ['1.1.0', 1, 0.2, 'true'], ['1.2.0', 3, 0.6, 'true']])
    const machines = parse(w.ok(['stats', '--format', 'csv', '--section', 'machines']).stdout, {columns: true}) as Record<string, string>[]
    expect(machines.map((m) => Number(m.saved_bytes))).toEqual([r.totals.saved_bytes])
  })

  it('a bad --timeline is a usage error naming the forms it takes; --by needs --timeline', () => {
    const r = w.run(['stats', '--timeline', 'soon', '--json'])
    expect(r.code).toBe(2)
    expect(r.json.error.message).toContain('--timeline soon')
    expect(w.run(['stats', '--by', 'week']).code).toBe(2)
  })
})

describe('stats timeline from real changes days apart (GGEN_NOW)', () => {
  let w: Workspace
  let t0 = 0
  const at = (days: number) => ({GGEN_NOW: new Date(t0 + days * DAY).toISOString()})
  beforeAll(() => {
    w = workspace()
    // the example was installed just now: every later change happens on a later (fake) day
    t0 = Date.now() + 3_600_000
    w.ok(['update', 'io.ggen.ops.docker', '--to', '1.1.0', '--project', './billing-api'], at(10))
    w.ok(['install', 'io.ggen.docs.api-ref', '--project', './thesis'], at(12))
    w.ok(['install', 'io.ggen.python.cli', '--project', './ml-pipeline'], at(15))
    w.ok(['uninstall', 'io.ggen.docs.api-ref', '--project', './thesis'], at(20))
    w.ok(['undo', '--project', './billing-api'], at(25))
    w.ok(['deprecate', 'io.ggen.ops.docker@1.0.0', '--message', 'move to 1.2'], at(26))
  }, 240_000)

  it('counts installs, updates and uninstalls per day, from the audit log and the history', () => {
    const r = w.stats(['--timeline', '45d'], at(40))
    const tl = r.timeline!
    expect(tl.by).toBe('week') // 45 days: weeks
    const day = w.stats(['--timeline', '30d', '--by', 'day'], at(40)).timeline!
    expect(day.periods.length).toBe(31)
    const moves = day.events.map((e) => [e.at.slice(0, 10), e.project.split('/').pop(), e.id, e.from, e.to, e.kind, e.source])
    const d = (n: number) => new Date(t0 + n * DAY).toISOString().slice(0, 10)
    expect(moves).toEqual([
      [d(10), 'billing-api', 'io.ggen.ops.docker', '1.2.0', '1.1.0', 'update', 'audit'],
      [d(12), 'thesis', 'io.ggen.docs.api-ref', null, '0.2.0', 'install', 'audit'],
      [d(15), 'ml-pipeline', 'io.ggen.python.cli', null, '0.4.0', 'install', 'audit'],
      [d(20), 'thesis', 'io.ggen.docs.api-ref', '0.2.0', null, 'uninstall', 'audit'],
      [d(25), 'billing-api', 'io.ggen.ops.docker', '1.1.0', '1.2.0', 'update', 'audit'],
    ])
    expect(day.events.map((e) => e.action)).toEqual(['update', 'install', 'install', 'uninstall', 'undo'])
    expect(day.totals).toEqual({installs: 2, updates: 2, uninstalls: 1})
    const busy = day.periods.filter((p) => p.installs + p.updates + p.uninstalls > 0).map((p) => p.start.slice(0, 10))
    expect(busy).toEqual([d(10), d(12), d(15), d(20), d(25)])
    const human = w.ok(['stats', '--timeline', '30d'], at(40)).stdout
    expect(human).toMatch(/Timeline, .* by day: 2 installs, 2 updates, 1 uninstall/)
    expect(human).toContain('█')
    expect(human).toContain(`${d(10)} io.ggen.ops.docker 1.2.0 -> 1.1.0`)
    const dumb = w.ok(['stats', '--timeline', '30d'], {...at(40), TERM: 'dumb'}).stdout
    expect(dumb).toMatch(/#+\s+1 {2}\(\+0 ~1 -0\)/)
    expect(dumb).not.toMatch(/[▁-█]/)
  })

  it('--by week and --by month: periods start on Mondays / the 1st, every change in the period holding it', () => {
    for (const by of ['week', 'month'] as const) {
      const tl = w.stats(['--timeline', '90d', '--by', by], at(40)).timeline!
      expect(tl.by).toBe(by)
      const starts = tl.periods.map((p) => Date.parse(p.start))
      for (const s of starts) expect(by === 'week' ? new Date(s).getUTCDay() : new Date(s).getUTCDate()).toBe(1)
      expect(starts[0]).toBeLessThanOrEqual(Date.parse(tl.since))
      expect(starts.at(-1)).toBeLessThanOrEqual(Date.parse(tl.until))
      // count each event into its period here
      const counted = tl.periods.map((p, i) => {
        const inside = tl.events.filter((e) => Date.parse(e.at) >= starts[i]! && (i + 1 === starts.length || Date.parse(e.at) < starts[i + 1]!))
        return [inside.filter((e) => e.kind === 'install').length, inside.filter((e) => e.kind === 'update').length, inside.filter((e) => e.kind === 'uninstall').length]
      })
      expect(tl.periods.map((p) => [p.installs, p.updates, p.uninstalls])).toEqual(counted)
      expect(tl.totals).toEqual({installs: 2 + 43, updates: 2, uninstalls: 1}) // the example's own 43 installs are in the span too
    }
    const csvRows = parse(w.ok(['stats', '--timeline', '90d', '--by', 'month', '--format', 'csv', '--section', 'timeline'], at(40)).stdout, {columns: true}) as Record<string, string>[]
    expect(csvRows.reduce((n, x) => n + Number(x.installs), 0)).toBe(45)
  })

  it('--package shows the version migration: projects on each version at the end of each period', () => {
    const tl = w.stats(['--timeline', '35d', '--by', 'day', '--package', 'io.ggen.ops.docker'], at(40)).timeline!
    const on = (days: number) => tl.periods.find((p) => p.start.slice(0, 10) === new Date(t0 + days * DAY).toISOString().slice(0, 10))!.versions
    expect(on(9)).toEqual([{version: '1.0.0', projects: 1}, {version: '1.1.0', projects: 1}, {version: '1.2.0', projects: 3}])
    expect(on(10)).toEqual([{version: '1.0.0', projects: 1}, {version: '1.1.0', projects: 2}, {version: '1.2.0', projects: 2}])
    expect(on(25)).toEqual(on(9))
    expect(tl.events.map((e) => e.id)).toEqual(['io.ggen.ops.docker', 'io.ggen.ops.docker'])
    const human = w.ok(['stats', '--timeline', '30d', '--package', 'docker'], at(40)).stdout
    expect(human).toContain('1.0.0:1 1.1.0:2 1.2.0:2')
  })

  it('unused: the uninstalled package\'s store entry (exactly gc --dry-run\'s), stale packages, empty projects', () => {
    const empty = writeProject(join(tempDir('ggen-stats-empty-'), 'empty'), 'empty')
    const r = w.stats(['--unused-days', '30', '--root', empty], at(40))
    const gc = w.ok(['gc', '--dry-run', '--json']).json as {removed: {id: string; version: string; integrity: string; size: number}[]; freed: number}
    expect(r.unused.store_entries.map((e) => e.id)).toEqual(['io.ggen.docs.api-ref'])
    expect(r.unused.store_entries).toEqual(gc.removed)
    expect(r.unused.store_bytes).toBe(gc.freed)
    const stale = new Map(r.unused.stale_packages.map((p) => [p.id, p.days]))
    expect(stale.get('io.ggen.academic.bib')).toBe(40)
    expect(stale.has('io.ggen.python.cli')).toBe(false) // installed 25 days ago
    expect(r.unused.empty_projects).toEqual([{name: 'empty', path: empty}])
    expect(r.totals.projects).toBe(8)
    // the store holds an entry nobody uses: the saving is smaller by its size
    expect(r.totals.saved_bytes).toBe(r.totals.copied_bytes - r.totals.store_bytes)
  })

  it('--author (--maintainer): the packages, dependents per version, the deprecated version still in use, lagging projects', () => {
    const r = w.stats(['--maintainer', 'Erin'], at(40))
    const m = r.maintainer!
    expect(m.packages.map((p) => p.id)).toEqual(['io.ggen.ops.ci', 'io.ggen.ops.docker', 'io.ggen.ops.k8s'])
    const docker = m.packages.find((p) => p.id === 'io.ggen.ops.docker')!
    expect(docker.versions.map((v) => [v.version, v.projects.map((p) => p.name)])).toEqual([['1.0.0', ['ops-tooling']], ['1.1.0', ['billing-api-staging']], ['1.2.0', ['billing-api', 'ml-pipeline', 'storefront']]])
    expect(docker.versions[0]!.deprecated).toBe('move to 1.2')
    expect(docker.dependent_packages.map((d) => d.id)).toEqual(['io.ggen.ops.ci', 'io.ggen.ops.k8s', 'io.ggen.web.fullstack'])
    expect(docker.lagging.map((l) => [l.project.name, l.version])).toEqual([['ops-tooling', '1.0.0'], ['billing-api-staging', '1.1.0']])
    expect(m.deprecated_in_use).toEqual([{id: 'io.ggen.ops.docker', version: '1.0.0', deprecated: 'move to 1.2', yanked: false, projects: 1}])
    expect(m.lagging).toBe(3) // ops.ci 1.0.0 < 2.0.0 too
    const human = w.ok(['stats', '--author', 'erin'], at(40)).stdout
    expect(human).toContain('deprecated or yanked versions still in use: io.ggen.ops.docker@1.0.0 (1 project)')
    const nobody = w.stats(['--author', 'nobody-at-all'])
    expect(nobody.maintainer).toEqual({author: 'nobody-at-all', packages: [], deprecated_in_use: [], lagging: 0})
  })

  it('where the log lacks the entries (archived away), the history generations tell the same changes', () => {
    const before = w.stats(['--timeline', '60d'], at(40)).timeline!
    rmSync(join(w.env.GGEN_HOME!, 'audit'), {recursive: true})
    const after = w.stats(['--timeline', '60d'], at(40)).timeline!
    const strip = (t: typeof before) => t.events.map((e) => [e.project, e.id, e.from, e.to, e.kind, e.action, e.at.slice(0, 10)])
    expect(after.events.every((e) => e.source === 'history')).toBe(true)
    expect(strip(after)).toEqual(strip(before))
    expect(after.totals).toEqual(before.totals)
  })
})
