/**
 * `security-scan --format sarif` (src/cli/views/sarif.ts): hand-built scan results rendered and
 * validated against the official SARIF 2.1.0 schema (../shared/schemas, read at run time).
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {renderSarif, sarifLevel} from '../../src/cli/views/sarif.js'
import type {AdvisoryRef, Finding, ScanResult, Severity} from '../../src/domain/scan.js'
import {repoRoot} from '../support/cli.js'

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default
const schemaPath = join(repoRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json')
// the official schema is draft-04: validated with ajv's draft-07 (the keywords SARIF uses mean the
// same), its draft-04 `$schema` left out and its `id` spelled `$id`
const {$schema: _draft, id: schemaId, ...rest} = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>
const schema = {$id: schemaId as string, ...rest}
const ajv = new Ajv({allErrors: true, strict: false})
addFormats(ajv)
const validate = ajv.compile(schema)

function expectValid(doc: object) {
  const ok = validate(doc)
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([])
  expect(ok).toBe(true)
}

const adv = (id: string, severity: Severity, o: Partial<AdvisoryRef> = {}): AdvisoryRef => ({id, aliases: [], summary: `${id} summary`, severity, modified: '2026-01-01T00:00:00Z', references: [`https://osv.dev/vulnerability/${id}`], ...o})

const finding = (pkg: string, version: string, advisories: AdvisoryRef[], projects: string[]): Finding => ({
  package: pkg,
  version,
  purl: `pkg:generic/${pkg}@${version}`,
  severity: advisories[0]!.severity,
  advisories,
  projects: projects.map((p) => ({project: p, machine: 'laptop', path: [p, `${pkg}@${version}`]})),
  fix: {kind: 'upgrade', version: '9.9.9', breaks: [], explanation: `Upgrade ${pkg} to 9.9.9.`},
})

const scan = (findings: Finding[]): ScanResult => ({
  scanned_at: '2026-12-01T12:00:00.000Z',
  database: {path: '/h/advisories', source: '/osv', updated_at: '2026-12-01T00:00:00.000Z', age_days: 0, stale: false, records: 3},
  projects: 2,
  findings,
  counts: {critical: 0, high: 0, medium: 0, low: 0, unknown: 0},
  ignored: [],
})

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Sarif = any

describe('renderSarif', () => {
  it('an empty scan is a valid SARIF log with one run and no results', () => {
    const doc = renderSarif(scan([]), {toolVersion: '0.1.0'}) as Sarif
    expectValid(doc)
    expect(doc.version).toBe('2.1.0')
    expect(doc.runs).toHaveLength(1)
    expect(doc.runs[0].results).toEqual([])
    expect(doc.runs[0].tool.driver).toMatchObject({name: 'ggen packs security-scan', version: '0.1.0', rules: []})
  })

  it('one rule per advisory, one result per (advisory, project), located in each lockfile', () => {
    const shared = adv('GHSA-aaaa-bbbb-cccc', 'high', {aliases: ['CVE-2026-0001'], score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'})
    const r = scan([finding('io.x.web', '1.0.0', [shared, adv('OSV-2', 'low')], ['/ws/app', '/ws/api']), finding('io.x.web', '1.1.0', [shared], ['/ws/old'])])
    const doc = renderSarif(r, {toolVersion: '0.1.0'}) as Sarif
    expectValid(doc)
    const run = doc.runs[0]
    expect(run.tool.driver.rules.map((x: Sarif) => x.id)).toEqual(['GHSA-aaaa-bbbb-cccc', 'OSV-2'])
    expect(run.tool.driver.rules[0]).toMatchObject({helpUri: 'https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc', defaultConfiguration: {level: 'error'}, properties: {'security-severity': '7.5'}})
    expect(run.tool.driver.rules[0].properties.tags).toContain('CVE-2026-0001')
    expect(run.tool.driver.rules[1].properties['security-severity']).toBeUndefined()
    // 2 advisories x 2 projects + 1 advisory x 1 project
    expect(run.results).toHaveLength(5)
    expect(run.results.map((x: Sarif) => `${x.ruleId} ${x.locations[0].physicalLocation.artifactLocation.uri}`).sort()).toEqual([
      'GHSA-aaaa-bbbb-cccc api/.ggen/packs.lock',
      'GHSA-aaaa-bbbb-cccc app/.ggen/packs.lock',
      'GHSA-aaaa-bbbb-cccc old/.ggen/packs.lock',
      'OSV-2 api/.ggen/packs.lock',
      'OSV-2 app/.ggen/packs.lock',
    ])
    expect(run.originalUriBaseIds.PROJECTROOT.uri).toBe('file:///ws/')
    for (const x of run.results) expect(x.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('PROJECTROOT')
    const first = run.results[0]
    expect(first.ruleIndex).toBe(0)
    expect(first.message.text).toContain('io.x.web@1.0.0 is affected by GHSA-aaaa-bbbb-cccc / CVE-2026-0001')
    expect(first.message.text).toContain('Fix: Upgrade io.x.web to 9.9.9.')
    expect(first.locations[0].logicalLocations[0]).toMatchObject({name: 'io.x.web@1.0.0'})
  })

  it('one project: the lockfile relative to the project itself', () => {
    const doc = renderSarif(scan([finding('p', '1.0.0', [adv('A-1', 'medium')], ['/home/me/app'])])) as Sarif
    expectValid(doc)
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('.ggen/packs.lock')
    expect(doc.runs[0].originalUriBaseIds.PROJECTROOT.uri).toBe('file:///home/me/app/')
  })

  it('levels by severity: critical/high error, medium and unknown warning, low note', () => {
    expect((['critical', 'high', 'medium', 'low', 'unknown'] as Severity[]).map(sarifLevel)).toEqual(['error', 'error', 'warning', 'note', 'warning'])
    const sev: Severity[] = ['critical', 'high', 'medium', 'low', 'unknown']
    const doc = renderSarif(scan(sev.map((s, i) => finding(`p${i}`, '1.0.0', [adv(`ID-${s}`, s, {references: []})], ['/w/a'])))) as Sarif
    expectValid(doc)
    expect(doc.runs[0].results.map((x: Sarif) => x.level)).toEqual(['error', 'error', 'warning', 'note', 'warning'])
    expect(doc.runs[0].tool.driver.rules.map((x: Sarif) => x.defaultConfiguration.level)).toEqual(['error', 'error', 'warning', 'note', 'warning'])
    expect(doc.runs[0].tool.driver.rules[0].helpUri).toBeUndefined()
  })

  it('fingerprints are stable across runs and differ by project', () => {
    const r = scan([finding('p', '1.0.0', [adv('A-1', 'high')], ['/w/a', '/w/b'])])
    const a = renderSarif(r) as Sarif
    const b = renderSarif(structuredClone(r)) as Sarif
    const fp = (d: Sarif) => d.runs[0].results.map((x: Sarif) => x.partialFingerprints['ggenPacksFinding/v1'])
    expect(fp(a)).toEqual(fp(b))
    expect(new Set(fp(a)).size).toBe(2)
  })

  it('the same project listed twice for one finding (two paths) is one result', () => {
    const f = finding('p', '1.0.0', [adv('A-1', 'high')], ['/w/a'])
    f.projects.push({project: '/w/a', machine: 'laptop', path: ['/w/a', 'q@1.0.0', 'p@1.0.0']})
    const doc = renderSarif(scan([f])) as Sarif
    expectValid(doc)
    expect(doc.runs[0].results).toHaveLength(1)
  })

  it('the validator does refuse a broken log (the test can fail)', () => {
    const doc = renderSarif(scan([])) as Sarif
    doc.runs[0].results = [{message: {}}]
    expect(validate(doc)).toBe(false)
  })
})
