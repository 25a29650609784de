/**
 * Issue 12, `ggen packs export`: the real binary (bin/run.js; `npm run build` first) on copies of
 * the bundled example. The SBOM validates against the official CycloneDX 1.6 JSON schema (the
 * library's strict validator) and matches the lockfile (components, purls, hashes, licenses,
 * dependencies), with and without a last scan; every graph form parses back (graphology-graphml,
 * graphology-gexf, dotparser, JSON) with the node and edge counts of `graph export --format json`;
 * list, dependents, manifests and bundles in JSON, YAML and CSV give the rows the commands' own
 * --json gives. The Cypher script is loaded into Neo4j in export-neo4j.test.ts.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {Spec, Validation} from '@cyclonedx/cyclonedx-library'
import {MultiDirectedGraph} from 'graphology'
import {parse as parseGexf} from 'graphology-gexf'
import {parse as parseGraphml} from 'graphology-graphml'
import {parse as parseYaml} from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli, type CliResult} from '../support/cli.js'
import {readCsv} from '../support/csv.js'
import {buildExample, copyExample, exampleWorkspace} from '../support/example.js'

interface DotStatement {
  type: string
  edge_list?: unknown[]
}
const parseDot = createRequire(import.meta.url)('dotparser') as (text: string) => {type: string; children: DotStatement[]}[]

let example = ''
beforeAll(() => {
  example = buildExample()
}, 240_000)

/** a fresh copy of the example: run `ggen packs …` in its workspace */
function workspace() {
  const {cwd, env} = exampleWorkspace(copyExample(example))
  const cli = (args: string[], extra: Record<string, string> = {}): CliResult => runCli(['packs', ...args], {cwd, env: {...env, NO_COLOR: '1', ...extra}})
  const ok = (args: string[], extra: Record<string, string> = {}): CliResult => {
    const r = cli(args, extra)
    if (r.code !== 0) throw new Error(`ggen packs ${args.join(' ')}: exit ${r.code}\n${r.stderr}\n${r.stdout}`)
    return r
  }
  return {cwd, home: env.GGEN_HOME!, cli, ok, read: (f: string) => readFileSync(join(cwd, f), 'utf8')}
}

interface Lock {
  packs: Record<string, {version: string; integrity: string; dependencies: string[]}>
}
interface CdxComponent {
  'bom-ref': string
  name: string
  version: string
  purl: string
  hashes?: {alg: string; content: string}[]
  licenses?: ({license: {id: string}} | {expression: string})[]
}
interface Cdx {
  specVersion: string
  serialNumber: string
  metadata: {timestamp: string; component: {'bom-ref': string; name: string; type: string}}
  components: CdxComponent[]
  dependencies: {ref: string; dependsOn?: string[]}[]
  vulnerabilities?: {id: string; ratings: {severity: string; score?: number; vector?: string}[]; affects: {ref: string}[]; analysis?: {state: string}}[]
}

const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6)
async function validSbom(text: string): Promise<Cdx> {
  expect(await validator.validate(text)).toBeNull()
  return JSON.parse(text) as Cdx
}

/** the SBOM says what the lockfile says */
function matchesLock(bom: Cdx, lock: Lock): void {
  const entries = Object.entries(lock.packs)
  expect(bom.components).toHaveLength(entries.length)
  const byName = new Map(bom.components.map((c) => [c.name, c]))
  for (const [id, e] of entries) {
    const c = byName.get(id)!
    expect(c.version).toBe(e.version)
    expect(c.purl).toBe(`pkg:generic/${id}@${e.version}`)
    expect(c.purl).toMatch(/^pkg:generic\/[A-Za-z0-9._-]+@[0-9A-Za-z.+-]+$/)
    expect(c['bom-ref']).toBe(c.purl)
    const sri = /^sha512-(.+)$/.exec(e.integrity)![1]!
    expect(c.hashes).toEqual([{alg: 'SHA-512', content: Buffer.from(sri, 'base64').toString('hex')}])
    const deps = bom.dependencies.find((d) => d.ref === c['bom-ref'])!
    expect((deps.dependsOn ?? []).sort()).toEqual(e.dependencies.map((d) => `pkg:generic/${d}@${lock.packs[d]!.version}`).sort())
  }
  const refs = new Set([bom.metadata.component['bom-ref'], ...bom.components.map((c) => c['bom-ref'])])
  for (const d of bom.dependencies) {
    expect(refs.has(d.ref)).toBe(true)
    for (const to of d.dependsOn ?? []) expect(refs.has(to)).toBe(true)
  }
}

describe('export --what sbom (CycloneDX 1.6)', () => {
  it('one project: valid against the 1.6 schema; components, purls, hashes, licenses and dependencies from the lockfile', async () => {
    const w = workspace()
    const r = w.ok(['export', '--project', './billing-api', '--output', 'billing-api.cdx.json', '--json'])
    const bom = await validSbom(w.read('billing-api.cdx.json'))
    expect(bom.specVersion).toBe('1.6')
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(bom.metadata.component).toMatchObject({type: 'application', name: 'billing-api'})
    const lock = JSON.parse(w.read('billing-api/.ggen/packs.lock')) as Lock
    matchesLock(bom, lock)
    // direct dependencies of the project: its ggen.toml [packs]
    const root = bom.dependencies.find((d) => d.ref === bom.metadata.component['bom-ref'])!
    expect(root.dependsOn!.map((p) => p.replace(/^pkg:generic\/|@.*$/g, '')).sort()).toEqual(['io.ggen.ops.docker', 'io.ggen.rust.db', 'io.ggen.rust.web'])
    // licenses: an SPDX id and an expression (io.ggen.core.rdf is "MIT OR Apache-2.0")
    const rdf = bom.components.find((c) => c.name === 'io.ggen.core.rdf')!
    expect(rdf.licenses).toEqual([{expression: 'MIT OR Apache-2.0'}])
    expect(bom.components.find((c) => c.name === 'io.ggen.core.util')!.licenses).toEqual([{license: {id: 'MIT'}}])
    // the example's set-up ran a scan: billing-api locks io.ggen.ops.docker 1.2.0 and io.ggen.core.util 1.2.0
    expect((bom.vulnerabilities ?? []).map((v) => v.id).sort()).toEqual(['GGEN-2026-0001', 'GGEN-2026-0003'])
    const out = r.json as {what: string; files: {file: string}[]; counts: {projects: number; components: number}}
    expect(out).toMatchObject({what: 'sbom', files: [{file: join(w.cwd, 'billing-api.cdx.json')}], counts: {projects: 1, components: Object.keys(lock.packs).length}})
  })

  it('GGEN_NOW / SOURCE_DATE_EPOCH fix the timestamp and the serial number: the same bytes twice', async () => {
    const w = workspace()
    const run = (env: Record<string, string>) => w.ok(['export', '--project', './thesis'], env).stdout
    const a = run({GGEN_NOW: '2026-01-02T03:04:05Z'})
    expect(run({GGEN_NOW: '2026-01-02T03:04:05Z'})).toBe(a)
    expect((await validSbom(a)).metadata.timestamp).toBe('2026-01-02T03:04:05.000Z')
    const epoch = run({SOURCE_DATE_EPOCH: '1767323045'})
    expect(epoch).toBe(a)
    expect(run({})).not.toBe(a)
  })

  it('--all --output-dir: one valid file per project, each matching its lockfile', async () => {
    const w = workspace()
    const r = w.ok(['export', '--all', '--output-dir', 'sboms', '--json'])
    const projects = Object.keys((JSON.parse(readFileSync(join(w.home, 'projects.json'), 'utf8')) as {projects: Record<string, unknown>}).projects)
    const files = readdirSync(join(w.cwd, 'sboms')).sort()
    expect(files).toHaveLength(projects.length)
    expect(new Set(files).size).toBe(files.length)
    for (const f of files) {
      const bom = await validSbom(w.read(join('sboms', f)))
      expect(f).toBe(`${bom.metadata.component.name}.cdx.json`)
      const dir = (r.json as {files: {file: string; project: string}[]}).files.find((x) => x.file === join(w.cwd, 'sboms', f))!.project
      expect(projects).toContain(dir)
      matchesLock(bom, JSON.parse(readFileSync(join(dir, '.ggen', 'packs.lock'), 'utf8')) as Lock)
    }
  })

  it('with a last scan: a vulnerabilities section (ratings, affects the component, in triage) that validates too; a broken scan file is a warning', async () => {
    const w = workspace()
    mkdirSync(join(w.home, 'advisories'), {recursive: true})
    const advisory = {id: 'GHSA-ggen-0001', aliases: ['CVE-2026-0001'], summary: 'template injection in util', severity: 'high', score: 8.1, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N', modified: '2026-11-01T00:00:00Z', published: '2026-10-01T00:00:00Z', references: ['https://example.test/GHSA-ggen-0001']}
    const scan = {
      scanned_at: '2026-11-30T00:00:00Z',
      database: {path: join(w.home, 'advisories'), source: 'fixture', updated_at: '2026-11-30T00:00:00Z', age_days: 1, stale: false, records: 1},
      projects: 1,
      findings: [{package: 'io.ggen.core.util', version: '1.2.0', purl: 'pkg:generic/io.ggen.core.util@1.2.0', severity: 'high', advisories: [advisory], projects: [], fix: {kind: 'none', breaks: [], explanation: 'none known'}}],
      counts: {critical: 0, high: 1, medium: 0, low: 0, unknown: 0},
      ignored: [],
    }
    writeFileSync(join(w.home, 'advisories', 'last-scan.json'), JSON.stringify(scan))
    const bom = await validSbom(w.ok(['export', '--project', './billing-api']).stdout)
    expect(bom.vulnerabilities).toHaveLength(1)
    const v = bom.vulnerabilities![0]!
    expect(v).toMatchObject({id: 'GHSA-ggen-0001', ratings: [{severity: 'high', score: 8.1, vector: advisory.vector}], affects: [{ref: 'pkg:generic/io.ggen.core.util@1.2.0'}], analysis: {state: 'in_triage'}})
    expect(bom.components.some((c) => c['bom-ref'] === v.affects[0]!.ref)).toBe(true)
    // a project that does not lock the version gets no section
    expect((await validSbom(w.ok(['export', '--project', './thesis']).stdout)).vulnerabilities ?? []).toEqual([])
    writeFileSync(join(w.home, 'advisories', 'last-scan.json'), '{"findings": 3')
    const broken = w.ok(['export', '--project', './billing-api'])
    expect(broken.stderr).toMatch(/last-scan\.json is not a readable scan result/)
    expect((await validSbom(broken.stdout)).vulnerabilities ?? []).toEqual([])
  })

  it('refuses what it cannot do: several projects into one file, a form the export has not, dependents without --package, a missing project', () => {
    const w = workspace()
    const all = w.cli(['export', '--all', '--output', 'all.json', '--json'])
    expect(all.code).toBe(2)
    expect(all.json.error).toMatchObject({code: 'E_USAGE', hint: expect.stringMatching(/--output-dir/)})
    expect(w.cli(['export', '--what', 'sbom', '--format', 'gexf', '--project', './thesis']).code).toBe(2)
    expect(w.cli(['export', '--what', 'dependents', '--format', 'csv']).code).toBe(2)
    const missing = w.cli(['export', '--project', './nope', '--json'])
    expect(missing.code).toBe(3)
    expect(missing.json.error.code).toBe('E_NO_PROJECT')
  })
})

describe('export --what graph', () => {
  const counts = (g: MultiDirectedGraph) => ({nodes: g.order, relationships: g.size})

  it('every form parses back with the node and edge counts of `graph export --format json`', () => {
    const w = workspace()
    const {nodes, relationships} = w.ok(['graph', 'export', '--format', 'json', '--json']).json as {nodes: number; relationships: number}
    const expected = {nodes, relationships}
    expect(expected.nodes).toBeGreaterThan(20)
    const out = (format: string) => {
      const r = w.ok(['export', '--what', 'graph', '--format', format, '--output', `g.${format}`, '--json'])
      expect(r.json.counts).toEqual({nodes: expected.nodes, relationships: expected.relationships})
      return w.read(`g.${format}`)
    }
    expect(counts(MultiDirectedGraph.from(JSON.parse(out('json'))))).toEqual(expected)
    expect(counts(parseGraphml(MultiDirectedGraph, out('graphml')))).toEqual(expected)
    expect(counts(parseGexf(MultiDirectedGraph, out('gexf')))).toEqual(expected)
    const dot = parseDot(out('dot'))[0]!
    expect(dot.type).toBe('digraph')
    expect(dot.children.filter((s) => s.type === 'node_stmt')).toHaveLength(expected.nodes)
    const edges = dot.children.filter((s) => s.type === 'edge_stmt')
    expect(edges).toHaveLength(expected.relationships)
    expect(edges.every((e) => e.edge_list?.length === 2)).toBe(true)
    expect(out('cypher')).toMatch(/^\/\/ ggen packs graph export/)
  })

  it('--package and --project keep the subgraph around them, the same in every form', () => {
    const w = workspace()
    const whole = MultiDirectedGraph.from(JSON.parse(w.ok(['graph', 'export', '--format', 'json']).stdout))
    const scoped = MultiDirectedGraph.from(JSON.parse(w.ok(['export', '--what', 'graph', '--package', 'io.ggen.core.util']).stdout))
    expect(scoped.order).toBeLessThan(whole.order)
    scoped.forEachNode((k) => expect(whole.hasNode(k)).toBe(true))
    // the package, its versions, and every project using it (dependents) are in
    const users = (w.ok(['dependents', 'io.ggen.core.util', '--json']).json as {projects: {project: {path: string}}[]}).projects
    expect(users.length).toBeGreaterThan(0)
    for (const u of users) expect(scoped.someNode((_k, a) => a.kind === 'Project' && a.path === u.project.path)).toBe(true)
    expect(scoped.hasNode('Package:io.ggen.core.util')).toBe(true)
    whole.forEachInNeighbor('Package:io.ggen.core.util', (k, a) => a.kind === 'Version' && a.id === 'io.ggen.core.util' && expect(scoped.hasNode(k)).toBe(true))
    const gexf = parseGexf(MultiDirectedGraph, w.ok(['export', '--what', 'graph', '--package', 'io.ggen.core.util', '--format', 'gexf']).stdout)
    expect(counts(gexf)).toEqual(counts(scoped))
    // a project: only what it locks and requires (thesis locks 2 versions of 2 packages)
    const thesis = MultiDirectedGraph.from(JSON.parse(w.ok(['export', '--what', 'graph', '--project', './thesis']).stdout))
    const lock = JSON.parse(w.read('thesis/.ggen/packs.lock')) as Lock
    expect(thesis.filterNodes((_k, a) => a.kind === 'Project')).toHaveLength(1)
    expect(thesis.filterNodes((_k, a) => a.kind === 'Version').sort()).toEqual(Object.entries(lock.packs).map(([id, e]) => `Version:${id}@${e.version}`).sort())
    const dot = parseDot(w.ok(['export', '--what', 'graph', '--project', './thesis', '--format', 'dot']).stdout)[0]!
    expect(dot.children.filter((s) => s.type === 'node_stmt')).toHaveLength(thesis.order)
  })
})

describe('export --what list|dependents|manifests|bundles', () => {
  type Rows = Record<string, unknown>[]
  /** the three forms of an export: parsed JSON, parsed YAML and CSV rows (header first) */
  function forms(w: ReturnType<typeof workspace>, args: string[], env: Record<string, string> = {}) {
    const file = (f: string) => (w.ok(['export', ...args, '--format', f, '--output', `out.${f}`], env), w.read(`out.${f}`))
    return {json: JSON.parse(file('json')) as unknown, yaml: parseYaml(file('yaml')) as unknown, csv: readCsv(file('csv'))}
  }
  const column = (csv: string[][], name: string) => csv.slice(1).map((r) => r[csv[0]!.indexOf(name)])

  it('list: the rows of `list --json`', () => {
    const w = workspace()
    const rows = w.ok(['list', '--json']).json as Rows
    const f = forms(w, ['--what', 'list'])
    expect(f.json).toEqual(rows)
    expect(f.yaml).toEqual(rows)
    expect(column(f.csv, 'id').map((id, i) => `${id}@${column(f.csv, 'version')[i]}`)).toEqual(rows.map((r) => `${r.id}@${r.version}`))
  })

  it('dependents --package: the result of `dependents ID --json`', () => {
    const w = workspace()
    const r = w.ok(['dependents', 'io.ggen.core.util', '--json']).json as {projects: {project: {path: string}}[]}
    const f = forms(w, ['--what', 'dependents', '--package', 'io.ggen.core.util'])
    expect(f.json).toEqual(r)
    expect(f.yaml).toEqual(r)
    expect(column(f.csv, 'path')).toEqual(r.projects.map((p) => p.project.path))
  })

  it('manifests: per project, the packages `manifest generate` records; --output-dir one file each', () => {
    const w = workspace()
    const now = {GGEN_NOW: '2026-05-01T00:00:00Z'}
    const generated = w.ok(['manifest', 'generate', 'prod', '--project', './billing-api', '--json'], now).json as {packages: Rows}
    const one = w.ok(['export', '--what', 'manifests', '--project', './billing-api', '--format', 'json'], now).json as {environment: string; packages: Rows}
    expect(one.environment).toBe('prod')
    expect(one.packages).toEqual(generated.packages)
    const f = forms(w, ['--what', 'manifests', '--all'], now)
    const all = f.json as {metadata: {projects: string[]}; packages: Rows}[]
    expect(f.yaml).toEqual(all)
    // a copy's projects.json names the example's own folders: --all exports those
    const billing = all.find((m) => m.metadata.projects[0]!.endsWith('/workspace/billing-api'))!
    expect(billing.packages).toEqual(generated.packages)
    expect(f.csv.length - 1).toBe(all.reduce((n, m) => n + m.packages.length, 0))
    expect(column(f.csv, 'id').filter((_id, i) => column(f.csv, 'path')[i]!.endsWith('/workspace/billing-api'))).toEqual(generated.packages.map((p) => p.id))
    w.ok(['export', '--what', 'manifests', '--all', '--format', 'yaml', '--output-dir', 'manifests'])
    expect(readdirSync(join(w.cwd, 'manifests'))).toHaveLength(all.length)
  })

  it('bundles: what `bundle show` gives, each bundle once; --output-dir writes files `bundle import` reads back', () => {
    const w = workspace()
    for (const shipped of ['payments-standard', 'web-frontend']) w.ok(['bundle', 'delete', shipped]) // the example's own
    w.ok(['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard'])
    w.ok(['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*'])
    w.ok(['bundle', 'create', 'web-basics', '--team', 'web'])
    const shown = ['team-standard', 'web-basics'].map((n) => w.ok(['bundle', 'show', n, '--json']).json as {id: string; packages: {id: string}[]})
    const f = forms(w, ['--what', 'bundles'])
    expect(f.json).toEqual(shown.map((b) => JSON.parse(JSON.stringify(b))))
    expect(f.yaml).toEqual(f.json)
    expect(column(f.csv, 'id')).toEqual(['io.ggen.core.log', 'io.ggen.rust.web'].filter((id) => shown[0]!.packages.some((p) => p.id === id)).sort())
    w.ok(['export', '--what', 'bundles', '--format', 'json', '--output-dir', 'bundles'])
    expect(readdirSync(join(w.cwd, 'bundles')).sort()).toEqual(['team-standard.json', 'web-basics.json'])
    w.ok(['bundle', 'delete', 'web-basics'])
    w.ok(['bundle', 'import', join(w.cwd, 'bundles', 'web-basics.json')])
    expect(w.ok(['bundle', 'show', 'web-basics', '--json']).json).toEqual(shown[1])
  })
})
