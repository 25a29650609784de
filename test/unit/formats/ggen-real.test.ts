/**
 * Every real file copied from ggen's public repository (../shared/ggen-real, see its README and
 * FORMATS.md) either reads into the domain model or fails with a PacksError naming the file (and,
 * for schema problems, the field). Then the concrete values of each legacy form.
 * The files are read in place (never copied into this project); GGEN_REAL_DIR overrides the location.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse as parseToml} from 'smol-toml'
import {afterAll, describe, expect, it} from 'vitest'
import type {GpackManifest, Lockfile, ProjectConfig, RegistryIndex} from '../../../src/domain/schemas.js'
import {
  type AnyRead,
  bundlePackagesMissingFrom,
  describeIntegrity,
  type PackBundleDef,
  readAnyFile,
  readLockfileAny,
  UNKNOWN_VERSION,
  type ValidationReceipt,
} from '../../../src/formats/legacy.js'
import {findDanglingDependencies} from '../../../src/formats/registry-index.js'
import {parseProjectToml, serializeProjectToml} from '../../../src/formats/project-toml.js'
import {thrown} from '../../support/errors.js'
import {isPacksError, PacksError} from '../../../src/domain/errors.js'

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
const REAL = process.env.GGEN_REAL_DIR ?? resolve(repoRoot, '../shared/ggen-real')
const at = (rel: string): string => join(REAL, rel)

function walk(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...walk(p))
    else out.push(p)
  }
  return out
}

/** read and narrow to one kind (fails the test with the kind actually read) */
function read<K extends AnyRead['kind']>(rel: string, kind: K, warnings: string[] = []): Extract<AnyRead, {kind: K}> {
  const r = readAnyFile(at(rel), (m) => warnings.push(m))
  expect(r.kind, rel).toBe(kind)
  return r as Extract<AnyRead, {kind: K}>
}
const registry = (rel: string, warnings: string[] = []): RegistryIndex => read(rel, 'registry', warnings).value
const lockfile = (rel: string, warnings: string[] = []): Lockfile => read(rel, 'lockfile', warnings).value
const gpack = (rel: string, warnings: string[] = []): GpackManifest => read(rel, 'gpack', warnings).value
const bundle = (rel: string): PackBundleDef => read(rel, 'pack-bundle').value


const sriOf = (hex: string): string => `sha256-${Buffer.from(hex, 'hex').toString('base64')}`
const SRI_SHA256 = /^sha256-[A-Za-z0-9+/]{43}=$/

describe('walk: every file under ggen-real reads or fails with a PacksError naming file and field', () => {
  const files = walk(REAL)
  const outcomes = new Map<string, AnyRead | PacksError>()
  for (const f of files) {
    try {
      outcomes.set(relative(REAL, f), readAnyFile(f))
    } catch (error) {
      // anything that is not a PacksError is a crash: record it so the test names the file
      outcomes.set(relative(REAL, f), isPacksError(error) ? error : new PacksError('E_INJECTED', `CRASH ${String(error)}`, {file: f}))
    }
  }

  it('walks all 147 files', () => {
    expect(files.length).toBe(147)
  })

  it.each(files.map((f) => [relative(REAL, f), f]))('%s', (rel, abs) => {
    const o = outcomes.get(rel)!
    if (o instanceof PacksError) {
      expect(o.message).not.toMatch(/^CRASH/)
      expect(['E_PARSE', 'E_SCHEMA']).toContain(o.code)
      expect(o.file).toBe(abs)
      expect(o.message).toContain(abs)
      if (o.code === 'E_SCHEMA') expect(o.field).toBeTruthy()
      if (o.code === 'E_PARSE') expect(o.message).toMatch(/line \d+/)
      expect(o.hint).toBeTruthy()
    } else {
      expect(o.file).toBe(abs)
      if ('value' in o) expect(o.value).toBeTruthy()
      else expect(o.reason).toBeTruthy()
    }
  })

  it('only the two TOML 1.1 files fail, and nothing crashes', () => {
    const failed = [...outcomes].filter(([, o]) => o instanceof PacksError).map(([rel, o]) => [rel, (o as PacksError).code])
    expect(failed).toEqual([
      ['head-7fc324df3/marketplace/packages/rest-api-template/package.toml', 'E_PARSE'],
      ['hist-872cd004f/templates/cleanroom/gpack.toml', 'E_PARSE'],
    ])
  })

  it('classifies the files by kind', () => {
    const kinds: Record<string, number> = {}
    for (const o of outcomes.values()) if (!(o instanceof PacksError)) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1
    expect(kinds).toEqual({
      gpack: 89, // 79 marketplace package.toml + 3 branch014 manifests + 6 gpack.toml + 1 pack.toml
      'pack-bundle': 16, // 11 at HEAD + 5 at v3.4.1
      lockfile: 20, // packs.lock + 16 engine ggen.lock + v1 + JSON fixture + WIP gpack.lock
      registry: 13,
      receipt: 2,
      project: 1,
      ontology: 1,
      other: 3, // README.md, FORMATS.md, marketplace.toml
    })
  })
})

describe('damaged copies of every real file never crash the readers', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ggen-real-damaged-'))
  afterAll(() => rmSync(tmp, {recursive: true, force: true}))

  it('truncated at 1/3 and 2/3, and with a line dropped: a value or a PacksError naming the file', () => {
    let errors = 0
    for (const f of walk(REAL)) {
      const text = readFileSync(f, 'utf8')
      const lines = text.split('\n')
      const variants = [text.slice(0, Math.floor(text.length / 3)), text.slice(0, Math.floor((2 * text.length) / 3)), lines.filter((_, i) => i !== Math.floor(lines.length / 2)).join('\n')]
      variants.forEach((v, n) => {
        // same file name (readers sniff by name) in a scratch directory outside the project
        const dir = join(tmp, relative(REAL, f).replaceAll('/', '__'), String(n))
        mkdirSync(dir, {recursive: true})
        const copy = join(dir, basename(f))
        writeFileSync(copy, v)
        try {
          readAnyFile(copy)
        } catch (error) {
          if (!isPacksError(error)) throw new Error(`${relative(REAL, f)} variant ${n}: ${String(error)}`)
          errors++
          expect(error.file).toBe(copy)
          if (error.code === 'E_SCHEMA') expect(error.field).toBeTruthy()
        }
      })
    }
    expect(errors).toBeGreaterThan(100)
  })
})

describe('marketplace registry index at HEAD (77 packages)', () => {
  const warnings: string[] = []
  const idx = registry('head-7fc324df3/marketplace/registry/index.json', warnings)

  it('normalises to 77 packages, one version each, with sha256 SRI integrity', () => {
    const ids = Object.keys(idx.packages)
    expect(ids).toHaveLength(77)
    expect(ids[0]).toBe('academic-bibliography-manager')
    for (const p of Object.values(idx.packages)) {
      const versions = Object.values(p.versions)
      expect(versions).toHaveLength(1)
      expect(versions[0]!.integrity).toMatch(SRI_SHA256)
    }
    const abm = idx.packages['academic-bibliography-manager']!.versions['1.0.0']!
    // the expected value comes from the real file's hex `checksum`, read at run time
    const raw = JSON.parse(readFileSync(at('head-7fc324df3/marketplace/registry/index.json'), 'utf8')) as {packages: {name: string; checksum: string}[]}
    const hex = raw.packages.find((p) => p.name === 'academic-bibliography-manager')!.checksum
    expect(hex).toMatch(/^[0-9a-f]{64}$/)
    expect(abm.integrity).toBe(sriOf(hex))
    expect(Buffer.from(abm.integrity!.slice('sha256-'.length), 'base64').toString('hex')).toBe(hex)
    expect(abm.tarball).toBe('https://github.com/seanchatmangpt/ggen/archive/refs/heads/master.zip')
    expect(abm.license).toBe('MIT')
    expect(idx.updated_at).toBe('2026-06-18T06:37:36.215081Z')
  })

  it('keeps metadata, dependencies as ids and production_ready', () => {
    expect(idx.packages['agent-reasoning-mcp']!.versions['1.0.0']!.dependencies).toEqual({'agent-memory-forge': '*', 'agent-context-crafter': '*'})
    expect(idx.packages['clap-noun-verb']!.versions['5.3.2']).toBeDefined()
    const ready = Object.values(idx.packages).filter((p) => Object.values(p.versions).some((v) => v.production_ready)).map((p) => p.id)
    expect(ready.sort()).toEqual(['ai-code-generation', 'dlss-curriculum'])
    expect(idx.packages['academic-bibliography-manager']!.category).toBe('academic-tools')
    expect(idx.packages['io.ggen.nextjs.ontology-crud']).toBeDefined()
  })

  it('finds academic-paper-lifecycle as the one dangling dependency, and warns about it', () => {
    expect(findDanglingDependencies(idx)).toEqual([{id: 'academic-peer-review-workflow', version: '1.0.0', dependency: 'academic-paper-lifecycle', range: '*'}])
    // the same check spelled out: dependency ids that are not packages of the index
    const deps = new Set(Object.values(idx.packages).flatMap((p) => Object.values(p.versions).flatMap((v) => Object.keys(v.dependencies))))
    expect([...deps].filter((d) => !idx.packages[d])).toEqual(['academic-paper-lifecycle'])
    expect(warnings.some((w) => w.includes('academic-paper-lifecycle'))).toBe(true)
  })
})

describe('older marketplace index variants', () => {
  it('48 packages (hist-4b466f0cb, and the same file as published on gh-pages): no checksum, no download_url', () => {
    for (const rel of ['hist-4b466f0cb/marketplace/registry/index.json', 'ghpages-3fc5f5608/registry/index.json']) {
      const idx = registry(rel)
      expect(Object.keys(idx.packages)).toHaveLength(48)
      const p = idx.packages['advanced-rust-project']!
      expect(p.category).toBe('showcase')
      expect(p.versions['1.0.0']!.integrity).toBeUndefined()
      expect(p.versions['1.0.0']!.tarball).toBeUndefined()
    }
  })

  it('55 packages (hist-d8c92fd03): first with checksum; the dangling dependency is already there', () => {
    const idx = registry('hist-d8c92fd03/marketplace/registry/index.json')
    expect(Object.keys(idx.packages)).toHaveLength(55)
    expect(idx.packages['hello-world']!.versions['1.0.0']!.integrity).toBe(sriOf('6068cc14c09af5e0503395ba081989d0ffb4567db60e404a482671275abfd71c'))
    expect(findDanglingDependencies(idx).map((d) => d.dependency)).toEqual(['academic-paper-lifecycle'])
  })

  it('60 packages (hist-6808d50c6): versions[] strings, 58 of them empty; the title-named entry gets its id from path', () => {
    const warnings: string[] = []
    const idx = registry('hist-6808d50c6/marketplace/registry/index.json', warnings)
    expect(Object.keys(idx.packages)).toHaveLength(60)
    const withVersions = Object.values(idx.packages).filter((p) => Object.keys(p.versions).length > 0)
    expect(withVersions.map((p) => p.id)).toEqual(['academic-bibliography-manager', 'academic-peer-review-workflow'])
    expect(Object.keys(idx.packages['academic-bibliography-manager']!.versions)).toEqual(['1.0.0'])
    const next = idx.packages['io.ggen.nextjs.ontology-crud']!
    expect(next.name).toBe('Next.js Ontology-Driven CRUD')
    expect(next.versions).toEqual({})
    expect(warnings.some((w) => w.includes('58 packages list no version'))).toBe(true)
    expect(warnings.some((w) => w.includes('"Next.js Ontology-Driven CRUD" is not a package id'))).toBe(true)
  })

  it('66 packages (hist-ec2b9736e): validation_score as a string becomes the quality score', () => {
    const idx = registry('hist-ec2b9736e/marketplace/registry/index.json')
    expect(Object.keys(idx.packages)).toHaveLength(66)
    expect(idx.packages['academic-bibliography-manager']!.versions['1.0.0']!.quality_score).toBe(46) // "45.8"
    expect(Object.values(idx.packages['clap-noun-verb']!.versions)[0]!.quality_score).toBe(67) // "66.7"
    expect(Object.values(idx.packages['hello-world']!.versions)[0]!.quality_score).toBe(0) // "0.0"
    expect(Object.values(idx.packages['data-pipeline-cli']!.versions)[0]!.production_ready).toBe(true)
    expect(idx.packages['academic-bibliography-manager']!.versions['1.0.0']!.published_at).toBe('2026-03-24T06:27:54.055850+00:00')
    expect(idx.packages['academic-bibliography-manager']!.versions['1.0.0']!.integrity).toBe(sriOf('a0cad51aa6e421d04f3f02d1692b6cab4de87763ca55b736b71f29f16ccede06'))
  })

  it('flat marketplace/index.json (76 entries, id = title for one): id from path', () => {
    const idx = registry('head-7fc324df3/marketplace/index.json')
    expect(Object.keys(idx.packages)).toHaveLength(76)
    expect(idx.packages['io.ggen.nextjs.ontology-crud']!.name).toBe('Next.js Ontology-Driven CRUD')
    expect(Object.keys(idx.packages['clap-noun-verb']!.versions)).toEqual(['5.3.2'])
  })

  it('TOML packages.toml (21 [[package]], HEAD and hist-d8c92fd03)', () => {
    for (const rel of ['head-7fc324df3/marketplace/registry/packages.toml', 'hist-d8c92fd03/marketplace/registry/packages.toml']) {
      const r = read(rel, 'registry')
      expect(r.format).toBe('toml')
      const idx = r.value
      expect(Object.keys(idx.packages)).toHaveLength(21)
      expect(Object.keys(idx.packages)[0]).toBe('advanced-rust-api-8020')
      expect(idx.packages['advanced-rust-api-8020']!.versions['0.1.0']!.tarball).toBe('https://github.com/seanchatmangpt/ggen/archive/refs/heads/master.zip')
      expect(idx.packages['agent-reasoning-mcp']!.versions['1.0.0']!.dependencies).toEqual({'agent-memory-forge': '*', 'agent-context-crafter': '*'})
      expect(idx.packages['hello-world']!.versions['0.1.0']).toBeDefined()
      expect(findDanglingDependencies(idx)).toEqual([])
    }
  })
})

describe('v0 map registry index (multi-version, entries without `version`)', () => {
  it('HEAD registry/index.json: 2 packs, version taken from the key', () => {
    for (const rel of ['head-7fc324df3/registry/index.json', 'head-7fc324df3/docs/registry/index.json']) {
      const idx = registry(rel)
      expect(Object.keys(idx.packages)).toEqual(['io.ggen.rust.cli-subcommand', 'io.ggen.python.web-api'])
      const v = idx.packages['io.ggen.rust.cli-subcommand']!.versions['0.1.0']!
      expect(v.version).toBe('0.1.0')
      expect(v.integrity).toBe(sriOf('58db67ac8440401e6a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f'))
      expect(idx.packages['io.ggen.python.web-api']!.versions['0.1.0']!.integrity).toMatch(SRI_SHA256)
      expect(idx.packages['io.ggen.rust.cli-subcommand']!.repository).toBe('https://github.com/seanchatmangpt/ggen.git')
      expect(idx.updated_at).toBe('2026-04-02T00:00:00Z')
    }
  })

  it('original hist-a9a258d62 index: 1 pack with license, homepage and repository kept', () => {
    const p = registry('hist-a9a258d62/registry/index.json').packages['io.ggen.rust.cli-subcommand']!
    expect(p.name).toBe('Rust CLI Subcommand')
    expect(p.license).toBe('MIT')
    expect(p.homepage).toBe('https://github.com/seanchatmangpt/ggen')
    expect(p.repository).toBe('https://github.com/seanchatmangpt/ggen')
    expect(p.versions['0.1.0']!.integrity).toBe('sha256-AAAAAAAAWNsAAAAAAABnrAAAAAAAAIRAAAAAAAAAQB4=')
  })
})

describe('manifests', () => {
  it('rest-api-template/package.toml is E_PARSE naming the file and line 35 (multi-line inline table)', () => {
    const file = at('head-7fc324df3/marketplace/packages/rest-api-template/package.toml')
    const e = thrown(() => readAnyFile(file))
    expect(e.code).toBe('E_PARSE')
    expect(e.file).toBe(file)
    expect(e.message).toContain(file)
    expect(e.message).toContain('line 35')
    expect(e.hint).toMatch(/one line/)
  })

  it('cleanroom gpack.toml ([package] form) is E_PARSE at line 50 for the same reason', () => {
    const e = thrown(() => readAnyFile(at('hist-872cd004f/templates/cleanroom/gpack.toml')))
    expect(e.code).toBe('E_PARSE')
    expect(e.message).toContain('line 50')
  })

  it('[package] gpack.toml with [tags] production-ready (hist-55de0c1e1)', () => {
    const r = read('hist-55de0c1e1/templates/cli/noun-verb-cli/gpack.toml', 'gpack')
    expect(r.table).toBe('package')
    expect(r.value).toMatchObject({
      id: 'noun-verb-cli-generator',
      name: 'noun-verb-cli-generator',
      version: '1.0.0',
      license: 'MIT OR Apache-2.0',
      authors: ['ggen-ai <noreply@ggen.io>'],
      production_ready: true,
      category: 'development-tools',
      homepage: 'https://github.com/seanchatmangpt/ggen/tree/master/templates/cli',
      dependencies: {},
    })
    expect(r.value.keywords).toEqual(['cli', 'generator', 'noun-verb', 'clap', 'production'])
  })

  it('[gpack] gpack.toml: reverse-DNS ids, ranges and SPDX expressions', () => {
    expect(gpack('hist-ba79e95ba/tests/fixtures/packs/cli-tool-pack/gpack.toml')).toMatchObject({
      id: 'test.cli-tool',
      version: '2.0.0',
      license: 'MIT OR Apache-2.0',
      ggen_compat: '>=3.0.0',
      dependencies: {'test.web-api': '^1.0'},
    })
    expect(gpack('hist-ba79e95ba/tests/fixtures/packs/web-api-pack/gpack.toml').dependencies).toEqual({})
    expect(gpack('hist-bd6600348/templates/cli/subcommand/gpack.toml').id).toBe('io.ggen.rust.cli-subcommand')
    expect(gpack('head-7fc324df3/packs/mfw-pcp-level5-pack/gpack.toml')).toMatchObject({
      id: 'mfw.pcp.level5',
      version: '26.7.21',
      license: 'AGPL-3.0-or-later',
      ggen_compat: '>=26.7.3 <27.0.0',
    })
  })

  it('engine pack.toml ([pack] name/version/description)', () => {
    const r = read('head-7fc324df3/packs/lsp-max-pack/pack.toml', 'gpack')
    expect(r.table).toBe('pack')
    expect(r.value).toMatchObject({id: 'lsp-max-pack', name: 'lsp-max-pack', version: '0.1.0'})
    expect(r.value.description).toMatch(/^Generates lsp-max RulePackServer/)
  })

  it('marketplace package.toml: [marketplace] production_ready, maturity, [package.tags] sub-tables, dependency forms', () => {
    expect(gpack('head-7fc324df3/marketplace/packages/ai-code-generation/package.toml').production_ready).toBe(true)
    // [package.metadata] says true, [marketplace] says false: [marketplace] wins, as in ggen's index
    expect(gpack('head-7fc324df3/marketplace/packages/agent-cli-copilot/package.toml').production_ready).toBe(false)
    expect(gpack('head-7fc324df3/marketplace/packages/academic-bibliography-manager/package.toml').quality_score).toBe(92)
    expect(gpack('head-7fc324df3/marketplace/packages/agent-cli-copilot/package.toml').tags).toContain('copilot')
    expect(gpack('head-7fc324df3/marketplace/packages/academic-peer-review-workflow/package.toml').dependencies).toEqual({'academic-paper-lifecycle': '*'})
    expect(gpack('head-7fc324df3/marketplace/packages/java26-record-value-object/package.toml').dependencies).toEqual({'java26-core': '*'})
    const w: string[] = []
    expect(gpack('head-7fc324df3/marketplace/packages/banking-core/package.toml', w).dependencies).toEqual({})
    expect(w.join('\n')).toContain('rdf_ontology')
    const n = gpack('head-7fc324df3/marketplace/packages/io.ggen.nextjs.ontology-crud/package.toml')
    expect(n).toMatchObject({id: 'io.ggen.nextjs.ontology-crud', name: 'Next.js Ontology-Driven CRUD'})
    expect(gpack('head-7fc324df3/marketplace/packages/healthcare/fhir-patient-management/package.toml').authors).toEqual(['Healthcare Interoperability Team'])
  })

  it('the 79 readable marketplace package.toml files agree with the 77-package index on ids and versions', () => {
    const idx = registry('head-7fc324df3/marketplace/registry/index.json')
    const pkgDir = at('head-7fc324df3/marketplace/packages')
    const manifests = walk(pkgDir)
      .filter((f) => f.endsWith('package.toml') && !f.includes('rest-api-template'))
      .map((f) => readAnyFile(f))
      .filter((r): r is Extract<AnyRead, {kind: 'gpack'}> => r.kind === 'gpack')
    expect(manifests).toHaveLength(79)
    const inIndex = manifests.filter((m) => idx.packages[m.value.id])
    expect(inIndex).toHaveLength(76) // + rest-api-template = 77; the 3 healthcare/* ones are not indexed
    for (const m of inIndex) expect(Object.keys(idx.packages[m.value.id]!.versions)).toContain(m.value.version)
  })

  it('branch014 WIP manifests read as the [package] form', () => {
    expect(gpack('branch014-eb85cf3b0/crates/ggen-marketplace/tests/gpack/fixtures/manifests/valid_complex.toml')).toMatchObject({
      id: 'advanced-codegen-gpack',
      version: '2.3.1',
      homepage: 'https://example.com/advanced-codegen',
      dependencies: {serde: '1.0', tokio: '1.0', oxigraph: '0.5', tera: '1.20', 'my-custom-lib': '*', 'local-utils': '1.0', 'fancy-logging': '0.5'},
    })
    expect(gpack('branch014-eb85cf3b0/crates/ggen-marketplace/tests/gpack/fixtures/manifests/invalid_no_gpack_suffix.toml').id).toBe('my-package')
  })
})

describe('pack bundles (marketplace/packs/*.toml)', () => {
  it('HEAD: 11 bundles', () => {
    const dir = at('head-7fc324df3/marketplace/packs')
    const all = walk(dir).map((f) => read(relative(REAL, f), 'pack-bundle').value)
    expect(all.map((b) => b.id)).toEqual([
      'data-science-toolkit',
      'devops-automation',
      'enterprise-backend',
      'ggen-pack-contrib',
      'lsp-max-client',
      'lsp-max',
      'mcp-rust',
      'payment-admission-discipline', // file payment-admission.toml
      'startup-essentials',
      'togaf-archimate-vocab',
      'web-fullstack',
    ])
    expect(all.every((b) => b.production_ready === true)).toBe(true)
  })

  it('fields, templates and metadata tags', () => {
    expect(bundle('head-7fc324df3/marketplace/packs/enterprise-backend.toml')).toMatchObject({
      name: 'Enterprise Backend Stack',
      version: '1.0.0',
      category: 'enterprise',
      author: 'ggen-team',
      license: 'MIT',
      packages: ['microservices-architecture-template', 'rest-api-template', 'graphql-api-template', 'api-gateway-service-mesh'],
      dependencies: [],
    })
    const contrib = bundle('head-7fc324df3/marketplace/packs/ggen-pack-contrib.toml')
    expect(contrib).toMatchObject({version: '26.6.9', license: 'MIT OR Apache-2.0', packages: ['tera', 'toml', 'serde_json']})
    expect(contrib.templates).toEqual(['pack-manifest', 'pack-template-stub', 'pack-test'])
    expect(contrib.tags).toEqual(['ggen', 'meta-pack', 'scaffold', 'contributor', 'marketplace'])
    expect(bundle('head-7fc324df3/marketplace/packs/togaf-archimate-vocab.toml').packages).toEqual([])
  })

  it('v3.4.1: 5 bundles with [pack.metadata] tags/keywords', () => {
    const ds = bundle('tag-v3.4.1/marketplace/packs/data-science-toolkit.toml')
    expect(ds.packages).toEqual(['data-pipeline-cli', 'ai-microservice'])
    expect(ds.templates).toEqual(['ml-pipeline', 'jupyter-notebook'])
    expect(ds.tags).toEqual(['ml', 'ai', 'data-science', 'machine-learning', 'data-pipeline'])
    expect(bundle('tag-v3.4.1/marketplace/packs/startup-essentials.toml').keywords).toEqual(['startup', 'mvp', 'templates', 'cli', 'rest-api'])
  })

  it('some bundle packages are not in the registry', () => {
    const idx = registry('head-7fc324df3/marketplace/registry/index.json')
    expect(bundlePackagesMissingFrom(bundle('head-7fc324df3/marketplace/packs/enterprise-backend.toml'), idx)).toEqual(['api-gateway-service-mesh'])
    expect(bundlePackagesMissingFrom(bundle('head-7fc324df3/marketplace/packs/devops-automation.toml'), idx)).toEqual(['cicd-pipeline-generator', 'docker-compose-template'])
    expect(bundlePackagesMissingFrom(bundle('head-7fc324df3/marketplace/packs/startup-essentials.toml'), idx)).toEqual([])
  })
})

describe('lockfiles', () => {
  it('.ggen/packs.lock: 14 entries, ids with dots kept, junk integrity kept verbatim', () => {
    const r = read('head-7fc324df3/.ggen/packs.lock', 'lockfile')
    expect(r.legacy).toBe(false)
    const lock = r.value
    const ids = Object.keys(lock.packs)
    expect(ids).toHaveLength(14)
    expect(ids).toContain('surface-compliance.soc2')
    expect(lock.packs['surface-compliance.soc2']).toMatchObject({version: '1.0.0', source: {type: 'Registry', url: 'https://registry.ggen.io'}})
    const unknown = ids.filter((id) => lock.packs[id]!.integrity === 'sha256-UNKNOWN-pack-not-found-locally')
    expect(unknown).toEqual([
      'core-ontology',
      'projection-rust',
      'surface-compliance.soc2',
      'surface-mcp',
      'surface-nonexistent-surface',
      'surface-nonexistent-surface-xyz',
      'test-pack',
      'test-pack-integration',
    ])
    for (const id of unknown) expect(describeIntegrity(lock.packs[id]!.integrity).kind).toBe('invalid')
    // the other six hold hex behind an SRI prefix, as current ggen writes them
    const dev = lock.packs['devops-automation']!
    expect(dev.integrity).toBe('sha256-e67e90b85a479757123b4a9d62604f27cc7b3daac10e957819740ecfd6bf981b')
    expect(describeIntegrity(dev.integrity)).toEqual({kind: 'hex', algorithm: 'sha256', sri: sriOf('e67e90b85a479757123b4a9d62604f27cc7b3daac10e957819740ecfd6bf981b')})
    expect(dev.source).toEqual({type: 'Local', path: '/Users/sac/.cache/tmp/.tmpKZplLu/.ggen-cache'})
    expect(lock.packs['togaf-archimate-vocab']!.version).toBe('26.6.11')
    expect(lock.ggen_version).toBe('0.2.0')
    expect(lock.updated_at).toBe('2026-06-12T19:30:51.215147Z')
  })

  it('v1 TOML ggen.lock: [[packs]] with hex sha256 -> SRI, git source, generated -> installed_at', () => {
    const r = read('tag-v1.2.0/extracted/ggen.lock', 'lockfile')
    expect(r.format).toBe('ggen.lock/v1')
    expect(r.legacy).toBe(true)
    expect(r.value.packs).toEqual({
      'io.ggen.rust.cli-subcommand': {
        version: '0.1.0',
        source: {type: 'Git', url: 'https://github.com/seanchatmangpt/ggen.git'},
        integrity: 'sha256-AAAAAAAAWNsAAAAAAABnrAAAAAAAAIRAAAAAAAAAQB4=',
        installed_at: '2025-10-09T21:18:02.525679Z',
        dependencies: [],
      },
    })
    expect(r.value.updated_at).toBe('2025-10-09T21:18:02.525679Z')
  })

  it('engine ggen.lock: path sources, blake3 content hashes kept verbatim, no versions', () => {
    const w: string[] = []
    const r = read('head-7fc324df3/examples/tcps-generated/ggen.lock', 'lockfile', w)
    expect(r.format).toBe('ggen.lock/engine')
    const packs = r.value.packs
    expect(Object.keys(packs)).toHaveLength(8)
    expect(packs['tcps-evidence']).toEqual({
      version: UNKNOWN_VERSION,
      source: {type: 'Local', path: 'evidence'},
      integrity: 'blake3:ae83fbb0017b7a34a3befd7342439ba28d2b86d55b1302c87b8075b24096ebbf',
      installed_at: '',
      dependencies: [],
    })
    expect(describeIntegrity(packs['tcps-evidence']!.integrity)).toEqual({kind: 'unsupported', algorithm: 'blake3'})
    expect(w.some((m) => m.includes('blake3 digest has no SRI form'))).toBe(true)
    expect(Object.keys(lockfile('head-7fc324df3/examples/receiptctl/ggen.lock').packs)).toEqual([
      'chicago-tdd-tools-pack',
      'clap-noun-verb-pack',
      'wasm4pm-algorithms-pack',
      'wasm4pm-cognition-pack',
      'wasm4pm-compat-pack',
      'wasm4pm-facts-pack',
    ])
    expect(lockfile('head-7fc324df3/examples/interview-assist/ggen.lock').packs['wasm4pm-interview-assist-pack']!.source).toEqual({
      type: 'Local',
      path: '/Users/sac/ggen/packs/wasm4pm-interview-assist-pack',
    })
    expect(lockfile('head-7fc324df3/book/code/examples/canonical-level-five-consumer/ggen.lock').packs.canonical!.source).toEqual({
      type: 'Local',
      path: '../../packs/canonical-level-five-pack',
    })
  })

  it('JSON test fixture ggen.lock (hist-26de3058b): `abc123` kept verbatim', () => {
    const w: string[] = []
    const r = read('hist-26de3058b/ggen.lock', 'lockfile', w)
    expect(r.format).toBe('ggen.lock/json-fixture')
    expect(r.value.packs['io.ggen.rust.cli-subcommand']).toMatchObject({version: '0.2.0', integrity: 'abc123', source: {type: 'Unknown'}})
    expect(w.join('\n')).toContain('packages.io.ggen.rust.cli-subcommand.sha256')
  })

  it('WIP gpack.lock (branch014): packages with checksums and dependency ranges', () => {
    const r = read('branch014-eb85cf3b0/crates/ggen-marketplace/tests/gpack/fixtures/lockfiles/valid_simple.lock', 'lockfile')
    expect(r.format).toBe('gpack.lock/wip')
    const {packs} = r.value
    expect(Object.keys(packs)).toEqual(['serde', 'serde_derive', 'tokio'])
    expect(packs.serde).toMatchObject({
      version: '1.0.193',
      source: {type: 'Registry', url: 'https://crates.io/api/v1/crates/serde/1.0.193/download'},
      integrity: 'sha256-EjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJCrze8=',
      dependencies: ['serde_derive'],
      requires: {serde_derive: '1.0.193'},
      installed_at: '2024-12-20T10:00:00Z',
    })
    expect(packs.tokio!.dependencies).toEqual([])
    expect(r.value.ggen_version).toBe('5.0.2')
  })

  it('readLockfileAny prefers .ggen/packs.lock', () => {
    const r = readLockfileAny(at('head-7fc324df3'))!
    expect(r.legacy).toBe(false)
    expect(r.file).toBe(at('head-7fc324df3/.ggen/packs.lock'))
    expect(Object.keys(r.lock.packs)).toHaveLength(14)
  })

  it('readLockfileAny falls back to ggen.lock and reads path packs versions from their manifest', () => {
    const r = readLockfileAny(at('head-7fc324df3/examples/lsp-max-verify'))!
    expect(r).toMatchObject({legacy: true, format: 'ggen.lock/engine', file: at('head-7fc324df3/examples/lsp-max-verify/ggen.lock')})
    // ../../packs/lsp-max-pack/pack.toml is in the copy: version 0.1.0
    expect(r.lock.packs['lsp-max-pack']!.version).toBe('0.1.0')
    // packs not present on disk keep the placeholder
    expect(readLockfileAny(at('head-7fc324df3/examples/receiptctl'))!.lock.packs['clap-noun-verb-pack']!.version).toBe(UNKNOWN_VERSION)
    expect(readLockfileAny(at('head-7fc324df3/marketplace'))).toBeNull()
  })
})

describe('project, receipts, other files', () => {
  it('examples/lsp-max-verify/ggen.toml: [packs] x = { path = ... } and other tables', () => {
    const file = at('head-7fc324df3/examples/lsp-max-verify/ggen.toml')
    const cfg: ProjectConfig = read('head-7fc324df3/examples/lsp-max-verify/ggen.toml', 'project').value
    expect(cfg.project.name).toBe('lsp-max-verify')
    expect(cfg.packs).toEqual({'lsp-max-pack': {version: '*', optional: false, tier: 'required'}})
    expect(cfg.extra.templates).toEqual({dir: 'templates'})
    expect((cfg.extra.ontology as {source: string}).source).toBe('schema/domain.ttl')
    // rewriting keeps the path spec and the other tables
    const again = parseProjectToml(serializeProjectToml(cfg), file)
    expect(again).toEqual(cfg)
    const rewritten = parseToml(serializeProjectToml(cfg))
    expect(rewritten.packs).toEqual({'lsp-max-pack': {path: '../../packs/lsp-max-pack'}})
    expect(rewritten.ontology).toEqual({
      source: 'schema/domain.ttl',
      prefixes: {lm: 'http://seanchatmangpt.github.io/packs/lsp-max#', rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#', rdfs: 'http://www.w3.org/2000/01/rdf-schema#'},
    })
  })

  it('validation receipts', () => {
    const rec: ValidationReceipt = read('head-7fc324df3/marketplace/receipts/clap-noun-verb/5.3.2.json', 'receipt').value
    expect(rec).toMatchObject({package_id: 'clap-noun-verb', version: '5.3.2', production_ready: false})
    expect(rec.overall_score).toBeCloseTo(66.67, 1)
    expect(rec.guard_results).toHaveLength(5)
    expect(rec.guard_results.filter((g) => g.passed).map((g) => g.guard_type)).toEqual(['metadata', 'readme', 'chicago_compliance'])
    expect(read('head-7fc324df3/marketplace/receipts/hello-world/1.0.0.json', 'receipt').value.overall_score).toBe(0)
  })

  it('ontology, docs and marketplace.toml are not package metadata', () => {
    expect(readAnyFile(at('head-7fc324df3/marketplace/ontology.ttl')).kind).toBe('ontology')
    expect(readAnyFile(at('FORMATS.md'))).toMatchObject({kind: 'other', reason: 'documentation'})
    expect(readAnyFile(at('head-7fc324df3/marketplace/packages/dlss-curriculum/marketplace.toml')).kind).toBe('other')
  })
})
