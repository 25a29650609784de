/**
 * The policy's max_severity (issue 11 "policy hook"), filled from the last security scan
 * ($GGEN_HOME/advisories/last-scan.json): `verify --policy` reports a locked version whose highest
 * severity is above the allowed one (X itself is allowed; unknown counts as high), and a hard
 * policy refuses installing such a version (E_POLICY, exit 9) without writing anything.
 *
 *   vuln 1.0.0 (the scan found a high advisory), vuln 1.1.0 (clean), odd 1.0.0 (unknown severity)
 *   app requires vuln 1.0.0
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import type {ScanResult, Severity} from '../../src/domain/scan.js'
import {buildRegistry, runCli, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

const specs: GpackSpec[] = [
  {id: 'io.sp.vuln', version: '1.0.0'},
  {id: 'io.sp.vuln', version: '1.1.0'},
  {id: 'io.sp.odd', version: '1.0.0'},
]
const SCANNED = '2026-11-30T10:00:00.000Z'

function scan(findings: {id: string; version: string; severity: Severity}[]): ScanResult {
  return {
    scanned_at: SCANNED,
    database: {path: '-', source: 'fixture', updated_at: SCANNED, age_days: 0, stale: false, records: findings.length},
    projects: 1,
    findings: findings.map((f) => ({
      package: f.id,
      version: f.version,
      purl: `pkg:generic/${f.id}@${f.version}`,
      severity: f.severity,
      advisories: [{id: `ADV-${f.id}`, aliases: [], summary: 's', severity: f.severity, modified: SCANNED, references: []}],
      projects: [],
      fix: {kind: 'upgrade', version: '1.1.0', breaks: [], explanation: 'upgrade'},
    })),
    counts: {critical: 0, high: 0, medium: 0, low: 0, unknown: 0},
    ignored: [],
  }
}

let registry = ''
beforeAll(() => {
  registry = buildRegistry(tempDir('ggen-secpol-reg-'), specs)
}, 120_000)

function world() {
  const root = tempDir('ggen-secpol-')
  const home = join(root, 'home')
  const env = {GGEN_HOME: home, GGEN_REGISTRY_URL: registry}
  const cli = (args: string[]) => runCli(['packs', ...args], {env})
  const app = writeProject(join(root, 'ws', 'app'), 'app', {'io.sp.vuln': '1.0.0'})
  expect(cli(['install', '-C', app]).code).toBe(0)
  mkdirSync(join(home, 'advisories'), {recursive: true})
  writeFileSync(join(home, 'advisories', 'last-scan.json'), JSON.stringify(scan([{id: 'io.sp.vuln', version: '1.0.0', severity: 'high'}, {id: 'io.sp.odd', version: '1.0.0', severity: 'unknown'}])))
  const policy = (rules: string) => writeFileSync(join(home, 'policy.toml'), `[policy]\n${rules}\n`)
  return {root, home, app, cli, policy}
}

describe('max_severity from the last scan', () => {
  it('verify --policy: above the allowed severity exits 1 naming the rule and package; at it passes', () => {
    const w = world()
    w.policy('max_severity = "medium"')
    const r = w.cli(['verify', '--policy', '--project', w.app, '--json'])
    expect(r.code).toBe(1)
    const v = (r.json as {projects: {violations: {rule: string; package: string; version: string; message: string}[]}[]}).projects[0]!.violations
    expect(v).toEqual([expect.objectContaining({rule: 'severity', package: 'io.sp.vuln', version: '1.0.0'})])
    expect(v[0]!.message).toBe('io.sp.vuln@1.0.0 has a high advisory, above the allowed medium')
    const human = w.cli(['verify', '--policy', '--project', w.app])
    expect(human.code).toBe(1)
    expect(`${human.stdout}${human.stderr}`).toMatch(/severity.*io\.sp\.vuln|io\.sp\.vuln.*high advisory/)
    // the allowed severity itself is allowed
    w.policy('max_severity = "high"')
    expect(w.cli(['verify', '--policy', '--project', w.app]).code).toBe(0)
  })

  it('hard enforcement refuses installing a version above max_severity: exit 9, nothing written', () => {
    const w = world()
    w.policy('enforcement = "hard"\nmax_severity = "medium"')
    const files = [join(w.app, 'ggen.toml'), join(w.app, '.ggen', 'packs.lock')]
    const before = files.map((f) => readFileSync(f))
    // odd's severity is unknown: it counts as high
    const r = w.cli(['install', 'io.sp.odd', '-C', w.app, '--json'])
    expect(r.code).toBe(9)
    expect(r.json.error.code).toBe('E_POLICY')
    expect(r.json.error.message).toMatch(/severity/)
    expect(r.json.error.message).toContain('io.sp.odd')
    expect(files.map((f) => readFileSync(f))).toEqual(before)
    // a clean version installs; the gate only refuses what the change introduces
    const ok = w.cli(['install', 'io.sp.vuln@1.1.0', '-C', w.app])
    expect(ok.code, ok.stderr).toBe(0)
    expect(readFileSync(join(w.app, '.ggen', 'packs.lock'), 'utf8')).toContain('1.1.0')
    // and back to the vulnerable one is refused
    const back = w.cli(['install', 'io.sp.vuln@1.0.0', '-C', w.app])
    expect(back.code).toBe(9)
    expect(readFileSync(join(w.app, '.ggen', 'packs.lock'), 'utf8')).not.toContain('"1.0.0"')
    expect(existsSync(join(w.home, 'advisories', 'last-scan.json'))).toBe(true)
  })

  it('a damaged scan result: a warning naming the file, and the rule has nothing to look at (no violation)', () => {
    const w = world()
    writeFileSync(join(w.home, 'advisories', 'last-scan.json'), '[]')
    w.policy('max_severity = "low"')
    const r = w.cli(['verify', '--policy', '--project', w.app])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/last-scan\.json/)
  })
})
