/**
 * Issue 9: one output convention for every command (--json, --format, --output, --output-dir,
 * hidden old spellings), colour only where it belongs, and the shared wording helpers.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'
import {colorEnabled} from '../../src/cli/render.js'
import {readEnvironment} from '../../src/util/environment.js'
import {chooseFormat} from '../../src/cli/output.js'
import {count, noun, some, someLines, truncate} from '../../src/util/text.js'
import {runCli, tempDir, type CliResult} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'
import {readCsv} from '../support/csv.js'

let ex: Example
beforeAll(() => {
  ex = exampleHome()
}, 240_000)

const cli = (args: string[], env: Record<string, string | undefined> = {}, cwd?: string): CliResult => runCli(['packs', ...args], {env: {...ex.env, ...env}, cwd: cwd ?? ex.workspace})
const ok = (r: CliResult): CliResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stderr}\n${r.stdout}`)
  return r
}
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/

describe('--format and --output', () => {
  it('list: --format csv/yaml/json print the same rows as --json; --output FILE picks the form from its extension', () => {
    const rows = ok(cli(['list', '--json'])).json as {id: string; version: string}[]
    expect(rows.length).toBeGreaterThan(5)
    const csvRows = readCsv(ok(cli(['list', '--format', 'csv'])).stdout)
    expect(csvRows[0]!.slice(0, 3)).toEqual(['id', 'name', 'version'])
    expect(csvRows.slice(1).map((r) => `${r[0]}@${r[2]}`)).toEqual(rows.map((r) => `${r.id}@${r.version}`))
    expect(parseYaml(ok(cli(['list', '--format', 'yaml'])).stdout)).toEqual(rows)
    expect(JSON.parse(ok(cli(['list', '--format', 'json'])).stdout)).toEqual(rows)
    const dir = tempDir()
    const r = ok(cli(['list', '--output', join(dir, 'packages.csv')]))
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`wrote ${join(dir, 'packages.csv')}`)
    expect(readCsv(readFileSync(join(dir, 'packages.csv'), 'utf8'))).toEqual(csvRows)
    ok(cli(['list', '--output', join(dir, 'packages.yml')]))
    expect(parseYaml(readFileSync(join(dir, 'packages.yml'), 'utf8'))).toEqual(rows)
    // --format wins over the extension; --json with --output: JSON on stdout, the form in the file
    const both = ok(cli(['list', '--json', '--format', 'csv', '--output', join(dir, 'list.txt')]))
    expect(both.json).toEqual(rows)
    expect(readFileSync(join(dir, 'list.txt'), 'utf8').split('\n')[0]).toMatch(/^id,name,version/)
    // a table written to a file has no colour even when colour is forced
    ok(cli(['list', '--output', join(dir, 'table.txt')], {FORCE_COLOR: '1', NO_COLOR: undefined}))
    const table = readFileSync(join(dir, 'table.txt'), 'utf8')
    expect(table).toMatch(/^PACKAGE\s+VERSION/)
    expect(table).not.toMatch(ANSI)
  })

  it('list: the old --csv and --yaml stay as hidden aliases of --format', () => {
    expect(ok(cli(['list', '--csv'])).stdout).toBe(ok(cli(['list', '--format', 'csv'])).stdout)
    expect(ok(cli(['list', '--yaml'])).stdout).toBe(ok(cli(['list', '--format', 'yaml'])).stdout)
    const help = ok(cli(['list', '--help'])).stdout
    expect(help).toContain('--format=table|json|yaml|csv')
    expect(help).not.toMatch(/--csv\b/)
    const bad = cli(['list', '--format', 'xml', '--json'])
    expect(bad.code).toBe(2)
    expect(bad.json.error.code).toBe('E_USAGE')
  })

  it('search: --format csv and --output', () => {
    const rows = ok(cli(['search', 'rust', '--json'])).json as {id: string}[]
    expect(rows.length).toBeGreaterThan(0)
    const csvRows = readCsv(ok(cli(['search', 'rust', '--format', 'csv'])).stdout)
    expect(csvRows[0]).toContain('registry')
    expect(csvRows.slice(1).map((r) => r[0])).toEqual(rows.map((r) => r.id))
  })

  it('audit export writes JSON Lines (default), JSON or CSV of the selected entries; audit --export FILE still works', () => {
    const all = ok(cli(['audit', '--json'])).json as {entries: {seq: number; hash: string; action: string}[]}
    expect(all.entries.length).toBeGreaterThan(3)
    const jsonl = ok(cli(['audit', 'export'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(jsonl.map((e) => e.hash)).toEqual(all.entries.map((e) => e.hash))
    const dir = tempDir()
    ok(cli(['audit', 'export', '--action', 'install', '--output', join(dir, 'installs.csv')]))
    const csvRows = readCsv(readFileSync(join(dir, 'installs.csv'), 'utf8'))
    expect(csvRows[0]).toEqual(['seq', 'timestamp', 'user', 'action', 'result', 'project', 'machine', 'os', 'affected_packages', 'details', 'hash'])
    expect(csvRows.length - 1).toBe(all.entries.filter((e) => e.action === 'install').length)
    expect(new Set(csvRows.slice(1).map((r) => r[3]))).toEqual(new Set(['install']))
    const asJson = ok(cli(['audit', 'export', '--limit', '2', '--format', 'json', '--json']))
    expect(asJson.json.entries).toHaveLength(2)
    // the old spelling: the file, and the table on stdout
    // (each audit export above appended an audit-export entry of its own)
    const now = ok(cli(['audit', '--json'])).json.entries.length as number
    const old = ok(cli(['audit', '--export', join(dir, 'old.jsonl')]))
    expect(old.stdout).toMatch(/^#\s+TIME/)
    expect(readFileSync(join(dir, 'old.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(now)
    expect(ok(cli(['audit', 'export', '--help'])).stdout).toContain('--format=jsonl|json|csv|yaml')
  })

  it('dependents: --output-dir holds the messages (--notify-dir is its old name)', () => {
    const rows = ok(cli(['list', '--json'])).json as {id: string; projects: unknown[]}[]
    const used = rows.sort((a, b) => b.projects.length - a.projects.length)[0]!.id
    const dir = tempDir()
    const template = join(dir, 'notice.md')
    writeFileSync(template, '{{project}} uses {{package}} {{version}}\n')
    const r = ok(cli(['dependents', used, '--notify-template', template, '--output-dir', join(dir, 'msgs'), '--json']))
    expect(r.json.notifications.files.length).toBe(r.json.projects.length)
    for (const f of r.json.notifications.files) expect(existsSync(f.file)).toBe(true)
  })
})

describe('scope flags', () => {
  it('verify and manifest generate take --all, also spelled --all-projects and --validate-all-projects', () => {
    const a = cli(['verify', '--all', '--json'])
    for (const alias of ['--all-projects', '--validate-all-projects']) {
      const b = cli(['verify', alias, '--json'])
      expect(b.code).toBe(a.code)
      expect(b.json.summary).toEqual(a.json.summary)
    }
    expect(a.json.summary.projects).toBeGreaterThan(3)
    const m = ok(cli(['manifest', 'generate', 'prod', '--validate-all-projects', '--json']))
    expect(m.json.environment).toBe('prod')
  })
})

describe('colour', () => {
  it('only on a terminal, unless FORCE_COLOR says otherwise; NO_COLOR and TERM=dumb turn it off', () => {
    const on = (vars: Record<string, string>, tty: boolean) => colorEnabled(readEnvironment(vars), tty)
    expect(on({}, true)).toBe(true)
    expect(on({}, false)).toBe(false)
    expect(on({NO_COLOR: '1'}, true)).toBe(false)
    expect(on({NO_COLOR: ''}, true)).toBe(true)
    expect(on({TERM: 'dumb'}, true)).toBe(false)
    expect(on({FORCE_COLOR: '1'}, false)).toBe(true)
    expect(on({FORCE_COLOR: '0'}, true)).toBe(false)
    expect(on({FORCE_COLOR: '1', NO_COLOR: '1', TERM: 'dumb'}, false)).toBe(true)
  })

  it('the real binary: plain when piped, coloured with FORCE_COLOR=1, plain with FORCE_COLOR=0', () => {
    expect(ok(cli(['list'], {NO_COLOR: undefined})).stdout).not.toMatch(ANSI)
    expect(ok(cli(['list'], {NO_COLOR: undefined, FORCE_COLOR: '1'})).stdout).toMatch(ANSI)
    expect(ok(cli(['list'], {NO_COLOR: undefined, FORCE_COLOR: '0'})).stdout).not.toMatch(ANSI)
    // --json is never coloured
    expect(ok(cli(['list', '--json'], {NO_COLOR: undefined, FORCE_COLOR: '1'})).stdout).not.toMatch(ANSI)
  })
})

describe('wording helpers', () => {
  it('count, noun, some, someLines, truncate', () => {
    expect(count(1, 'version')).toBe('1 version')
    expect(count(2, 'version')).toBe('2 versions')
    expect(count(0, 'store entry')).toBe('0 store entries')
    expect(count(3, 'match')).toBe('3 matches')
    expect(count(2, 'package version')).toBe('2 package versions')
    expect(count(2, 'person', 'people')).toBe('2 people')
    expect(noun(2, 'is')).toBe('are')
    expect(some([], 2)).toBe('-')
    expect(some(['a', 'b'], 2)).toBe('a, b')
    expect(some(['a', 'b', 'c', 'd'], 2)).toBe('a, b, +2 more')
    expect(some(['a', 'b', 'c'], 1, {sep: '; '})).toBe('a; +2 more')
    expect(someLines(['1', '2', '3'], 2)).toEqual(['1', '2', '  ... 1 more (--json lists them all)'])
    expect(truncate('abcdefghij', 8)).toBe('abcde...')
    expect(truncate(null, 8)).toBe('-')
    expect(truncate('short', 8)).toBe('short')
  })

  it('chooseFormat: --format, else a known extension of --output, else the default', () => {
    const f = ['table', 'json', 'csv'] as const
    expect(chooseFormat(f, undefined)).toBe('table')
    expect(chooseFormat(f, undefined, 'x.CSV')).toBe('csv')
    expect(chooseFormat(f, undefined, 'x.yaml')).toBe('table')
    expect(chooseFormat(f, 'json', 'x.csv')).toBe('json')
  })
})
