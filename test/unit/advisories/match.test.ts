/**
 * OSV matching (issue 11): every range form of the spec's IsVulnerable, through the reader
 * (validate -> normalize -> merge -> AdvisoryDb.affecting), on hand-written records and on the
 * real GHSA records of ../shared/osv-real (read at run time; only their ecosystem is renamed to
 * `ggen` here so they name gpacks).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {AdvisoryDb, type AdvisoryMeta} from '../../../src/advisories/db.js'
import {parseRecords} from '../../../src/advisories/import.js'
import {inRange} from '../../../src/advisories/match.js'
import {buildVulnerabilities, genericPurlName, primaryId} from '../../../src/advisories/normalize.js'
import {repoRoot} from '../../support/cli.js'

const OSV_REAL = join(repoRoot, '..', 'shared', 'osv-real')

type Rec = Record<string, unknown>
const record = (id: string, affected: Rec[], extra: Rec = {}): Rec => ({id, modified: '2026-01-01T00:00:00Z', affected, ...extra})
const pkg = (name: string, more: Rec = {}): Rec => ({package: {ecosystem: 'ggen', name}, ...more})
const semver = (...events: Rec[]): Rec => ({type: 'SEMVER', events})

function dbOf(records: Rec[], ecosystem = 'ggen'): AdvisoryDb {
  const {records: normal, skipped} = parseRecords([{name: 'test.json', text: JSON.stringify(records)}], ecosystem)
  expect(skipped).toEqual([])
  const built = buildVulnerabilities(normal)
  return new AdvisoryDb({records: built.records} as AdvisoryMeta, built.vulnerabilities)
}

const affected = (db: AdvisoryDb, id: string, versions: string[]) => versions.filter((v) => db.affecting(id, v).length > 0)

describe('OSV range forms', () => {
  it('introduced/fixed: fixed is exclusive', () => {
    const db = dbOf([record('GGEN-1', [pkg('a', {ranges: [semver({introduced: '1.0.0'}, {fixed: '1.2.0'})]})])])
    expect(affected(db, 'a', ['0.9.0', '1.0.0', '1.1.9', '1.2.0', '2.0.0'])).toEqual(['1.0.0', '1.1.9'])
  })
  it('introduced "0" affects everything before the fix', () => {
    const db = dbOf([record('GGEN-1', [pkg('a', {ranges: [semver({introduced: '0'}, {fixed: '1.0.0'})]})])])
    expect(affected(db, 'a', ['0.0.1', '0.9.9', '1.0.0'])).toEqual(['0.0.1', '0.9.9'])
  })
  it('last_affected is inclusive', () => {
    const db = dbOf([record('GGEN-1', [pkg('a', {ranges: [semver({introduced: '1.0.0'}, {last_affected: '1.2.0'})]})])])
    expect(affected(db, 'a', ['1.0.0', '1.2.0', '1.2.1'])).toEqual(['1.0.0', '1.2.0'])
  })
  it('limit: only versions below a limit, whatever the other events say', () => {
    const db = dbOf([record('GGEN-1', [pkg('a', {ranges: [semver({introduced: '0'}, {limit: '2.0.0'})]})])])
    expect(affected(db, 'a', ['0.1.0', '1.9.9', '2.0.0', '3.0.0'])).toEqual(['0.1.0', '1.9.9'])
  })
  it('an explicit versions list, with no range', () => {
    const db = dbOf([record('GGEN-1', [pkg('a', {versions: ['1.0.0', '1.3.0']})])])
    expect(affected(db, 'a', ['1.0.0', '1.1.0', '1.3.0'])).toEqual(['1.0.0', '1.3.0'])
  })
  it('several intervals in one range and several ranges and affected entries', () => {
    const db = dbOf([
      record('GGEN-1', [
        pkg('a', {ranges: [semver({introduced: '2.0.0'}, {fixed: '2.1.0'}, {introduced: '1.0.0'}, {fixed: '1.0.5'}), {type: 'ECOSYSTEM', events: [{introduced: '3.0.0'}, {fixed: '3.0.1'}]}]}),
        pkg('b', {versions: ['0.1.0']}),
      ]),
    ])
    expect(affected(db, 'a', ['0.9.0', '1.0.0', '1.0.5', '1.5.0', '2.0.3', '2.1.0', '3.0.0', '3.0.1'])).toEqual(['1.0.0', '2.0.3', '3.0.0'])
    expect(affected(db, 'b', ['0.1.0', '0.2.0'])).toEqual(['0.1.0'])
  })
  it('GIT ranges never match versions; other ecosystems are not ours', () => {
    const db = dbOf([record('GGEN-1', [pkg('a', {ranges: [{type: 'GIT', repo: 'https://x.invalid/r', events: [{introduced: '0'}]}]}), {package: {ecosystem: 'npm', name: 'b'}, versions: ['1.0.0']}])])
    expect(affected(db, 'a', ['1.0.0'])).toEqual([])
    expect(affected(db, 'b', ['1.0.0'])).toEqual([])
  })
  it('a pkg:generic purl names the gpack too', () => {
    expect(genericPurlName('pkg:generic/io.x.y@1.0.0?q=1')).toBe('io.x.y')
    expect(genericPurlName('pkg:npm/left-pad')).toBeNull()
    const db = dbOf([record('GGEN-1', [{package: {ecosystem: 'Other', name: 'whatever', purl: 'pkg:generic/io.x.y'}, versions: ['1.0.0']}])])
    expect(affected(db, 'io.x.y', ['1.0.0', '1.0.1'])).toEqual(['1.0.0'])
  })
  it('withdrawn records are ignored; of two records with one id the newest modified wins', () => {
    const db = dbOf([
      record('GGEN-1', [pkg('a', {versions: ['1.0.0']})], {withdrawn: '2026-02-01T00:00:00Z'}),
      record('GGEN-2', [pkg('a', {versions: ['1.0.0']})], {modified: '2026-01-01T00:00:00Z'}),
      record('GGEN-2', [pkg('a', {versions: ['2.0.0']})], {modified: '2026-03-01T00:00:00Z'}),
    ])
    expect(db.affecting('a', '1.0.0')).toEqual([])
    expect(db.affecting('a', '2.0.0').map((v) => v.id)).toEqual(['GGEN-2'])
  })
  it('records naming each other through aliases are one vulnerability; the primary id is not the CVE', () => {
    const db = dbOf([
      record('CVE-2026-1', [pkg('a', {versions: ['1.0.0']})], {aliases: ['GHSA-aaaa-bbbb-cccc'], severity: [{type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'}]}),
      record('GHSA-aaaa-bbbb-cccc', [pkg('a', {ranges: [semver({introduced: '1.1.0'}, {fixed: '1.2.0'})]})], {aliases: ['CVE-2026-1', 'OSV-2026-7']}),
    ])
    const hits = db.affecting('a', '1.1.0')
    expect(hits.map((v) => [v.id, v.aliases])).toEqual([['GHSA-aaaa-bbbb-cccc', ['CVE-2026-1', 'OSV-2026-7']]])
    expect(db.affecting('a', '1.0.0').map((v) => v.id)).toEqual(['GHSA-aaaa-bbbb-cccc'])
    expect(hits[0]).toMatchObject({severity: 'critical', score: 9.8})
    expect(primaryId(['CVE-1', 'CVE-0'])).toBe('CVE-0')
  })
  it('severity: CVSS v4 and v3 scores rate it; database_specific is the fallback; else unknown', () => {
    const db = dbOf([
      record('GGEN-4', [pkg('a', {versions: ['4.0.0']})], {severity: [{type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N'}]}),
      record('GGEN-5', [pkg('a', {versions: ['5.0.0']})], {database_specific: {severity: 'MODERATE'}}),
      record('GGEN-6', [pkg('a', {versions: ['6.0.0']})]),
    ])
    expect(db.affecting('a', '4.0.0')[0]).toMatchObject({severity: 'medium', score: 6.9})
    expect(db.affecting('a', '5.0.0')[0]).toMatchObject({severity: 'medium'})
    expect(db.affecting('a', '5.0.0')[0]!.score).toBeUndefined()
    expect(db.affecting('a', '6.0.0')[0]).toMatchObject({severity: 'unknown'})
  })
  it('event order in the file does not matter (events are sorted before the walk)', () => {
    expect(inRange('1.5.0', {type: 'SEMVER', events: [{fixed: '2.0.0'}, {introduced: '1.0.0'}]})).toBe(true)
    expect(inRange('2.0.0', {type: 'SEMVER', events: [{fixed: '2.0.0'}, {introduced: '1.0.0'}]})).toBe(false)
  })
})

describe('the real OSV records of ../shared/osv-real', () => {
  const files = readdirSync(OSV_REAL).filter((f) => f.endsWith('.json')).sort()
  /** the npm records, renamed to our ecosystem (npm versions are semver) */
  const asGgen = (f: string): Rec => {
    const r = JSON.parse(readFileSync(join(OSV_REAL, f), 'utf8')) as {affected: {package: {ecosystem: string}}[]}
    for (const a of r.affected) if (a.package.ecosystem === 'npm') a.package.ecosystem = 'ggen'
    return r as unknown as Rec
  }
  it('every record loads', () => {
    const {records, skipped} = parseRecords(files.map((f) => ({name: f, text: readFileSync(join(OSV_REAL, f), 'utf8')})), 'ggen')
    expect(skipped).toEqual([])
    expect(records).toHaveLength(files.length)
  })
  it('matches the npm ranges as the spec says', () => {
    const db = dbOf(files.map(asGgen))
    // mixin-deep: introduced 0 / fixed 1.3.2 and introduced 2.0.0 / fixed 2.0.1
    expect(affected(db, 'mixin-deep', ['1.3.1', '1.3.2', '2.0.0', '2.0.1'])).toEqual(['1.3.1', '2.0.0'])
    // i18next: introduced 0, fixed 1.10.3
    expect(affected(db, 'i18next', ['1.10.2', '1.10.3'])).toEqual(['1.10.2'])
    // jquery: introduced 2.1.1-0, fixed 3.0.0 (prereleases count)
    expect(affected(db, 'jquery', ['2.1.0', '2.1.1-beta.1', '2.2.4', '3.0.0'])).toEqual(['2.1.1-beta.1', '2.2.4'])
    // shiba / marky-markdown: no fix, every version
    expect(affected(db, 'shiba', ['0.0.1', '99.0.0'])).toEqual(['0.0.1', '99.0.0'])
    expect(affected(db, 'marky-markdown', ['0.0.0', '12.0.0'])).toEqual(['0.0.0', '12.0.0'])
    expect(db.affecting('mixin-deep', '1.3.1').map((v) => [v.id, v.aliases])).toEqual([['GHSA-fhjf-83wg-r2j9', ['CVE-2019-10746']]])
  })
  it('the withdrawn record affects nothing, even renamed to our ecosystem', () => {
    const r = JSON.parse(readFileSync(join(OSV_REAL, 'withdrawn.osv.json'), 'utf8')) as {affected: {package: {ecosystem: string}}[]}
    for (const a of r.affected) a.package.ecosystem = 'ggen'
    const db = dbOf([r as unknown as Rec])
    expect(db.affecting('activesupport', '3.2.5')).toEqual([])
  })
})
