/**
 * Security status everywhere (issue 11): list, info and tree show each installed version's status
 * from the last scan ($GGEN_HOME/advisories/last-scan.json, a ScanResult), and `list --vulnerable
 * [--min-severity S]` filters on it. The real binary on the bundled example; the scan result is a
 * fixture written here (our own format). A damaged file is a warning, never a failure.
 */
import {existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import type {ScanResult} from '../../src/domain/scan.js'
import {runCli} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'

interface Row {
  id: string
  version: string
  projects: {path: string}[]
  security: {has_vulnerabilities: boolean; ids: string[]; severity?: string; last_scanned: string} | null
}

let ex: Example
let rows: Row[]
const cli = (args: string[]) => runCli(['packs', ...args], {env: ex.env, cwd: ex.workspace})
const lastScan = () => join(ex.home, 'advisories', 'last-scan.json')
const SCANNED = '2026-11-30T10:00:00.000Z'

function scanOf(findings: {row: Row; severity: ScanResult['findings'][number]['severity']; id: string; alias?: string}[]): ScanResult {
  return {
    scanned_at: SCANNED,
    database: {path: join(ex.home, 'advisories'), source: 'fixture', updated_at: SCANNED, age_days: 0, stale: false, records: findings.length},
    projects: 3,
    findings: findings.map((f) => ({
      package: f.row.id,
      version: f.row.version,
      purl: `pkg:generic/${f.row.id}@${f.row.version}`,
      severity: f.severity,
      advisories: [{id: f.id, aliases: f.alias ? [f.alias] : [], summary: `${f.id} summary`, severity: f.severity, modified: SCANNED, references: []}],
      projects: f.row.projects.map((p) => ({project: p.path, machine: 'example-laptop', path: [p.path, `${f.row.id}@${f.row.version}`]})),
      fix: {kind: 'none', breaks: [], explanation: 'no fix'},
    })),
    counts: {critical: 0, high: 0, medium: 0, low: 0, unknown: 0},
    ignored: [],
  }
}

const writeScan = (content: string) => {
  mkdirSync(join(ex.home, 'advisories'), {recursive: true})
  writeFileSync(lastScan(), content)
}

beforeAll(() => {
  ex = exampleHome()
  rmSync(lastScan(), {force: true}) // the example's set-up scanned: these tests start from no scan
  const r = cli(['list', '--json'])
  expect(r.code, r.stderr).toBe(0)
  rows = r.json as Row[]
  expect(rows.length).toBeGreaterThan(2)
}, 180_000)

describe('before any scan', () => {
  it('list has no status (security null), no SECURITY column; --vulnerable refuses with a hint', () => {
    expect(rows.every((r) => r.security === null)).toBe(true)
    expect(cli(['list']).stdout).not.toContain('SECURITY')
    const v = cli(['list', '--vulnerable'])
    expect(v.code).toBe(2)
    expect(v.stderr).toMatch(/needs the result of a security scan/)
    expect(v.stderr).toMatch(/Try this:.*security-scan/)
  })
})

describe('after a scan', () => {
  let high: Row
  let low: Row
  beforeAll(() => {
    // a version used by some project (for tree), and another one
    high = rows.find((r) => r.projects.length > 0)!
    low = rows.find((r) => r !== high)!
    writeScan(JSON.stringify(scanOf([{row: high, severity: 'high', id: 'GHSA-test-0001', alias: 'CVE-2026-0001'}, {row: low, severity: 'low', id: 'OSV-TEST-2'}])))
  })

  it('list: every row has a status; the vulnerable ones name their ids and severity', () => {
    const r = cli(['list', '--json'])
    expect(r.code).toBe(0)
    const byKey = new Map((r.json as Row[]).map((x) => [`${x.id}@${x.version}`, x.security]))
    expect(byKey.get(`${high.id}@${high.version}`)).toEqual({has_vulnerabilities: true, ids: ['GHSA-test-0001', 'CVE-2026-0001'], severity: 'high', last_scanned: SCANNED})
    expect(byKey.get(`${low.id}@${low.version}`)).toMatchObject({has_vulnerabilities: true, severity: 'low'})
    const clean = (r.json as Row[]).filter((x) => x !== undefined && ![high, low].some((y) => y.id === x.id && y.version === x.version))
    expect(clean.length).toBeGreaterThan(0)
    for (const c of clean) expect(c.security).toEqual({has_vulnerabilities: false, ids: [], last_scanned: SCANNED})
    const human = cli(['list'])
    expect(human.stdout).toContain('SECURITY')
    expect(human.stdout).toMatch(/high GHSA-test-0001, CVE-2026-0001/)
    expect(human.stdout).toMatch(/security status from the scan of 2026-11-30 10:00:00/)
  })

  it('list --vulnerable [--min-severity S] filters on it (unknown would count as high)', () => {
    const all = cli(['list', '--vulnerable', '--json'])
    expect(all.code).toBe(0)
    expect((all.json as Row[]).map((x) => `${x.id}@${x.version}`).sort()).toEqual([`${high.id}@${high.version}`, `${low.id}@${low.version}`].sort())
    const hi = cli(['list', '--vulnerable', '--min-severity', 'high', '--json'])
    expect((hi.json as Row[]).map((x) => x.id)).toEqual([high.id])
    const crit = cli(['list', '--vulnerable', '--min-severity', 'critical'])
    expect(crit.code).toBe(0)
    expect(crit.stdout).toMatch(/No installed version matches these filters/)
    expect(cli(['list', '--min-severity', 'high']).code).toBe(2)
    expect(cli(['list', '--vulnerable', '--min-severity', 'severe']).code).toBe(2)
  })

  it('info: the status of each installed version, beside its deprecation state', () => {
    const r = cli(['info', high.id, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const v = (r.json as {versions: {version: string; security: unknown; deprecated: unknown}[]}).versions
    expect(v.find((x) => x.version === high.version)!.security).toMatchObject({has_vulnerabilities: true, severity: 'high', ids: ['GHSA-test-0001', 'CVE-2026-0001']})
    for (const x of v) expect(x).toHaveProperty('deprecated')
    const human = cli(['info', high.id])
    expect(human.stdout).toMatch(/SECURITY/)
    expect(human.stdout).toMatch(/high GHSA-test-0001/)
  })

  it('tree: vulnerable nodes carry the status (JSON) and a marker (people)', () => {
    const project = high.projects[0]!.path
    const r = cli(['tree', '--project', project, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const found: unknown[] = []
    const walk = (ns: {id: string; version: string | null; security?: unknown; dependencies: never[]}[]) => {
      for (const n of ns) {
        if (n.id === high.id) found.push(n.security)
        else if (n.security) expect([low.id]).toContain(n.id)
        walk(n.dependencies)
      }
    }
    walk(r.json.dependencies)
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]).toMatchObject({has_vulnerabilities: true, severity: 'high'})
    expect(r.json.last_scanned).toBe(SCANNED)
    const human = cli(['tree', '--project', project])
    expect(human.stdout).toContain(`${high.id} ${high.version} (vulnerable: high, GHSA-test-0001, CVE-2026-0001)`)
    expect(human.stdout).toMatch(/\d+ vulnerable/)
  })
})

describe('a damaged last-scan.json', () => {
  it.each([
    ['not JSON', '{"scanned_at": ', /is not valid JSON/],
    ['a wrong field', JSON.stringify({scanned_at: 5, findings: []}), /field `scanned_at`: expected a string, got 5/],
    ['a bad severity', JSON.stringify({scanned_at: SCANNED, findings: [{package: 'a', version: '1.0.0', severity: 'severe', advisories: []}]}), /field `findings\[0\]\.severity`/],
  ])('%s: a warning naming the file, no status, exit 0 (list, info, tree)', (_what, content, message) => {
    writeScan(content)
    const r = cli(['list', '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(lastScan())
    expect(r.stderr).toMatch(message)
    expect((r.json as Row[]).every((x) => x.security === null)).toBe(true)
    const info = cli(['info', rows[0]!.id, '--json'])
    expect(info.code).toBe(0)
    expect(info.stderr).toMatch(message)
    const tree = cli(['tree', '--project', rows.find((x) => x.projects.length)!.projects[0]!.path, '--json'])
    expect(tree.code).toBe(0)
    expect(tree.json.last_scanned).toBeNull()
  })
})

describe('the status cache ($GGEN_HOME/cache/scan-status.json)', () => {
  const cache = () => join(ex.home, 'cache', 'scan-status.json')
  const statusOf = (row: Row) => {
    const r = cli(['list', '--json'])
    expect(r.code, r.stderr).toBe(0)
    return (r.json as Row[]).find((x) => x.id === row.id && x.version === row.version)!.security
  }

  it('is kept by the first reader and never answers for another last-scan.json (rewritten, hand-edited, same size)', () => {
    const a = rows[0]!
    writeScan(JSON.stringify(scanOf([{row: a, severity: 'high', id: 'OSV-CACHE-1'}])))
    rmSync(cache(), {force: true})
    expect(statusOf(a)).toMatchObject({has_vulnerabilities: true, severity: 'high', ids: ['OSV-CACHE-1']})
    expect(existsSync(cache())).toBe(true)
    expect(statusOf(a)).toMatchObject({severity: 'high', ids: ['OSV-CACHE-1']}) // from the cache
    // the same length, another id: the file's stamp (mtime) differs, the cache is not used
    const before = JSON.stringify(scanOf([{row: a, severity: 'high', id: 'OSV-CACHE-1'}]))
    const after = JSON.stringify(scanOf([{row: a, severity: 'high', id: 'OSV-CACHE-2'}]))
    expect(after.length).toBe(before.length)
    writeScan(after)
    expect(statusOf(a)).toMatchObject({severity: 'high', ids: ['OSV-CACHE-2']})
    // no scan any more: no status, whatever the cache holds
    rmSync(lastScan())
    expect(statusOf(a)).toBeNull()
  })

  it('a damaged or foreign cache is read afresh from last-scan.json (it is only a cache)', () => {
    const a = rows[0]!
    writeScan(JSON.stringify(scanOf([{row: a, severity: 'medium', id: 'OSV-CACHE-3'}])))
    for (const garbage of ['{', '[]', JSON.stringify({format: 'ggen-packs-scan-status/1', stamp: 'x', scanned_at: SCANNED, vulnerable: []}), '\u0000\u0001']) {
      writeFileSync(cache(), garbage)
      expect(statusOf(a), garbage).toMatchObject({has_vulnerabilities: true, severity: 'medium', ids: ['OSV-CACHE-3']})
    }
  })
})
