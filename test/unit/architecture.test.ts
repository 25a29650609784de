/**
 * The layer rules, checked on the import statements of every file under src/ and commands/
 * (static, `export ... from`, dynamic `import()` and type-only imports alike, read with the
 * TypeScript parser) and on where `process.env` is read. docs/architecture.md shows the same
 * table (`layerTable()`); this test fails when the two drift apart.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, normalize, relative} from 'node:path'
import ts from 'typescript'
import {describe, expect, it} from 'vitest'
import {VARIABLES} from '../../src/util/environment.js'
import {repoRoot} from '../support/cli.js'

interface Layer {
  name: string
  /** path prefixes (relative to the repository) of the files in the layer */
  paths: string[]
  /** layers whose files it may import (its own always) */
  may: string[]
  /** packages it must not import */
  packagesBanned?: string[]
  note: string
}

const BASE = ['domain', 'util', 'resolve', 'formats', 'state']

/** bottom to top; a file belongs to the layer with the longest matching path prefix */
export const LAYERS: Layer[] = [
  {name: 'domain', paths: ['src/domain/', 'src/types/'], may: [], packagesBanned: ['node:fs', '@oclif/core', 'neo4j-driver'], note: 'zod schemas, types, PacksError, `id@range`: imports nothing else'},
  {name: 'util', paths: ['src/util/'], may: ['domain'], note: 'dependency-free helpers; `environment.ts` is the one reader of `process.env`'},
  {name: 'resolve', paths: ['src/resolve/'], may: ['domain', 'util'], note: 'semver and the resolver'},
  {name: 'formats', paths: ['src/formats/'], may: ['domain', 'util', 'resolve'], note: 'every on-disk format, atomic writes, locks, CSV'},
  {name: 'state', paths: ['src/store/', 'src/workspace/', 'src/registry/', 'src/security/', 'src/audit/', 'src/advisories/'], may: ['domain', 'util', 'resolve', 'formats'], note: 'store, $GGEN_HOME (config, projects, history), registries, trust, audit log, the advisory database (may use each other)'},
  {name: 'graph', paths: ['src/graph/'], may: [...BASE, 'neo4j'], note: 'the GraphStore port, snapshot, memory adapter, export; `open.ts` loads the Neo4j adapter lazily'},
  {name: 'neo4j', paths: ['src/graph/neo4j/'], may: [...BASE, 'graph'], note: 'the Neo4j adapter: the only importer of `neo4j-driver`'},
  {name: 'policy', paths: ['src/policy/'], may: [...BASE, 'graph'], note: 'bundles, team policy and their evaluation (pure), over the graph model'},
  {name: 'core', paths: ['src/core/'], may: [...BASE, 'graph', 'policy'], note: 'questions (use-cases) over the port; never `src/ops`, `src/cli`, the Neo4j adapter'},
  {name: 'ops', paths: ['src/ops/'], may: [...BASE, 'graph', 'policy', 'core'], note: 'mutations and the transaction helper; never `src/cli`'},
  {name: 'cli', paths: ['src/cli/'], may: [...BASE, 'graph', 'policy', 'core', 'ops'], note: 'base command, flags, renderers'},
  {name: 'commands', paths: ['commands/'], may: [...BASE, 'graph', 'policy', 'core', 'ops', 'cli'], packagesBanned: ['node:fs', 'node:fs/promises', 'neo4j-driver'], note: 'parse → context → use-case → render; no file I/O, never the Neo4j adapter'},
]

/** packages only some layers may import */
const PACKAGE_OWNERS: Record<string, string[]> = {'neo4j-driver': ['neo4j'], '@oclif/core': ['cli', 'commands']}
/** the only files that may read process.env */
export const ENV_READERS = ['src/util/environment.ts']

const layerOf = (file: string): Layer | undefined =>
  LAYERS.filter((l) => l.paths.some((p) => file.startsWith(p))).sort((a, b) => Math.max(...b.paths.map((p) => (file.startsWith(p) ? p.length : 0))) - Math.max(...a.paths.map((p) => (file.startsWith(p) ? p.length : 0))))[0]

const allowed = (from: Layer, to: Layer) => from.name === to.name || from.may.includes(to.name)

/** the markdown table docs/architecture.md shows */
export function layerTable(): string {
  const rows = LAYERS.map((l) => {
    const banned = [...(l.packagesBanned ?? []), ...Object.entries(PACKAGE_OWNERS).filter(([, owners]) => !owners.includes(l.name)).map(([p]) => p)]
    return `| ${l.name} | ${l.paths.map((p) => `\`${p}\``).join(' ')} | ${l.may.length ? l.may.join(', ') : '—'} | ${[...new Set(banned)].map((p) => `\`${p}\``).join(', ') || '—'} | ${l.note} |`
  })
  return ['| layer | files | may import | packages never imported | what it is |', '|---|---|---|---|---|', ...rows].join('\n')
}

interface SourceFile {
  path: string
  text: string
}

function sources(dir: string): SourceFile[] {
  const out: SourceFile[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(join(repoRoot, d), {withFileTypes: true})) {
      const rel = `${d}/${e.name}`
      if (e.isDirectory()) walk(rel)
      else if (/\.ts$/.test(e.name)) out.push({path: rel, text: readFileSync(join(repoRoot, rel), 'utf8')})
    }
  }
  walk(dir)
  return out
}

/** every module a file names (static, re-export, dynamic, type-only) */
const importsOf = (f: SourceFile): string[] => ts.preProcessFile(f.text, true, true).importedFiles.map((i) => i.fileName)

/** `process.env` (or `process['env']`) anywhere in the code, comments excluded */
function readsEnv(f: SourceFile): boolean {
  const sf = ts.createSourceFile(f.path, f.text, ts.ScriptTarget.Latest, false)
  let found = false
  const visit = (n: ts.Node): void => {
    if (found) return
    const isProcess = (e: ts.Expression) => ts.isIdentifier(e) && e.text === 'process'
    if (ts.isPropertyAccessExpression(n) && isProcess(n.expression) && n.name.text === 'env') found = true
    else if (ts.isElementAccessExpression(n) && isProcess(n.expression) && ts.isStringLiteral(n.argumentExpression) && n.argumentExpression.text === 'env') found = true
    else n.forEachChild(visit)
  }
  visit(sf)
  return found
}

/** the rules a set of files breaks, one line each */
export function violations(files: SourceFile[]): string[] {
  const out: string[] = []
  for (const f of files) {
    const from = layerOf(f.path)
    if (!from) {
      out.push(`${f.path}: in no layer (add it to LAYERS)`)
      continue
    }
    if (readsEnv(f) && !ENV_READERS.includes(f.path)) out.push(`${f.path}: reads process.env (only ${ENV_READERS.join(', ')} may; take it from the context or environment())`)
    for (const spec of importsOf(f)) {
      if (!spec.startsWith('.')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!
        const owners = PACKAGE_OWNERS[pkg]
        if ((owners && !owners.includes(from.name)) || from.packagesBanned?.includes(spec)) out.push(`${f.path}: ${from.name} imports ${spec}`)
        continue
      }
      const target = relative(repoRoot, normalize(join(repoRoot, dirname(f.path), spec))).replace(/\.js$/, '.ts')
      const to = layerOf(target)
      if (to && !allowed(from, to)) out.push(`${f.path}: ${from.name} imports ${to.name} (${spec})`)
    }
  }
  return out
}

describe('architecture: layer rules', () => {
  const files = [...sources('src'), ...sources('commands')]

  it('reads the whole code base', () => {
    expect(files.length).toBeGreaterThan(120)
    expect(files.some((f) => f.path === 'src/core/resolve-conflict.ts')).toBe(true)
  })

  it('no file breaks a layer rule, and only the environment module reads process.env', () => {
    expect(violations(files)).toEqual([])
  })

  it('the checker catches each kind of break (core→ops, core→cli, formats→ops, domain→formats, commands→neo4j adapter, type-only and dynamic imports, process.env)', () => {
    const bad: SourceFile[] = [
      {path: 'src/core/x.ts', text: "import {install} from '../ops/install.js'\nimport type {Flag} from '../cli/flags.js'"},
      {path: 'src/formats/x.ts', text: "export {gc} from '../ops/gc.js'"},
      {path: 'src/domain/x.ts', text: "import {readTextOrNull} from '../formats/fs.js'\nimport {readFileSync} from 'node:fs'"},
      {path: 'commands/packs/x.ts', text: "const m = await import('../../src/graph/neo4j/neo4j-store.js')\nimport neo4j from 'neo4j-driver'"},
      {path: 'src/ops/x.ts', text: "// process.env in a comment is fine\nconst home = process.env.GGEN_HOME\nconst b = process['env']"},
      {path: 'src/graph/x.ts', text: "import {Command} from '@oclif/core'"},
    ]
    expect(violations(bad)).toEqual([
      'src/core/x.ts: core imports ops (../ops/install.js)',
      'src/core/x.ts: core imports cli (../cli/flags.js)',
      'src/formats/x.ts: formats imports ops (../ops/gc.js)',
      'src/domain/x.ts: domain imports formats (../formats/fs.js)',
      'src/domain/x.ts: domain imports node:fs',
      'commands/packs/x.ts: commands imports neo4j (../../src/graph/neo4j/neo4j-store.js)',
      'commands/packs/x.ts: commands imports neo4j-driver',
      'src/ops/x.ts: reads process.env (only src/util/environment.ts may; take it from the context or environment())',
      'src/graph/x.ts: graph imports @oclif/core',
    ])
  })

  it('docs/architecture.md shows this table', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'architecture.md'), 'utf8')
    expect(doc).toContain(layerTable())
  })

  it('docs/formats.md lists every environment variable the environment module reads', () => {
    const doc = readFileSync(join(repoRoot, 'docs', 'formats.md'), 'utf8')
    const table = doc.slice(doc.indexOf('## Environment variables'))
    for (const name of Object.keys(VARIABLES)) expect(table, name).toContain(`\`${name}\``)
  })
})
