/**
 * `packs import` through the real binary (bin/run.js; `npm run build` first), each case in its own
 * temporary GGEN_HOME. The legacy files are the REAL ones in ../shared/ggen-real, read where they
 * are at run time (never copied into the repository). Registries the lockfiles resolve against are
 * built at test time: one with `packs registry build`, one written in the legacy marketplace format
 * and imported with `packs import` itself.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, ggenRealDir, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {copyExample, buildExample, exampleWorkspace} from '../support/example.js'

const real = (p: string) => join(ggenRealDir, p)
const CLI_SUB = 'io.ggen.rust.cli-subcommand'
/** every case runs the binary several times, on 2 shared cores */
const SLOW = 300_000

interface Problem {
  id: string
  version?: string
  reason: string
  message: string
  file: string
  field?: string
}
interface ImportJson {
  kind: string
  format: string
  target: string
  written: boolean
  replaced: boolean
  generation: number | null
  dryRun: boolean
  mapped: {id: string; version?: string}[]
  notMapped: Problem[]
  notes: Problem[]
  requirements: Record<string, string>
}

let registry = ''
beforeAll(() => {
  if (!existsSync(join(binPath, '..', '..', 'dist', 'commands', 'packs', 'import.js'))) throw new Error('build first: npm run build')
  if (!existsSync(ggenRealDir)) throw new Error(`the real ggen files are missing: ${ggenRealDir}`)
  registry = buildRegistry(tempDir('ggen-import-reg-'), [
    {id: CLI_SUB, version: '0.1.0'},
    {id: CLI_SUB, version: '0.2.0'},
    {id: 'lsp-max-pack', version: '0.1.0'},
    {id: 'io.imp.other', version: '1.0.0'},
  ])
})

interface World {
  root: string
  home: string
  cli: (args: string[], env?: Record<string, string>) => CliResult
  ok: (args: string[], env?: Record<string, string>) => CliResult
  imp: (args: string[], env?: Record<string, string>) => ImportJson
}

function world(registries = [registry]): World {
  const root = tempDir('ggen-import-')
  const home = join(root, 'home')
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(['packs', ...args], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registries.join(','), ...env}, cwd: root})
  const ok = (args: string[], env: Record<string, string> = {}) => {
    const r = cli(args, env)
    if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}\n${r.stderr}\n${r.stdout}`)
    return r
  }
  const imp = (args: string[], env: Record<string, string> = {}) => ok(['import', ...args, '--json'], env).json as ImportJson
  return {root, home, cli, ok, imp}
}

const project = (w: World, name: string, extra = '') => writeProject(join(w.root, name), name, {}, extra)
const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8')) as {packs: Record<string, {version: string; integrity: string; source: {type: string; url?: string}}>}
const bytes = (...files: string[]) => files.map((f) => (existsSync(f) ? readFileSync(f) : null))
const reasons = (list: Problem[]) => list.map((p) => `${p.id}:${p.reason}`).sort()
const importEntries = (w: World) => (w.ok(['audit', '--action', 'import', '--json']).json as {entries: {result: string; details: string; affected_packages: string[]}[]}).entries

describe('legacy lockfiles -> the canonical lockfile', {timeout: SLOW}, () => {
  it('v1 TOML ggen.lock (tag-v1.2.0): resolved against the registry, its integrity recorded, the root made a requirement; audited', () => {
    const w = world()
    const dir = project(w, 'v1')
    const r = w.imp([real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir])
    expect(r).toMatchObject({kind: 'lockfile', format: 'ggen.lock/v1', written: true, replaced: false, requirements: {[CLI_SUB]: '^0.1.0'}})
    expect(r.mapped).toEqual([{id: CLI_SUB, version: '0.1.0'}])
    expect(r.notMapped).toEqual([])
    // its sha256 cannot be compared with the registry's sha512: said, not hidden
    expect(reasons(r.notes)).toEqual([`${CLI_SUB}:unchecked-integrity`])
    const lock = lockOf(dir)
    expect(Object.keys(lock.packs)).toEqual([CLI_SUB])
    expect(lock.packs[CLI_SUB]!.integrity).toMatch(/^sha512-/)
    expect(lock.packs[CLI_SUB]!.source).toEqual({type: 'Registry', url: registry})
    expect(readFileSync(join(dir, 'ggen.toml'), 'utf8')).toContain(`"${CLI_SUB}" = "^0.1.0"`)
    // the result reads back
    expect(w.ok(['tree', '--project', dir]).stdout).toContain(`${CLI_SUB} 0.1.0`)
    expect(importEntries(w).at(-1)).toMatchObject({result: 'success', affected_packages: [CLI_SUB], details: expect.stringContaining('1 entry mapped, 0 not mapped')})
  })

  it('the JSON fixture ggen.lock (hist-26de3058b): mapped at 0.2.0, its junk digest reported as bad integrity', () => {
    const w = world()
    const r = w.imp([real('hist-26de3058b/ggen.lock'), '--project', project(w, 'fixture')])
    expect(r.format).toBe('ggen.lock/json-fixture')
    expect(r.mapped).toEqual([{id: CLI_SUB, version: '0.2.0'}])
    expect(r.notes).toEqual([expect.objectContaining({id: CLI_SUB, reason: 'bad-integrity', field: `packs.${CLI_SUB}.integrity`, message: expect.stringContaining('"abc123" is not a digest')})])
  })

  it('every engine ggen.lock of HEAD (examples/*/ggen.lock): each entry mapped or reported; a path pack with its manifest on disk gets its version', () => {
    const w = world()
    const dir = real('head-7fc324df3/examples')
    const files = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'ggen.lock'))).sort()
    expect(files.length).toBeGreaterThanOrEqual(10)
    for (const name of files) {
      const file = join(dir, name, 'ggen.lock')
      const entries = (readFileSync(file, 'utf8').match(/^\[packs\./gm) ?? []).length
      const r = w.imp([file, '--project', project(w, `engine-${name}`), '--dry-run'])
      expect(r.format, file).toBe('ggen.lock/engine')
      expect(r.mapped.length + r.notMapped.length, file).toBe(entries)
      expect(r.written).toBe(false)
    }
    // lsp-max-verify: path:../../packs/lsp-max-pack has a pack.toml (version 0.1.0) and the registry holds it
    const lsp = w.imp([join(dir, 'lsp-max-verify', 'ggen.lock'), '--project', project(w, 'lsp')])
    expect(lsp.mapped).toEqual([{id: 'lsp-max-pack', version: '0.1.0'}])
    expect(reasons(lsp.notes)).toEqual(['lsp-max-pack:unchecked-integrity'])
    // receiptctl: six path packs whose folders are not there: no version to lock
    const rc = w.imp([join(dir, 'receiptctl', 'ggen.lock'), '--project', project(w, 'receiptctl'), '--dry-run'])
    expect(rc.mapped).toEqual([])
    expect(rc.notMapped).toHaveLength(6)
    expect(new Set(rc.notMapped.map((p) => p.reason))).toEqual(new Set(['missing-version']))
  })

  it('HEAD .ggen/packs.lock (14 entries) against a legacy marketplace registry: match mapped, mismatch = bad integrity, metadata-only = bad integrity, the rest unknown source', () => {
    const w0 = world()
    // a registry in the marketplace array format real ggen published, imported with `packs import`
    const legacyIndex = join(w0.root, 'legacy-index.json')
    const packsLock = JSON.parse(readFileSync(real('head-7fc324df3/.ggen/packs.lock'), 'utf8')) as {packs: Record<string, {integrity: string}>}
    const hex = (id: string) => packsLock.packs[id]!.integrity.replace(/^sha256-/, '')
    writeFileSync(legacyIndex, JSON.stringify({version: '1.0.0', package_count: 3, packages: [
      {name: 'devops-automation', version: '1.0.0', description: 'devops', download_url: 'https://example.org/devops-automation-1.0.0.tgz', checksum: hex('devops-automation'), dependencies: []},
      {name: 'enterprise-backend', version: '1.0.0', description: 'backend', download_url: 'https://example.org/enterprise-backend-1.0.0.tgz', checksum: 'f'.repeat(64), dependencies: []},
      {name: 'core-ontology', version: '1.0.0', description: 'metadata only', dependencies: []},
    ]}))
    const out = join(w0.root, 'legacy-registry')
    const reg = w0.imp([legacyIndex, '--output-dir', out])
    expect(reg.mapped).toHaveLength(3)
    expect(reasons(reg.notes).filter((n) => n.endsWith('metadata-only'))).toEqual(['core-ontology:metadata-only'])
    const w = world([out, registry])
    const dir = project(w, 'head-packs')
    const r = w.imp([real('head-7fc324df3/.ggen/packs.lock'), '--project', dir])
    expect(r.format).toBe('packs.lock')
    expect(r.mapped).toEqual([{id: 'devops-automation', version: '1.0.0'}])
    expect(r.notMapped).toHaveLength(13)
    expect(r.notMapped.find((p) => p.id === 'enterprise-backend')).toMatchObject({reason: 'bad-integrity', field: 'packs.enterprise-backend.integrity', message: expect.stringContaining('differs from the registry')})
    expect(r.notMapped.find((p) => p.id === 'core-ontology')).toMatchObject({reason: 'bad-integrity', message: expect.stringContaining('no integrity')})
    expect(r.notMapped.filter((p) => p.reason === 'unknown-source')).toHaveLength(11)
    expect(r.notes).toEqual([]) // the sha256 matched the registry's: checked
    expect(Object.keys(lockOf(dir).packs)).toEqual(['devops-automation'])
  })

  it('a dependency on nothing is dangling; its dependents follow it out', () => {
    const w = world()
    const file = join(w.root, 'ggen.lock')
    writeFileSync(file, `version = "1.0"\n\n[[packs]]\nid = "${CLI_SUB}"\nversion = "0.2.0"\ndependencies = ["io.imp.other@^1.0.0"]\n\n[[packs]]\nid = "io.imp.other"\nversion = "1.0.0"\ndependencies = ["io.imp.gone@^1"]\n`)
    const r = w.imp([file, '--project', project(w, 'dangling'), '--dry-run'])
    expect(r.mapped).toEqual([])
    expect(reasons(r.notMapped)).toEqual([`${CLI_SUB}:dangling-dependency`, 'io.imp.other:dangling-dependency'])
    expect(r.notMapped.find((p) => p.id === 'io.imp.other')!.message).toContain('io.imp.gone is not in the lockfile')
    expect(r.notMapped.find((p) => p.id === CLI_SUB)!.message).toContain('io.imp.other was not mapped')
  })
})

describe('the transaction: history, undo, dry run, policy', {timeout: SLOW}, () => {
  it('an existing lockfile is replaced through the transaction: a history generation, and `packs undo` restores the old bytes', () => {
    const w = world()
    const dir = project(w, 'app')
    w.ok(['install', 'io.imp.other', '--project', dir])
    const old = bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))
    const r = w.imp([real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir])
    expect(r).toMatchObject({written: true, replaced: true})
    expect(r.generation).toBeGreaterThan(0)
    const hist = w.ok(['rollback', '--list', '--project', dir, '--json']).json as {generations: {gen: number; action: string}[]}
    expect(hist.generations.find((g) => g.gen === r.generation)).toMatchObject({action: 'import'})
    expect(Object.keys(lockOf(dir).packs)).toEqual([CLI_SUB])
    w.ok(['undo', '--project', dir])
    expect(bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))).toEqual(old)
  })

  it('an injected failure or a SIGKILL at every write step of a lockfile import leaves the project wholly old (or wholly new)', () => {
    const w = world()
    const dir = project(w, 'crash')
    w.ok(['install', 'io.imp.other', '--project', dir])
    const files = [join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock')]
    const old = bytes(...files)
    const args = ['import', real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir]
    const steps = w.ok(args, {GGEN_PACKS_FAULT: 'trace'})
    const n = (steps.stderr.match(/\[fault-step \d+\]/g) ?? []).length
    expect(n, steps.stderr).toBeGreaterThanOrEqual(3)
    w.ok(['undo', '--project', dir])
    expect(bytes(...files)).toEqual(old)
    for (let i = 1; i <= n; i++) {
      const failed = w.cli(args, {GGEN_PACKS_FAULT: `fail:${i}`})
      const state = bytes(...files)
      if (failed.code === 0) {
        // the step after the commit (the audit log, the journal's removal): the import stands; undo it
        w.ok(['undo', '--project', dir])
      } else expect(state, `fail:${i}\n${failed.stderr}`).toEqual(old)
      const killed = w.cli(args, {GGEN_PACKS_FAULT: `kill:${i}`})
      // (the step count varies by one: the registry's version states are written only when they change)
      if (killed.signal !== 'SIGKILL') expect(killed.code, `kill:${i}: ${killed.stderr}`).toBe(0)
      // an interrupted transaction left its journal: the next command on the project restores the old
      // files (install, then a no-op); without one the import committed whole: undo it
      if (existsSync(join(dir, '.ggen', 'txn.json'))) w.ok(['install', '--project', dir])
      else if (bytes(files[1]!)[0]?.equals(old[1]!) !== true) w.ok(['undo', '--project', dir])
      expect(bytes(...files), `kill:${i}`).toEqual(old)
    }
  })

  it('--dry-run writes nothing, for a lockfile, a registry and a manifest', () => {
    const w = world()
    const dir = project(w, 'dry')
    const before = bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))
    const r = w.imp([real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir, '--dry-run'])
    expect(r).toMatchObject({dryRun: true, written: false, generation: null, mapped: [{id: CLI_SUB, version: '0.1.0'}]})
    expect(bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))).toEqual(before)
    const reg = w.imp([real('hist-4b466f0cb/marketplace/registry/index.json'), '--output-dir', join(w.root, 'reg'), '--dry-run'])
    expect(reg.mapped).toHaveLength(48)
    expect(existsSync(join(w.root, 'reg'))).toBe(false)
    expect(existsSync(join(w.home, 'history'))).toBe(false)
    expect(importEntries(w)).toEqual([])
  })

  it('hard bundle bound to the project: a lockfile bringing an unapproved package is refused (exit 9), files byte-identical, audited as failure', () => {
    const w = world()
    const dir = project(w, 'pay', 'team = "payments"')
    w.ok(['install', 'io.imp.other', '--project', dir])
    w.ok(['bundle', 'create', 'pay-std', '--enforcement', 'hard', '--team', 'payments'])
    w.ok(['bundle', 'add', 'pay-std', 'io.imp.other@^1'])
    const before = bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))
    const r = w.cli(['import', real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir, '--json'])
    expect(r.code).toBe(9)
    const err = (r.json as {error: {code: string; message: string}}).error
    expect(err.code).toBe('E_POLICY')
    expect(err.message).toContain('bundle pay-std (hard)')
    expect(err.message).toContain(CLI_SUB)
    expect(bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))).toEqual(before)
    expect(w.cli(['import', real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir, '--dry-run']).code).toBe(9)
    expect(bytes(join(dir, 'ggen.toml'), join(dir, '.ggen', 'packs.lock'))).toEqual(before)
    const entries = importEntries(w)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({result: 'failure', details: expect.stringContaining('E_POLICY')})
  })

  it('soft bundle: a warning, the import proceeds, the audit entry records the breach', () => {
    const w = world()
    const dir = project(w, 'shop', 'team = "web"')
    w.ok(['bundle', 'create', 'web-std', '--team', 'web'])
    w.ok(['bundle', 'add', 'web-std', 'io.imp.other@^1'])
    const r = w.ok(['import', real('tag-v1.2.0/extracted/ggen.lock'), '--project', dir])
    expect(r.stderr).toMatch(new RegExp(`policy breach: bundle web-std \\(soft\\): rule unapproved: .*${CLI_SUB.replace(/\./g, '\\.')}`))
    expect(Object.keys(lockOf(dir).packs)).toEqual([CLI_SUB])
    expect(importEntries(w).at(-1)).toMatchObject({result: 'success', details: expect.stringContaining('policy breach: bundle web-std (soft): rule unapproved')})
  })
})

describe('legacy registry indexes -> a canonical index.json that search reads', {timeout: SLOW}, () => {
  const variants: [string, number][] = [
    ['hist-4b466f0cb/marketplace/registry/index.json', 48],
    ['hist-d8c92fd03/marketplace/registry/index.json', 55],
    ['hist-6808d50c6/marketplace/registry/index.json', 60],
    ['hist-ec2b9736e/marketplace/registry/index.json', 66],
    ['ghpages-3fc5f5608/registry/index.json', 48],
    ['head-7fc324df3/marketplace/registry/index.json', 77],
    ['hist-a9a258d62/registry/index.json', 1],
    ['head-7fc324df3/registry/index.json', 2],
    ['head-7fc324df3/docs/registry/index.json', 2],
    ['ghpages-3fc5f5608/docs/registry/index.json', 1],
    ['hist-d8c92fd03/marketplace/registry/packages.toml', 21],
    ['head-7fc324df3/marketplace/registry/packages.toml', 21],
  ]
  let w: World
  const results = new Map<string, ImportJson>()
  beforeAll(() => {
    w = world([])
    variants.forEach(([file], i) => results.set(file, w.imp([real(file), '--output-dir', join(w.root, `reg-${i}`)])))
  }, SLOW)

  for (const [i, [file, packages]] of variants.entries()) {
    it(`${file}: ${packages} packages, readable by search`, () => {
      const r = results.get(file)!
      expect(r.kind).toBe('registry')
      expect(new Set(r.mapped.map((m) => m.id)).size).toBe(packages)
      expect(r.notMapped).toEqual([])
      const index = JSON.parse(readFileSync(join(w.root, `reg-${i}`, 'index.json'), 'utf8')) as {format: string; packages: Record<string, unknown>}
      expect(index.format).toBe('ggen-packs-registry/1')
      expect(Object.keys(index.packages)).toHaveLength(packages)
      const found = w.ok(['search', '', '--registry', join(w.root, `reg-${i}`), '--limit', '1000', '--json']).json as unknown[]
      expect(found).toHaveLength(packages)
    })
  }

  it('what does not map is reported: metadata-only entries, string validation_score and guards, dangling dependencies, the top-level extras', () => {
    const noDownload = results.get('hist-4b466f0cb/marketplace/registry/index.json')!
    expect(noDownload.notes.filter((n) => n.reason === 'metadata-only')).toHaveLength(48)
    const guards = results.get('hist-ec2b9736e/marketplace/registry/index.json')!
    const validation = guards.notes.filter((n) => n.field?.endsWith('.validation_score'))
    expect(validation).toHaveLength(66)
    expect(validation[0]!.message).toMatch(/validation_score is a string/)
    expect(guards.notes.some((n) => n.reason === 'unmapped-field' && /critical_guards_passed/.test(n.message))).toBe(true)
    const head = results.get('head-7fc324df3/marketplace/registry/index.json')!
    expect(head.notes.find((n) => n.reason === 'dangling-dependency')).toMatchObject({id: 'academic-peer-review-workflow', message: expect.stringContaining('academic-paper-lifecycle')})
    expect(head.notes.find((n) => n.field === 'o_crates')!.message).toContain('62 entries')
    const v0 = results.get('head-7fc324df3/registry/index.json')!
    expect(v0.format).toBe('v0-map')
    expect(v0.notes.some((n) => n.reason === 'unmapped-field' && /git_url/.test(n.message))).toBe(true)
    const versionless = results.get('hist-6808d50c6/marketplace/registry/index.json')!
    expect(versionless.notes.filter((n) => n.reason === 'missing-version')).toHaveLength(58)
  })
})

describe('manifests and bundles round trip byte-identically', {timeout: SLOW}, () => {
  let example = ''
  beforeAll(() => {
    example = buildExample()
  }, 240_000)

  it('manifest: export -> import -> export is identical (json and yaml); written where generate -o <env>.json would', () => {
    const {cwd, env} = exampleWorkspace(copyExample(example))
    const run = (args: string[]) => {
      const r = runCli(['packs', ...args], {cwd, env})
      if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`)
      return r
    }
    run(['manifest', 'generate', 'prod', '--project', './billing-api', '--lock-all', '-o', 'gen.json'])
    for (const ext of ['json', 'yaml']) {
      run(['manifest', 'export', 'gen.json', '-o', `first.${ext}`])
      const r = run(['import', `first.${ext}`, '--output-dir', `imported-${ext}`, '--json']).json as ImportJson
      expect(r).toMatchObject({kind: 'manifest', target: join(cwd, `imported-${ext}`, `prod.${ext}`), written: true})
      run(['manifest', 'export', join(`imported-${ext}`, `prod.${ext}`), '-o', `second.${ext}`])
      expect(readFileSync(join(cwd, `second.${ext}`))).toEqual(readFileSync(join(cwd, `first.${ext}`)))
      expect(readFileSync(join(cwd, `imported-${ext}`, `prod.${ext}`))).toEqual(readFileSync(join(cwd, `first.${ext}`)))
    }
    // importing again changes nothing; a different manifest of the same environment is not overwritten
    expect((run(['import', 'first.json', '--output-dir', 'imported-json', '--json']).json as ImportJson).written).toBe(false)
    run(['manifest', 'generate', 'prod', '--project', './billing-api', '-o', 'other.json'])
    const clash = runCli(['packs', 'import', 'other.json', '--output-dir', 'imported-json'], {cwd, env})
    expect(clash.code).toBe(2)
    expect(readFileSync(join(cwd, 'imported-json', 'prod.json'))).toEqual(readFileSync(join(cwd, 'first.json')))
  })

  it('bundle: export -> import (= bundle import) -> export is identical, in every bundle format', () => {
    for (const ext of ['toml', 'json', 'yaml']) {
      const a = world()
      a.ok(['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard', '--description', 'the standard'])
      a.ok(['bundle', 'add', 'team-standard', 'io.imp.other@^1', `${CLI_SUB}@~0.2.0`])
      const first = join(a.root, `first.${ext}`)
      a.ok(['bundle', 'export', 'team-standard', '--output', first])
      const b = world()
      const r = b.imp([first])
      expect(r).toMatchObject({kind: 'bundle', format: `bundle/${ext}`, written: true, mapped: [{id: CLI_SUB, version: '~0.2.0'}, {id: 'io.imp.other', version: '^1'}]})
      const second = join(b.root, `second.${ext}`)
      b.ok(['bundle', 'export', 'team-standard', '--output', second])
      expect(readFileSync(second)).toEqual(readFileSync(first))
      expect(importEntries(b)).toHaveLength(1)
    }
  })
})

describe('bad input', {timeout: SLOW}, () => {
  it('a malformed lockfile: exit 3 naming the file and the field; nothing written; audited as failure', () => {
    const w = world()
    const dir = project(w, 'bad')
    const file = join(w.root, 'broken.lock')
    writeFileSync(file, '[[packs]]\nid = "io.imp.other"\n')
    const r = w.cli(['import', file, '--project', dir, '--json'])
    expect(r.code).toBe(3)
    expect((r.json as {error: {file: string; field: string}}).error).toMatchObject({file, field: 'packs[0].version'})
    expect(existsSync(join(dir, '.ggen', 'packs.lock'))).toBe(false)
    expect(importEntries(w).at(-1)).toMatchObject({result: 'failure', details: expect.stringContaining('broken.lock')})
    // not a file of any kind: exit 3 naming the root
    const other = join(w.root, 'other.json')
    writeFileSync(other, '{"hello": "world"}')
    const o = w.cli(['import', other, '--json'])
    expect(o.code).toBe(3)
    expect((o.json as {error: {file: string; field: string}}).error).toMatchObject({file: other, field: '(root)'})
    // broken YAML: exit 3 naming the file, never "a bug"
    const yaml = join(w.root, 'prod.yaml')
    writeFileSync(yaml, 'environment: prod\npackages: [\n')
    const y = w.cli(['import', yaml, '--json'])
    expect(y.code).toBe(3)
    expect((y.json as {error: {code: string; file: string}}).error).toMatchObject({code: 'E_PARSE', file: yaml})
    // a registry needs --output-dir
    mkdirSync(join(w.root, 'x'))
    expect(w.cli(['import', real('hist-a9a258d62/registry/index.json')]).code).toBe(2)
  })
})
