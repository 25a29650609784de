/**
 * The advisory reader's zod schema (src/advisories/osv.ts, written from the OSV 1.7 spec) against
 * the official JSON Schema (../shared/schemas/osv-schema.json, read at run time, never shipped):
 * every record ours accepts, the official one accepts, and every record the official one refuses,
 * ours refuses - on the real records of ../shared/osv-real, the bundled example's advisories and
 * the fixtures below (good ones, and one per way a record can be broken).
 * The official schema gets the relaxations before use: any id prefix, and any ecosystem
 * name (its pattern lists the known ecosystems; `ggen` is not one, and new ones appear over time).
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import {describe, expect, it} from 'vitest'
import {checkRecord} from '../../../src/advisories/osv.js'
import {repoRoot} from '../../support/cli.js'

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default
const shared = join(repoRoot, '..', 'shared')
const official = JSON.parse(readFileSync(join(shared, 'schemas', 'osv-schema.json'), 'utf8')) as {$defs: Record<string, Record<string, unknown>>}
official.$defs.prefix = {type: 'string'}
official.$defs.ecosystemWithSuffix = {type: 'string', pattern: '^[^:]+(:.+)?$'}
const ajv = new Ajv2020({allErrors: true, strict: false})
addFormats(ajv)
const validOfficial = ajv.compile(official)

type Rec = Record<string, unknown>
const base = (more: Rec = {}): Rec => ({id: 'GGEN-2026-9', modified: '2026-01-01T00:00:00Z', affected: [{package: {ecosystem: 'ggen', name: 'io.x.a'}, ranges: [{type: 'SEMVER', events: [{introduced: '0'}, {fixed: '1.0.0'}]}]}], ...more})
const withRange = (range: Rec): Rec => base({affected: [{package: {ecosystem: 'ggen', name: 'io.x.a'}, ranges: [range]}]})

const good: [string, Rec][] = [
  ['minimal', {id: 'X-1', modified: '2026-01-01T00:00:00Z'}],
  ['ranges and versions', base({affected: [{package: {ecosystem: 'ggen', name: 'io.x.a', purl: 'pkg:generic/io.x.a'}, versions: ['1.0.0'], ranges: [{type: 'ECOSYSTEM', events: [{introduced: '1.0.0'}, {last_affected: '1.2.0'}]}]}]})],
  ['fractional seconds, nulls, credits', base({published: '2026-01-01T00:00:00.123Z', aliases: null, references: null, credits: [{name: 'a', type: 'FINDER'}]})],
  ['a CVSS v3 and v4 vector', base({severity: [{type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'}, {type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'}]})],
  ['a GIT range with a repo and full hashes', withRange({type: 'GIT', repo: 'https://x.invalid/r', events: [{introduced: '0'}, {fixed: 'a'.repeat(40)}]})],
]

const bad: [string, Rec, string][] = [
  ['no id', {modified: '2026-01-01T00:00:00Z'}, '/id'],
  ['no modified', {id: 'X-1'}, '/modified'],
  ['a date without time', base({modified: '2026-01-01'}), '/modified'],
  ['an offset instead of Z', base({published: '2026-01-01T00:00:00+02:00'}), '/published'],
  ['an unknown top-level field', base({severity_score: 9}), '/'],
  ['aliases not a list', base({aliases: 'CVE-1'}), '/aliases'],
  ['an unknown range type', withRange({type: 'RANGE', events: [{introduced: '0'}]}), '/affected/0/ranges/0/type'],
  ['events without introduced', withRange({type: 'SEMVER', events: [{fixed: '1.0.0'}]}), '/affected/0/ranges/0/events'],
  ['no events', withRange({type: 'SEMVER', events: []}), '/affected/0/ranges/0/events'],
  ['an event with two kinds', withRange({type: 'SEMVER', events: [{introduced: '0', fixed: '1.0.0'}]}), '/affected/0/ranges/0/events/0'],
  ['an event of no kind', withRange({type: 'SEMVER', events: [{introduced: '0'}, {patched: '1.0.0'}]}), '/affected/0/ranges/0/events/1'],
  ['a version that is a number', withRange({type: 'SEMVER', events: [{introduced: 0}]}), '/affected/0/ranges/0/events/0/introduced'],
  ['fixed and last_affected together', withRange({type: 'SEMVER', events: [{introduced: '0'}, {fixed: '1.0.0'}, {last_affected: '0.9.0'}]}), '/affected/0/ranges/0/events'],
  ['a GIT range without repo', withRange({type: 'GIT', events: [{introduced: '0'}]}), '/affected/0/ranges/0/repo'],
  ['a GIT range with a short hash', withRange({type: 'GIT', repo: 'https://x.invalid/r', events: [{introduced: 'abc123'}]}), '/affected/0/ranges/0/events/0/introduced'],
  ['a package without name', base({affected: [{package: {ecosystem: 'ggen'}}]}), '/affected/0/package/name'],
  ['an unknown severity type', base({severity: [{type: 'CVSS_V9', score: 'x'}]}), '/severity/0/type'],
  ['a CVSS v3 score that is not a vector', base({severity: [{type: 'CVSS_V3', score: '9.8'}]}), '/severity/0/score'],
  ['an Ubuntu priority that does not exist', base({severity: [{type: 'Ubuntu', score: 'urgent'}]}), '/severity/0/score'],
  ['severity at both levels', base({severity: [{type: 'Ubuntu', score: 'low'}], affected: [{package: {ecosystem: 'ggen', name: 'io.x.a'}, severity: [{type: 'Ubuntu', score: 'low'}]}]}), '/affected/0/severity'],
  ['a reference of an unknown type', base({references: [{type: 'HOMEPAGE', url: 'https://x.invalid'}]}), '/references/0/type'],
  ['a reference that is not a URI', base({references: [{type: 'WEB', url: 'not a uri'}]}), '/references/0/url'],
  ['a credit of an unknown type', base({credits: [{name: 'a', type: 'HERO'}]}), '/credits/0/type'],
  ['database_specific not an object', base({database_specific: 'high'}), '/database_specific'],
  ['versions not strings', base({affected: [{package: {ecosystem: 'ggen', name: 'io.x.a'}, versions: [1]}]}), '/affected/0/versions/0'],
]

const realRecords = (): [string, Rec][] => readdirSync(join(shared, 'osv-real')).filter((f) => f.endsWith('.json')).sort().map((f) => [f, JSON.parse(readFileSync(join(shared, 'osv-real', f), 'utf8')) as Rec])
const exampleRecords = (): [string, Rec][] => readdirSync(join(repoRoot, 'examples', 'advisories')).sort().map((f) => [f, JSON.parse(readFileSync(join(repoRoot, 'examples', 'advisories', f), 'utf8')) as Rec])

describe('the OSV zod schema agrees with the official schema', () => {
  const all = [...realRecords(), ...exampleRecords(), ...good, ...bad.map(([n, r]) => [n, r] as [string, Rec])]

  it.each(all)('%s: accepted by ours => accepted by the official; refused by the official => refused by ours', (_name, r) => {
    const ours = checkRecord(r).ok
    const theirs = validOfficial(r)
    if (ours) expect(theirs, JSON.stringify(validOfficial.errors)).toBe(true)
    if (!theirs) expect(ours).toBe(false)
  })

  it('accepts every real record, the example records and the good fixtures', () => {
    for (const [name, r] of [...realRecords(), ...exampleRecords(), ...good]) expect(checkRecord(r), name).toMatchObject({ok: true})
  })

  it.each(bad)('refuses %s, naming the field as a JSON pointer', (_name, r, field) => {
    expect(validOfficial(r)).toBe(false)
    const c = checkRecord(r)
    expect(c.ok).toBe(false)
    if (!c.ok) expect(c.field).toBe(field)
  })
})
