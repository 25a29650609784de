import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  buildManifest,
  compareManifests,
  isLocked,
  parseManifestText,
  pinManifest,
  serializeManifest,
  validateManifest,
  writeManifestFile,
  type ManifestSourceProject,
} from '../../src/core/manifest.js'
import {isPacksError, type PacksError} from '../../src/domain/errors.js'
import type {LockEntry} from '../../src/domain/schemas.js'

const FILE = '/work/prod.json'
const SRI = (n: number) => `sha512-${Buffer.alloc(64, n).toString('base64')}`
const tmp = mkdtempSync(join(tmpdir(), 'ggen-manifest-unit-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

async function rejected(p: Promise<unknown> | (() => unknown)): Promise<PacksError> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (error) {
    if (isPacksError(error)) return error
    throw error
  }
  throw new Error('expected a PacksError')
}

const manifest = (packages: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  version: '1',
  created_at: '2026-01-01T00:00:00.000Z',
  environment: 'prod',
  packages,
  metadata: {created_by: 'ci', team: 'platform', description: null, locked_at: '2026-01-01T00:00:00.000Z'},
  ...extra,
})
const pkg = (id: string, version: string, n: number, more: Record<string, unknown> = {}) => ({id, required_version: version, version, integrity: SRI(n), ...more})

describe('validateManifest: errors name the file and the field', () => {
  it('accepts a locked manifest and fills defaults', () => {
    const m = validateManifest(manifest([pkg('io.a', '1.0.0', 1), pkg('io.b', '2.0.0', 2, {transitive: true})]), FILE, {requireLocked: true})
    expect(m.packages[0]).toMatchObject({id: 'io.a', optional: false, tier: 'required', transitive: false})
    expect(m.packages[1]!.transitive).toBe(true)
    expect(isLocked(m)).toBe(true)
  })

  it('takes required_version from version when only version is given', () => {
    const m = validateManifest(manifest([{id: 'io.a', version: '1.0.0', integrity: SRI(1)}]), FILE)
    expect(m.packages[0]!.required_version).toBe('1.0.0')
  })

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['missing environment', manifest([pkg('io.a', '1.0.0', 1)], {environment: undefined}), 'environment', /expected string/],
    ['bad environment name', manifest([pkg('io.a', '1.0.0', 1)], {environment: 'my env'}), 'environment', /not an environment name/],
    ['unsupported format version', manifest([pkg('io.a', '1.0.0', 1)], {version: '2'}), 'version', /unsupported manifest format version `2`/],
    ['bad created_at', manifest([pkg('io.a', '1.0.0', 1)], {created_at: 'yesterday'}), 'created_at', /not a date-time/],
    ['a range as version', manifest([pkg('io.a', '1.0.0', 1), pkg('io.b', '1.0.0', 2), pkg('io.c', '1.0.0', 3), {...pkg('io.d', '1.0.0', 4), version: '^1.0'}]), 'packages[3].version', /is a range/],
    ['version outside required_version', manifest([{...pkg('io.a', '1.0.0', 1), required_version: '^2'}]), 'packages[0].version', /does not satisfy required_version `\^2`/],
    ['junk integrity', manifest([{...pkg('io.a', '1.0.0', 1), integrity: 'sha256-UNKNOWN'}]), 'packages[0].integrity', /not an SRI integrity/],
    ['duplicate id', manifest([pkg('io.a', '1.0.0', 1), pkg('io.b', '1.0.0', 2), pkg('io.a', '1.1.0', 3)]), 'packages[2].id', /listed twice \(also packages\[0\]\)/],
    ['bad package id', manifest([pkg('not an id', '1.0.0', 1)]), 'packages[0].id', /not a valid package id/],
    ['bad tier', manifest([pkg('io.a', '1.0.0', 1, {tier: 'gold'})]), 'packages[0].tier', /./],
    ['packages not a list', manifest([], {packages: {a: 1}}), 'packages', /expected array/],
    ['missing metadata.created_by', manifest([pkg('io.a', '1.0.0', 1)], {metadata: {}}), 'metadata.created_by', /expected string/],
  ]
  for (const [name, raw, field, message] of cases) {
    it(name, async () => {
      const e = await rejected(() => validateManifest(raw, FILE))
      expect(e.code).toBe('E_MANIFEST')
      expect(e.exitCode).toBe(3)
      expect(e.file).toBe(FILE)
      expect(e.field).toBe(field)
      expect(e.message).toContain(`${FILE}: field \`${field}\``)
      expect(e.message).toMatch(message)
    })
  }

  it('lists every problem in details', async () => {
    const e = await rejected(() => validateManifest(manifest([{...pkg('io.a', '1.0.0', 1), integrity: 'x'}, {...pkg('io.b', '1.0.0', 1), version: '>=1'}]), FILE))
    expect(e.message).toMatch(/and 1 more problem/)
    expect((e.details as {field: string}[]).map((d) => d.field)).toEqual(['packages[0].integrity', 'packages[1].version'])
  })

  it('requireLocked: every entry needs version and integrity, hinting `manifest lock`', async () => {
    const e1 = await rejected(() => validateManifest(manifest([{id: 'io.a', required_version: '^1'}]), FILE, {requireLocked: true}))
    expect(e1.field).toBe('packages[0].version')
    expect(e1.hint).toContain(`manifest lock ${FILE}`)
    const e2 = await rejected(() => validateManifest(manifest([{id: 'io.a', required_version: '1.0.0', version: '1.0.0'}]), FILE, {requireLocked: true}))
    expect(e2.field).toBe('packages[0].integrity')
  })
})

describe('parseManifestText', () => {
  it('reads YAML as well as JSON', async () => {
    const yaml = await serializeManifest(validateManifest(manifest([pkg('io.a', '1.0.0', 1)]), FILE), 'yaml')
    expect(yaml).toMatch(/^created_at:/m)
    const m = await parseManifestText(yaml, '/work/prod.yaml')
    expect(m.packages[0]!.integrity).toBe(SRI(1))
  })

  it('a truncated JSON file is E_MANIFEST naming the file and the line', async () => {
    const text = JSON.stringify(manifest([pkg('io.a', '1.0.0', 1)]), null, 2)
    const e = await rejected(parseManifestText(text.slice(0, 120), FILE))
    expect(e.code).toBe('E_MANIFEST')
    expect(e.file).toBe(FILE)
    expect(e.message).toMatch(/invalid JSON at line \d+/)
  })

  it('broken YAML names the line', async () => {
    const e = await rejected(parseManifestText('environment: prod\npackages: [\n  - a: b\n', '/work/prod.yaml'))
    expect(e.code).toBe('E_MANIFEST')
    expect(e.message).toMatch(/invalid YAML at line/)
  })
})

describe('serializeManifest / writeManifestFile', () => {
  it('is canonical: packages sorted by id, keys sorted, stable across runs', async () => {
    const m = validateManifest(manifest([pkg('io.z', '1.0.0', 1), pkg('io.a', '1.0.0', 2)]), FILE)
    const a = await serializeManifest(m)
    const b = await serializeManifest(validateManifest(JSON.parse(a), FILE))
    expect(a).toBe(b)
    expect(JSON.parse(a).packages.map((p: {id: string}) => p.id)).toEqual(['io.a', 'io.z'])
    expect(Object.keys(JSON.parse(a))).toEqual(['created_at', 'environment', 'metadata', 'packages', 'version'])
  })

  it('picks YAML from the extension', async () => {
    const m = validateManifest(manifest([pkg('io.a', '1.0.0', 1)]), FILE)
    await writeManifestFile(join(tmp, 'm.yml'), m)
    expect(readFileSync(join(tmp, 'm.yml'), 'utf8')).toMatch(/^environment: prod$/m)
    await writeManifestFile(join(tmp, 'm.json'), m)
    expect(JSON.parse(readFileSync(join(tmp, 'm.json'), 'utf8')).environment).toBe('prod')
  })
})

const lockEntry = (version: string, n: number, deps: Record<string, string> = {}): LockEntry => ({
  version,
  source: {type: 'Registry', url: '/reg'},
  integrity: SRI(n),
  installed_at: '2026-01-01T00:00:00Z',
  dependencies: Object.keys(deps),
  requires: deps,
})

const projectA: ManifestSourceProject = {
  path: '/p/a',
  config: {project: {name: 'a', team: 'web'}, packs: {'io.app': {version: '^1.0.0', optional: false, tier: 'required'}, 'io.extra': {version: '~2.0.0', optional: true, tier: 'optional'}}, extra: {}},
  lock: {packs: {'io.app': lockEntry('1.2.0', 1, {'io.util': '^1.1.0'}), 'io.util': lockEntry('1.3.0', 2), 'io.extra': lockEntry('2.0.1', 3, {'io.util': '>=1.0.0'})}},
}

describe('buildManifest', () => {
  const o = {environment: 'prod', createdBy: 'ci', now: '2026-02-02T00:00:00.000Z'}

  it('records direct and transitive packages with exact versions, integrities and ranges', () => {
    const m = buildManifest([projectA], {...o, lockAll: false, team: 'web'})
    expect(m.environment).toBe('prod')
    expect(m.metadata).toMatchObject({created_by: 'ci', team: 'web', locked_at: null, projects: ['/p/a']})
    const by = Object.fromEntries(m.packages.map((p) => [p.id, p]))
    expect(by['io.app']).toMatchObject({required_version: '^1.0.0', version: '1.2.0', integrity: SRI(1), transitive: false, tier: 'required', optional: false, dependencies: ['io.util']})
    expect(by['io.extra']).toMatchObject({required_version: '~2.0.0', optional: true, tier: 'optional', transitive: false})
    // a transitive package's requirement is what its requirers declare, joined
    expect(by['io.util']).toMatchObject({required_version: '^1.1.0 >=1.0.0', version: '1.3.0', transitive: true})
    expect(validateManifest(JSON.parse(JSON.stringify(m)), FILE, {requireLocked: true})).toBeTruthy()
  })

  it('--lock-all pins every entry and stamps locked_at', () => {
    const m = buildManifest([projectA], {...o, lockAll: true})
    expect(m.packages.every((p) => p.required_version === p.version)).toBe(true)
    expect(m.metadata.locked_at).toBe(o.now)
    expect(isLocked(m)).toBe(true)
  })

  it('merges projects; a package direct anywhere is direct', () => {
    const b: ManifestSourceProject = {path: '/p/b', config: {project: {name: 'b'}, packs: {'io.util': {version: '^1.0.0', optional: false, tier: 'recommended'}}, extra: {}}, lock: {packs: {'io.util': lockEntry('1.3.0', 2)}}}
    const m = buildManifest([projectA, b], {...o, lockAll: false})
    const util = m.packages.find((p) => p.id === 'io.util')!
    expect(util).toMatchObject({transitive: false, required_version: '^1.0.0', tier: 'recommended'})
    expect(m.metadata.projects).toEqual(['/p/a', '/p/b'])
  })

  it('two projects locking different versions of a package is an error naming both', async () => {
    const b: ManifestSourceProject = {path: '/p/b', config: {project: {name: 'b'}, packs: {}, extra: {}}, lock: {packs: {'io.util': lockEntry('1.4.0', 9)}}}
    const e = await rejected(() => buildManifest([projectA, b], {...o, lockAll: false}))
    expect(e.code).toBe('E_MANIFEST')
    expect(e.message).toContain('io.util: 1.3.0 in /p/a; 1.4.0 in /p/b')
  })
})

describe('pinManifest', () => {
  it('sets required_version to the exact version', () => {
    const m = validateManifest(manifest([{...pkg('io.a', '1.0.0', 1), required_version: '^1'}], {metadata: {created_by: 'x'}}), FILE)
    const p = pinManifest(m, FILE, '2026-03-03T00:00:00.000Z')
    expect(p.packages[0]!.required_version).toBe('1.0.0')
    expect(p.metadata.locked_at).toBe('2026-03-03T00:00:00.000Z')
  })

  it('refuses an entry without version, naming it', async () => {
    const m = validateManifest(manifest([pkg('io.a', '1.0.0', 1), {id: 'io.b', required_version: '^1'}]), FILE)
    const e = await rejected(() => pinManifest(m, FILE))
    expect(e.field).toBe('packages[1].version')
  })
})

describe('compareManifests', () => {
  const A = validateManifest(manifest([pkg('io.same', '1.0.0', 1), pkg('io.up', '1.0.0', 2), pkg('io.down', '2.0.0', 3), pkg('io.gone', '1.0.0', 4), pkg('io.bytes', '1.0.0', 5), pkg('io.tier', '1.0.0', 6)]), 'a.json')
  const B = validateManifest(
    manifest([pkg('io.same', '1.0.0', 1), pkg('io.up', '1.1.0', 12), pkg('io.down', '1.9.0', 13), pkg('io.new', '3.0.0', 14, {transitive: true}), pkg('io.bytes', '1.0.0', 15), pkg('io.tier', '1.0.0', 6, {tier: 'recommended'})], {environment: 'staging'}),
    'b.json',
  )

  it('lists added, removed and changed with direction and integrity changes', () => {
    const c = compareManifests(A, B, 'a.json', 'b.json')
    expect(c.same).toBe(false)
    expect(c.a).toMatchObject({file: 'a.json', environment: 'prod', packages: 6, locked: true})
    expect(c.b.environment).toBe('staging')
    expect(c.added).toEqual([{id: 'io.new', version: '3.0.0', required_version: '3.0.0', integrity: SRI(14), transitive: true}])
    expect(c.removed.map((p) => p.id)).toEqual(['io.gone'])
    const by = Object.fromEntries(c.changed.map((x) => [x.id, x]))
    expect(by['io.up']).toMatchObject({from: '1.0.0', to: '1.1.0', direction: 'upgrade', integrity_changed: true})
    expect(by['io.down']).toMatchObject({from: '2.0.0', to: '1.9.0', direction: 'downgrade'})
    expect(by['io.bytes']).toMatchObject({from: '1.0.0', to: '1.0.0', direction: 'none', integrity_changed: true, from_integrity: SRI(5), to_integrity: SRI(15)})
    expect(by['io.tier']).toMatchObject({direction: 'none', integrity_changed: false, attributes: [{field: 'tier', from: 'required', to: 'recommended'}]})
    expect(c.unchanged).toBe(1)
  })

  it('--versions-only ignores attribute changes', () => {
    const c = compareManifests(A, B, 'a.json', 'b.json', {versionsOnly: true})
    expect(c.changed.map((x) => x.id)).not.toContain('io.tier')
    expect(c.unchanged).toBe(2)
  })

  it('a manifest equals itself', () => {
    const c = compareManifests(A, A, 'a.json', 'a.json')
    expect(c).toMatchObject({same: true, added: [], removed: [], changed: [], unchanged: 6})
  })

  it('direction follows semver, not string order', () => {
    const c = compareManifests(validateManifest(manifest([pkg('io.x', '1.9.0', 1)]), 'a'), validateManifest(manifest([pkg('io.x', '1.10.0', 2)]), 'b'), 'a', 'b')
    expect(c.changed[0]!.direction).toBe('upgrade')
  })
})

