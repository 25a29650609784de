import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parseGpackToml} from '../../../src/formats/gpack-toml.js'
import {parsePackBundle, readAnyFile} from '../../../src/formats/legacy.js'
import {normalizeRegistryIndex, normalizeTomlRegistry} from '../../../src/formats/registry-index.js'
import {thrown} from '../../support/errors.js'

const FILE = '/p/gpack.toml'
const tmp = mkdtempSync(join(tmpdir(), 'ggen-manifests-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))


function file(rel: string, text: string): string {
  const p = join(tmp, rel)
  mkdirSync(join(p, '..'), {recursive: true})
  writeFileSync(p, text)
  return p
}

describe('gpack.toml', () => {
  it('canonical [gpack] with every field', () => {
    const m = parseGpackToml(
      `[gpack]
id = "io.ggen.rust.cli"
name = "Rust CLI"
version = "1.2.0"
description = "CLI"
license = "MIT OR Apache-2.0"
authors = ["A <a@x.io>"]
ggen_compat = ">=26.7.3 <27.0.0"
repository = "https://github.com/o/r"
keywords = ["cli"]
production_ready = true

[dependencies]
"io.ggen.base" = "^1.0"
other = { version = "~2.1" }

[templates]
patterns = ["*.tmpl"]
`,
      FILE,
    )
    expect(m).toEqual({
      id: 'io.ggen.rust.cli',
      name: 'Rust CLI',
      version: '1.2.0',
      description: 'CLI',
      license: 'MIT OR Apache-2.0',
      authors: ['A <a@x.io>'],
      ggen_compat: '>=26.7.3 <27.0.0',
      repository: 'https://github.com/o/r',
      keywords: ['cli'],
      tags: [],
      production_ready: true,
      dependencies: {'io.ggen.base': '^1.0', other: '~2.1'},
    })
  })

  it('errors name the table and field', () => {
    expect(thrown(() => parseGpackToml('[gpack]\nid = "a b"\nname = "x"\nversion = "1"\n', FILE))).toMatchObject({code: 'E_SCHEMA', file: FILE, field: 'gpack.id'})
    expect(thrown(() => parseGpackToml('[gpack]\nid = "a"\nname = "x"\n', FILE)).field).toBe('gpack.version')
    expect(thrown(() => parseGpackToml('[gpack]\nid = "a"\nname = "x"\nversion = "1"\n[dependencies]\nb = 2\n', FILE)).field).toBe('dependencies.b')
    expect(thrown(() => parseGpackToml('[package]\nname = "a"\nversion = "1"\nkeywords = "x"\n', FILE)).field).toBe('package.keywords')
    expect(thrown(() => parseGpackToml('[other]\n', FILE))).toMatchObject({code: 'E_SCHEMA', field: 'gpack'})
  })

  it('[package] in a Cargo-like gpack.toml: top-level [dependencies] are gpack ranges', () => {
    const m = parseGpackToml('[package]\nname = "a"\nversion = "1.0.0"\n[dependencies]\nb = "^1"\n[tags]\nproduction-ready = true\n', FILE)
    expect(m).toMatchObject({id: 'a', dependencies: {b: '^1'}, production_ready: true})
  })

  it('[package] in a marketplace package.toml: [package] dependencies win, other top-level tables are the generated code`s', () => {
    const pkg = '/m/packages/a/package.toml'
    const w: string[] = []
    expect(parseGpackToml('[package]\nname = "a"\nversion = "1.0.0"\ndependencies = ["b", "c@^2"]\n[dependencies]\nserde = "1"\n', pkg).dependencies).toEqual({b: '*', c: '^2'})
    expect(parseGpackToml('[package]\nname = "a"\nversion = "1.0.0"\n[dependencies]\nserde = "1"\n', pkg, (m) => w.push(m)).dependencies).toEqual({})
    expect(w[0]).toMatch(/top-level \[dependencies\] \(serde\)/)
    expect(parseGpackToml('[package]\nname = "a"\nversion = "1.0.0"\n[dependencies]\nrequired = ["b"]\noptional = ["c"]\n', pkg, (m) => w.push(m)).dependencies).toEqual({b: '*'})
    expect(w[1]).toMatch(/optional dependencies c/)
  })
})

describe('pack bundles', () => {
  it('reads [pack] with dependencies in both shapes', () => {
    const b = parsePackBundle(
      `[pack]
id = "stack"
name = "Stack"
version = "1.0.0"
packages = ["a", "b"]
dependencies = [{ pack_id = "base", version = "^1", optional = true }, "other@~2"]
`,
      '/m/packs/stack.toml',
    )
    expect(b.dependencies).toEqual([
      {pack_id: 'base', version: '^1', optional: true},
      {pack_id: 'other', version: '~2', optional: false},
    ])
    expect(b.packages).toEqual(['a', 'b'])
    expect(b.description).toBe('')
  })

  it('errors name pack.<field>', () => {
    const f = '/m/packs/x.toml'
    expect(thrown(() => parsePackBundle('[pack]\nid = "x"\nname = "X"\nversion = "1"\npackages = "a"\n', f))).toMatchObject({code: 'E_SCHEMA', file: f, field: 'pack.packages'})
    expect(thrown(() => parsePackBundle('[pack]\nid = "x"\nname = "X"\nversion = "1"\npackages = []\ndependencies = [{ version = "1" }]\n', f)).field).toBe('pack.dependencies[0].pack_id')
    expect(thrown(() => parsePackBundle('title = "x"\n', f)).field).toBe('pack')
  })
})

describe('registry normalisers', () => {
  it('TOML registry needs [[package]] entries', () => {
    expect(thrown(() => normalizeTomlRegistry({package: {name: 'a'}}, '/r/packages.toml'))).toMatchObject({code: 'E_SCHEMA', field: 'package'})
    const idx = normalizeTomlRegistry({package: [{name: 'a', version: '1.0.0', dependencies: ['b@^1']}, {name: 'b', version: '1.1.0'}]}, '/r/packages.toml')
    expect(idx.packages.a!.versions['1.0.0']!.dependencies).toEqual({b: '^1'})
  })

  it('entries with a title for a name and no usable path are skipped with a warning', () => {
    const w: string[] = []
    const idx = normalizeRegistryIndex({packages: [{name: 'Not An Id', version: '1.0.0'}, {name: 'ok', version: '1.0.0'}]}, '/r/index.json', (m) => w.push(m))
    expect(Object.keys(idx.packages)).toEqual(['ok'])
    expect(w[0]).toMatch(/packages\[0\]\.name "Not An Id" is not a package id/)
  })

  it('a bad checksum is a warning, a wrong type an error naming the field', () => {
    const w: string[] = []
    const idx = normalizeRegistryIndex({packages: [{name: 'a', version: '1.0.0', checksum: 'nothex'}]}, '/r/index.json', (m) => w.push(m))
    expect(idx.packages.a!.versions['1.0.0']!.integrity).toBeUndefined()
    expect(w[0]).toMatch(/checksum of a is not a sha256 hex digest/)
    expect(thrown(() => normalizeRegistryIndex({updated_at: 5, packages: []}, '/r/index.json')).field).toBe('updated_at')
    expect(thrown(() => normalizeRegistryIndex({hello: 1}, '/r/index.json')).field).toBe('packages')
  })
})

describe('readAnyFile', () => {
  it('sniffs by name and content', () => {
    expect(readAnyFile(file('a/gpack.toml', '[gpack]\nid = "a"\nname = "A"\nversion = "1.0.0"\n')).kind).toBe('gpack')
    expect(readAnyFile(file('b/ggen.toml', '[project]\nname = "b"\n')).kind).toBe('project')
    expect(readAnyFile(file('c/bundle.toml', '[pack]\nid = "c"\nname = "C"\nversion = "1"\npackages = []\n')).kind).toBe('pack-bundle')
    expect(readAnyFile(file('d/anything.toml', '[package]\nname = "d"\nversion = "1"\n')).kind).toBe('gpack')
    expect(readAnyFile(file('e/reg.toml', '[[package]]\nname = "e"\nversion = "1"\n')).kind).toBe('registry')
    expect(readAnyFile(file('f/x.toml', 'a = 1\n'))).toMatchObject({kind: 'other'})
    expect(readAnyFile(file('g/x.json', '{"a": 1}'))).toMatchObject({kind: 'other'})
    expect(readAnyFile(file('h/index.json', '{"packs": {}}')).kind).toBe('registry')
    expect(readAnyFile(file('i/data.bin', 'zz'))).toMatchObject({kind: 'other'})
    const lock = readAnyFile(file('j/.ggen/packs.lock', '{"packs": {}}'))
    expect(lock).toMatchObject({kind: 'lockfile', legacy: false, format: 'packs.lock'})
  })

  it('non-metadata files that are TOML/JSON are still parsed: broken syntax is reported', () => {
    const p = file('k/marketplace.toml', '[package\n')
    expect(thrown(() => readAnyFile(p))).toMatchObject({code: 'E_PARSE', file: p})
    const j = file('l/notes.json', '{"a": ')
    expect(thrown(() => readAnyFile(j))).toMatchObject({code: 'E_PARSE', file: j})
  })

  it('unreadable paths are PacksErrors naming the path', () => {
    const missing = join(tmp, 'missing.toml')
    expect(thrown(() => readAnyFile(missing))).toMatchObject({code: 'E_NOT_FOUND', file: missing})
    const dir = join(tmp, 'adir.json')
    mkdirSync(dir)
    expect(thrown(() => readAnyFile(dir))).toMatchObject({code: 'E_USAGE', file: dir})
  })

  it('a receipt with a wrong type names the field', () => {
    const p = file('m/1.0.0.json', JSON.stringify({package_id: 'x', version: '1.0.0', guard_results: [], overall_score: '50', production_ready: false}))
    expect(thrown(() => readAnyFile(p))).toMatchObject({code: 'E_SCHEMA', file: p, field: 'overall_score'})
  })
})
