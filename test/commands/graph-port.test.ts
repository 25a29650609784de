/**
 * Issue 9, layering: `packs graph export` and `packs query` go through the GraphStore port
 * (src/core/graph-export.ts, src/core/graph-query.ts) — through the real binary (npm run build
 * first). The memory backend exports this machine's snapshot (registry versions included) and
 * honours --machine; `query` always asks Neo4j, and an unreachable one is E_NEO4J (exit 6).
 */
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'

let root = ''
let env: Record<string, string> = {}
const cli = (args: string[], extra: Record<string, string> = {}): CliResult => runCli(['packs', ...args], {env: {...env, ...extra}})

beforeAll(() => {
  if (!existsSync(binPath)) throw new Error('build first: npm run build')
  root = tempDir('ggen-graph-port-')
  const registry = buildRegistry(root, [
    {id: 'io.p.core', version: '1.0.0'},
    {id: 'io.p.web', version: '1.0.0', deps: {'io.p.core': '^1.0.0'}},
  ])
  env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: registry}
  writeProject(join(root, 'app'), 'app', {'io.p.web': '^1.0.0'})
  const r = cli(['install', '--project', join(root, 'app')])
  if (r.code !== 0) throw new Error(r.stderr)
}, 300_000)

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

describe('graph export on the memory backend (through the port)', () => {
  it('exports this machine: its project, locked versions and the registry versions', () => {
    const r = cli(['graph', 'export', '--format', 'json', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({format: 'json', backend: 'memory', machines: ['test-machine']})
    const keys = (r.json.graph.nodes as {key: string}[]).map((n) => n.key)
    expect(keys.some((k) => k.includes('app'))).toBe(true)
    expect(keys.some((k) => k.includes('io.p.core@1.0.0'))).toBe(true)
    expect(r.json.nodes).toBe(keys.length)
  })

  it('--output writes the file atomically and reports it; nothing goes to stdout', () => {
    const file = join(root, 'out.graphml')
    const r = cli(['graph', 'export', '--format', 'graphml', '-o', file, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.output).toBe(file)
    expect(readFileSync(file, 'utf8')).toMatch(/^<\?xml[\s\S]*<graphml/)
  })

  it('--machine names another machine: nothing of this one is exported', () => {
    const r = cli(['graph', 'export', '--format', 'json', '--machine', 'elsewhere', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({backend: 'memory', machines: [], nodes: 0, relationships: 0})
  })
})

describe('query (through the port)', () => {
  it('asks Neo4j even when the default backend is memory: unreachable is E_NEO4J, exit 6, never a bug', () => {
    const r = cli(['query', 'RETURN 1 AS one', '--json'], {GGEN_NEO4J_URI: 'bolt://127.0.0.1:1', GGEN_NEO4J_CONNECT_TIMEOUT_MS: '2000'})
    expect(r.code, r.stderr).toBe(6)
    expect(r.json.error.code).toMatch(/^E_NEO4J/)
  })

  it('a bad --param is E_USAGE before any connection', () => {
    const r = cli(['query', 'RETURN 1', '--param', 'no-equals', '--json'], {GGEN_NEO4J_URI: 'bolt://127.0.0.1:1'})
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('E_USAGE')
  })
})
