import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  describeIntegrity,
  parseLegacyLockfile,
  parseLegacyLockfileDetailed,
  parseLegacySource,
  readLockfileAny,
  UNKNOWN_VERSION,
} from '../../../src/formats/legacy.js'
import {serializeLockfile, writeLockfile} from '../../../src/formats/lockfile.js'
import {thrown} from '../../support/errors.js'

const FILE = '/p/ggen.lock'
const HEX = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
const SRI = 'sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ='
const tmp = mkdtempSync(join(tmpdir(), 'ggen-legacy-lock-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))


describe('describeIntegrity', () => {
  it('classifies every form real files hold', () => {
    expect(describeIntegrity(SRI)).toEqual({kind: 'sri', algorithm: 'sha256', sri: SRI})
    expect(describeIntegrity(`sha256-${HEX}`)).toEqual({kind: 'hex', algorithm: 'sha256', sri: SRI}) // current ggen packs.lock
    expect(describeIntegrity(`sha256:${HEX}`)).toEqual({kind: 'hex', algorithm: 'sha256', sri: SRI}) // gpack.lock
    expect(describeIntegrity(HEX)).toEqual({kind: 'hex', algorithm: 'sha256', sri: SRI}) // v1 ggen.lock, registry checksum
    expect(describeIntegrity(`blake3:${HEX}`)).toEqual({kind: 'unsupported', algorithm: 'blake3'}) // engine ggen.lock
    expect(describeIntegrity('sha256-UNKNOWN-pack-not-found-locally').kind).toBe('invalid')
    expect(describeIntegrity('abc123').kind).toBe('invalid')
    expect(describeIntegrity('sha256-abc123').kind).toBe('invalid')
    expect(describeIntegrity('').kind).toBe('invalid')
    const sha512 = `sha512-${Buffer.alloc(64, 7).toString('base64')}`
    expect(describeIntegrity(sha512)).toEqual({kind: 'sri', algorithm: 'sha512', sri: sha512})
  })
})

describe('parseLegacySource', () => {
  it('reads the engine, v1 and WIP source strings', () => {
    expect(parseLegacySource('path:../../packs/x')).toEqual({source: {type: 'Local', path: '../../packs/x'}})
    expect(parseLegacySource('git:https://github.com/o/r.git@1.2.3#packs/x')).toEqual({
      source: {type: 'Git', url: 'https://github.com/o/r.git', rev: '1.2.3', subdir: 'packs/x'},
      version: '1.2.3',
    })
    expect(parseLegacySource('git:https://github.com/o/r.git@v2.0.0')).toEqual({source: {type: 'Git', url: 'https://github.com/o/r.git', rev: 'v2.0.0'}, version: '2.0.0'})
    expect(parseLegacySource('git:git@github.com:o/r.git@main')).toEqual({source: {type: 'Git', url: 'git@github.com:o/r.git', rev: 'main'}, version: undefined})
    expect(parseLegacySource('git:git@github.com:o/r.git')).toEqual({source: {type: 'Git', url: 'git@github.com:o/r.git'}, version: undefined})
    expect(parseLegacySource('https://github.com/seanchatmangpt/ggen.git')).toEqual({source: {type: 'Git', url: 'https://github.com/seanchatmangpt/ggen.git'}})
    expect(parseLegacySource('https://registry.ggen.io')).toEqual({source: {type: 'Registry', url: 'https://registry.ggen.io'}})
    expect(parseLegacySource('/abs/dir')).toEqual({source: {type: 'Local', path: '/abs/dir'}})
    expect(parseLegacySource('something')).toEqual({source: {type: 'Unknown', value: 'something'}})
  })
})

describe('parseLegacyLockfile', () => {
  it('v1: dependencies "id@range" become ids plus requires; duplicate ids warn', () => {
    const text = `version = "1.0"
generated = "2025-10-09T21:18:02Z"

[[packs]]
id = "io.ggen.web"
version = "1.2.0"
sha256 = "${HEX}"
source = "https://github.com/seanchatmangpt/ggen.git"
dependencies = ["io.ggen.base@^1.0", "@scope/util@~2.1", "plain"]

[[packs]]
id = "io.ggen.base"
version = "1.0.3"
sha256 = "${HEX}"
source = "https://registry.ggen.io/index.json"
`
    const lock = parseLegacyLockfile(text, FILE)
    expect(lock.packs['io.ggen.web']).toEqual({
      version: '1.2.0',
      source: {type: 'Git', url: 'https://github.com/seanchatmangpt/ggen.git'},
      integrity: SRI,
      installed_at: '2025-10-09T21:18:02Z',
      dependencies: ['io.ggen.base', '@scope/util', 'plain'],
      requires: {'io.ggen.base': '^1.0', '@scope/util': '~2.1', plain: '*'},
    })
    expect(lock.packs['io.ggen.base']!.source).toEqual({type: 'Registry', url: 'https://registry.ggen.io/index.json'})
    const warnings: string[] = []
    parseLegacyLockfile(text + `\n[[packs]]\nid = "io.ggen.base"\nversion = "1.0.4"\n`, FILE, (m) => warnings.push(m))
    expect(warnings.some((w) => w.includes('io.ggen.base is locked twice'))).toBe(true)
  })

  it('unquoted TOML datetimes are accepted', () => {
    const lock = parseLegacyLockfile(`generated = 2025-10-09T21:18:02Z\n[[packs]]\nid = "a"\nversion = "1.0.0"\n`, FILE)
    expect(lock.packs.a!.installed_at).toBe('2025-10-09T21:18:02.000Z')
  })

  it('engine: git sources carry their version', () => {
    const r = parseLegacyLockfileDetailed(`[packs.x]\nsource = "git:https://github.com/o/r.git@1.4.0#packs/x"\ncontent_hash = "blake3:${HEX}"\n`, FILE)
    expect(r.unknownVersions).toEqual([])
    expect(r.lock.packs.x).toMatchObject({version: '1.4.0', source: {type: 'Git', rev: '1.4.0', subdir: 'packs/x'}, integrity: `blake3:${HEX}`})
  })

  it('a JSON packs.lock given to the legacy reader is read canonically', () => {
    const json = serializeLockfile({packs: {a: {version: '1.0.0', source: {type: 'Local', path: '/x'}, integrity: SRI, installed_at: 't', dependencies: []}}})
    expect(parseLegacyLockfileDetailed(json, FILE).format).toBe('packs.lock')
  })

  it('schema problems name the field', () => {
    expect(thrown(() => parseLegacyLockfile('[[packs]]\nid = "a"\nversion = 1\n', FILE))).toMatchObject({code: 'E_SCHEMA', file: FILE, field: 'packs[0].version'})
    expect(thrown(() => parseLegacyLockfile('[packs.a]\ncontent_hash = "blake3:00"\n', FILE))).toMatchObject({code: 'E_SCHEMA', field: 'packs.a.source'})
    expect(thrown(() => parseLegacyLockfile('[packages.a]\nversion = "1"\ndependencies = ["b"]\n', FILE))).toMatchObject({
      code: 'E_SCHEMA',
      field: 'packages.a.dependencies',
    })
    expect(thrown(() => parseLegacyLockfile('{"packages": {"a": {"sha256": "x"}}}', FILE))).toMatchObject({code: 'E_SCHEMA', field: 'packages.a.version'})
    expect(thrown(() => parseLegacyLockfile('title = "not a lock"\n', FILE))).toMatchObject({code: 'E_SCHEMA', field: 'packs'})
    expect(thrown(() => parseLegacyLockfile('[[packs]\n', FILE))).toMatchObject({code: 'E_PARSE', file: FILE})
  })
})

describe('readLockfileAny', () => {
  it('null when the project has no lockfile', () => {
    expect(readLockfileAny(join(tmp, 'none'))).toBeNull()
  })

  it('ggen.lock: path packs take their version from gpack.toml, and .ggen/packs.lock wins once written', () => {
    const proj = join(tmp, 'proj')
    const pack = join(tmp, 'packs', 'my-pack')
    mkdirSync(proj, {recursive: true})
    mkdirSync(pack, {recursive: true})
    writeFileSync(join(pack, 'gpack.toml'), '[gpack]\nid = "my-pack"\nname = "My"\nversion = "3.1.4"\n')
    writeFileSync(join(proj, 'ggen.lock'), `[packs.my-pack]\nsource = "path:../packs/my-pack"\ncontent_hash = "blake3:${HEX}"\n\n[packs.gone]\nsource = "path:../packs/gone"\n`)
    const warnings: string[] = []
    const r = readLockfileAny(proj, (m) => warnings.push(m))!
    expect(r).toMatchObject({legacy: true, format: 'ggen.lock/engine', file: join(proj, 'ggen.lock')})
    expect(r.lock.packs['my-pack']!.version).toBe('3.1.4')
    expect(r.lock.packs.gone!.version).toBe(UNKNOWN_VERSION)
    expect(r.lock.packs.gone!.integrity).toBe('')
    expect(warnings.some((w) => w.includes('gone'))).toBe(true)

    writeLockfile(proj, r.lock)
    const again = readLockfileAny(proj)!
    expect(again).toMatchObject({legacy: false, format: 'packs.lock'})
    expect(again.lock).toEqual(r.lock)
  })

  it('a broken gpack.toml next to a path pack is a warning, not a failure', () => {
    const proj = join(tmp, 'proj2')
    mkdirSync(join(proj, 'p'), {recursive: true})
    writeFileSync(join(proj, 'p', 'gpack.toml'), '[gpack\n')
    writeFileSync(join(proj, 'ggen.lock'), '[packs.p]\nsource = "path:p"\n')
    const warnings: string[] = []
    expect(readLockfileAny(proj, (m) => warnings.push(m))!.lock.packs.p!.version).toBe(UNKNOWN_VERSION)
    expect(warnings.some((w) => w.includes('cannot read the pack'))).toBe(true)
  })
})
