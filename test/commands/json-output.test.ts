/**
 * Issue 9, --json output: every command's `--json` stdout, from the real binary (bin/run.js; run
 * `npm run build` first) on a copy of the bundled example (`npm run example`), validates against
 * its schema in schemas/json/<command id>.json (made by `npm run schemas` from run()'s return
 * type; `npm run lint` fails when one is stale). On success --json prints the result alone (no
 * envelope); on failure {"error": {...}} (schemas/json/error.json) with the error's exit code.
 * Every command needs a schema file and a case here. graph sync and query run on the test Neo4j
 * (test/support/neo4j.ts: skipped, with the reason, where there is none; a failure under CI=true).
 */
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv, type ValidateFunction} from 'ajv'
import addFormatsModule from 'ajv-formats'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoRoot, runCli, type CliResult} from '../support/cli.js'
import {buildExample, copyExample, exampleWorkspace} from '../support/example.js'
import {useNeo4j, wipeNeo4j} from '../support/neo4j.js'

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default
const schemaDir = join(repoRoot, 'schemas', 'json')
const schemaFile = (name: string) => join(schemaDir, `${name}.json`)
/** packs:manifest:lock -> packs-manifest-lock */
const schemaName = (commandId: string) => commandId.split(':').join('-')

const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
addFormats(ajv)
const validators = new Map<string, ValidateFunction>()
function validator(name: string): ValidateFunction {
  let v = validators.get(name)
  if (!v) validators.set(name, (v = ajv.compile(JSON.parse(readFileSync(schemaFile(name), 'utf8')))))
  return v
}

/** our commands, as the built binary knows them (oclif's own help/autocomplete are not ours) */
const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
const commandIds = Object.keys(manifest.commands).filter((id) => id.startsWith('packs:')).sort()

interface Case {
  /** the command id (packs:manifest:lock) whose schema the output must match */
  command: string
  /** arguments after `ggen packs`, run in examples/.out/workspace; --json is added */
  args: string[]
  /** the documented exit code (findings exit 1) */
  code?: number
  /** run first in the same copy: `ggen packs` arguments, or a function of the workspace folder */
  setup?: (string[] | ((ws: string) => void))[]
  neo4j?: boolean
}

const prodOfBilling = ['manifest', 'generate', 'prod', '--project', './billing-api', '-o', 'billing-prod.json']
const stagingManifest = ['manifest', 'generate', 'staging', '--project', './billing-api-staging', '-o', 'staging.json']
const prodManifest = ['manifest', 'generate', 'prod', '--all-projects', '--lock-all', '-o', 'prod.json']

const cases: Case[] = [
  {command: 'packs:audit', args: ['audit', '--action', 'install']},
  {command: 'packs:audit', args: ['audit', '--verify']},
  {command: 'packs:audit:export', args: ['audit', 'export', '--limit', '3']},
  {command: 'packs:bundle:create', args: ['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard']},
  {command: 'packs:bundle:add', args: ['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard']]},
  {command: 'packs:bundle:remove', args: ['bundle', 'remove', 'team-standard', 'io.ggen.core.log'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard'], ['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*']]},
  {command: 'packs:bundle:list', args: ['bundle', 'list'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard']]},
  {command: 'packs:bundle:show', args: ['bundle', 'show', 'team-standard'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard'], ['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*']]},
  {command: 'packs:bundle:export', args: ['bundle', 'export', 'team-standard', '--output', 'b.toml'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard']]},
  {command: 'packs:bundle:import', args: ['bundle', 'import', 'b.toml', '--force'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard'], ['bundle', 'export', 'team-standard', '--output', 'b.toml']]},
  {command: 'packs:bundle:delete', args: ['bundle', 'delete', 'team-standard'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard']]},
  {command: 'packs:bundle:apply', args: ['bundle', 'apply', 'team-standard', '--validate-all-projects'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard'], ['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*']]},
  {command: 'packs:bundle:apply', args: ['bundle', 'apply', 'team-standard', '--project', './billing-api', '--dry-run'], setup: [['bundle', 'create', 'team-standard', '--team', 'payments', '--enforcement', 'hard'], ['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*']]},
  {command: 'packs:dependents', args: ['dependents', 'io.ggen.core.util']},
  {command: 'packs:deprecate', args: ['deprecate', 'io.ggen.core.util@<1.3.0', '--message', 'use 1.3 or later']},
  {command: 'packs:deprecate', args: ['deprecate', 'io.ggen.core.util@1.0.0', '--yank', '--message', 'broken build']},
  {command: 'packs:dependents', args: ['dependents', 'io.ggen.core.util@^1.2', '--direct', '--team', 'web']},
  {command: 'packs:gc', args: ['gc', '--dry-run']},
  {command: 'packs:gc', args: ['gc'], setup: [['uninstall', 'io.ggen.ops.docker', '--project', './billing-api']]},
  {command: 'packs:graph:export', args: ['graph', 'export', '--format', 'json']},
  {command: 'packs:graph:export', args: ['graph', 'export', '--format', 'cypher']},
  {command: 'packs:graph:export', args: ['graph', 'export', '--format', 'graphml', '-o', 'packs.graphml']},
  {command: 'packs:graph:export', args: ['graph', 'export', '--format', 'html', '--package', 'io.ggen.core.log', '-o', 'packs.html']},
  {command: 'packs:graph:sync', args: ['graph', 'sync'], neo4j: true},
  {command: 'packs:export', args: ['export', '--project', './billing-api', '--output', 'billing-api.cdx.json']},
  {command: 'packs:export', args: ['export', '--all', '--output-dir', 'sboms']},
  {command: 'packs:export', args: ['export', '--what', 'graph', '--package', 'io.ggen.core.util', '--format', 'gexf']},
  {command: 'packs:export', args: ['export', '--what', 'manifests', '--format', 'csv', '-o', 'manifests.csv']},
  {command: 'packs:impact', args: ['impact', 'io.ggen.core.util@2.0.0']},
  {command: 'packs:info', args: ['info', 'io.ggen.core.util', '--include-dependents']},
  {command: 'packs:info', args: ['info', 'io.ggen.core.util@1.2.0']},
  {command: 'packs:import', args: ['import', 'legacy/ggen-v1.lock', '--project', './thesis']},
  {command: 'packs:import', args: ['import', 'legacy/ggen-v1.lock', '--project', './thesis', '--dry-run']},
  {command: 'packs:import', args: ['import', '../registry/index.json', '--output-dir', '../imported-registry']},
  {command: 'packs:import', args: ['import', 'prod.json', '--output-dir', 'manifests'], setup: [prodManifest]},
  {command: 'packs:install', args: ['install', 'io.ggen.python.cli', '--project', './ml-pipeline']},
  {command: 'packs:install', args: ['install', 'io.ggen.python.cli', '--project', './ml-pipeline', '--dry-run']},
  {command: 'packs:list', args: ['list']},
  {command: 'packs:list', args: ['list', '--project', './billing-api', '--long']},
  {command: 'packs:manifest:apply', args: ['manifest', 'apply', 'billing-prod.json', '--project', './billing-api-staging'], setup: [prodOfBilling]},
  {command: 'packs:manifest:compare', args: ['manifest', 'compare', 'staging.json', 'prod.json'], setup: [stagingManifest, prodManifest]},
  {command: 'packs:manifest:export', args: ['manifest', 'export', 'prod.json', '--format', 'yaml', '-o', 'prod.yaml'], setup: [prodManifest]},
  {command: 'packs:manifest:generate', args: ['manifest', 'generate', 'prod', '--project', './billing-api']},
  {command: 'packs:manifest:generate', args: prodManifest},
  {command: 'packs:manifest:lock', args: ['manifest', 'lock', 'staging.json', '-o', 'staging-locked.json'], setup: [stagingManifest]},
  {command: 'packs:projects:prune', args: ['projects', 'prune'], setup: [(ws) => rmSync(join(ws, 'thesis'), {recursive: true})]},
  {command: 'packs:query', args: ['query', 'MATCH (p:Project) RETURN p.name AS name, p.team AS team ORDER BY name'], setup: [['graph', 'sync']], neo4j: true},
  {command: 'packs:registry:build', args: ['registry', 'build', '../../gpacks', '../rebuilt']},
  {command: 'packs:registry:keygen', args: ['registry', 'keygen', '../team-key.pem']},
  {command: 'packs:registry:trust', args: ['registry', 'trust', '--list']},
  {command: 'packs:resolve', args: ['resolve', 'io.ggen.core.util', '--project', './storefront']},
  {command: 'packs:rollback', args: ['rollback', '--list', '--project', './billing-api']},
  {command: 'packs:rollback', args: ['rollback', '--project', './billing-api'], setup: [['update', 'io.ggen.ops.docker', '--to', '1.1.0', '--project', './billing-api']]},
  {command: 'packs:search', args: ['search', 'database']},
  {command: 'packs:stats', args: ['stats']},
  {command: 'packs:stats', args: ['stats', '--timeline', '30d', '--package', 'docker', '--author', 'erin'], setup: [['update', 'io.ggen.ops.docker', '--to', '1.1.0', '--project', './billing-api']]},
  {command: 'packs:security-scan', args: ['security-scan']},
  {command: 'packs:security-scan', args: ['security-scan', '--fail-on', 'high'], code: 1},
  {command: 'packs:security-scan', args: ['security-scan', '--vulnerability-db-update', '--from', '../../advisories']},
  {command: 'packs:tree', args: ['tree', '--project', './storefront']},
  {command: 'packs:undo', args: ['undo', '--project', './billing-api'], setup: [['update', 'io.ggen.ops.docker', '--to', '1.1.0', '--project', './billing-api']]},
  {command: 'packs:uninstall', args: ['uninstall', 'io.ggen.ops.docker', '--project', './billing-api']},
  {command: 'packs:update', args: ['update', '--project', './billing-api', '--dry-run']},
  {command: 'packs:update', args: ['update', 'io.ggen.ops.docker', '--to', '1.1.0', '--project', './billing-api']},
  {command: 'packs:verify', args: ['verify', '--all', '--show-conflicts']},
  {command: 'packs:verify', args: ['verify', '--manifest', 'billing-prod.json', '--project', './billing-api'], setup: [prodOfBilling]},
  {command: 'packs:verify', args: ['verify', '--manifest', 'prod.json', '--env', 'staging'], code: 1, setup: [prodManifest]},
  {command: 'packs:why', args: ['why', 'io.ggen.core.util', '--project', './storefront']},
]

/** failures: each validates against error.json and exits with its code */
const errorCases: (Case & {error: string})[] = [
  {command: 'packs:info', args: ['info', 'io.ggen.no.such.pack'], code: 4, error: 'E_NOT_FOUND'},
  {command: 'packs:list', args: ['list', '--no-such-flag'], code: 2, error: 'E_USAGE'},
  {command: 'packs:tree', args: ['tree', '--project', './storefront'], code: 3, error: 'E_PARSE', setup: [(ws) => writeFileSync(join(ws, 'storefront', 'ggen.toml'), '[project\nname = "storefront"\n')]},
]

const neo = await useNeo4j()
let example = ''
beforeAll(() => {
  example = buildExample()
}, 240_000)

/** run a case's setup and then the case in a fresh copy of the example (and an empty Neo4j) */
async function runCase(c: Case): Promise<CliResult> {
  const {cwd, env} = exampleWorkspace(copyExample(example))
  if (c.neo4j) {
    const s = neo.settings()
    await wipeNeo4j(s)
    Object.assign(env, {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})})
  }
  for (const step of c.setup ?? []) {
    if (typeof step === 'function') step(cwd)
    else {
      const r = runCli(['packs', ...step], {cwd, env})
      if (r.code !== 0) throw new Error(`setup \`ggen packs ${step.join(' ')}\` exited ${r.code}\n${r.stderr}${r.stdout}`)
    }
  }
  return runCli(['packs', ...c.args, '--json'], {cwd, env})
}

function expectValid(name: string, r: CliResult): void {
  expect(r.json, `stdout is JSON\n${r.stderr}\n${r.stdout.slice(0, 2000)}`).toBeDefined()
  const validate = validator(name)
  expect(validate(r.json), `${name}.json: ${JSON.stringify(validate.errors, null, 1)}\n${r.stdout.slice(0, 2000)}`).toBe(true)
}

describe('every command has a schema and a case', () => {
  it('the binary has our commands', () => {
    expect(commandIds.length).toBeGreaterThan(25)
    expect(commandIds).toContain('packs:manifest:lock')
  })

  it('a schema file per command, the error schema, and no other', () => {
    const want = [...commandIds.map((id) => `${schemaName(id)}.json`), 'error.json'].sort()
    expect(readdirSync(schemaDir).sort()).toEqual(want)
  })

  it('a success case here per command', () => {
    const covered = new Set(cases.map((c) => c.command))
    expect(commandIds.filter((id) => !covered.has(id)), 'commands with no --json case in this file').toEqual([])
    expect([...covered].filter((id) => !commandIds.includes(id)), 'cases for commands that do not exist').toEqual([])
  })

  it('every schema compiles (ajv strict mode) and requires what its type requires', () => {
    for (const f of readdirSync(schemaDir)) expect(() => validator(f.replace(/\.json$/, '')), f).not.toThrow()
    const lock = JSON.parse(readFileSync(schemaFile('packs-manifest-lock'), 'utf8'))
    expect(lock.definitions.LockManifestResult.required).toEqual(['file', 'manifest', 'resolved', 'added', 'checked'])
    expect(lock.definitions.Manifest.additionalProperties).toBe(false)
  })
})

describe('--json output matches the command\'s schema', () => {
  for (const c of cases) {
    const title = `ggen packs ${c.args.join(' ')} --json${c.code ? ` (exit ${c.code})` : ''}`
    const skip = c.neo4j && neo.skip
    it.skipIf(!!skip)(skip ? `${title} (skipped: ${skip})` : title, async () => {
      const r = await runCase(c)
      expect(r.code, `exit code\n${r.stderr}\n${r.stdout.slice(0, 2000)}`).toBe(c.code ?? 0)
      expectValid(schemaName(c.command), r)
      expect(r.json, 'a bare result, not an error').not.toHaveProperty('error')
    }, 120_000)
  }

  it('a schema rejects output that drifted from it', async () => {
    const r = await runCase({command: 'packs:gc', args: ['gc', '--dry-run']})
    expectValid('packs-gc', r)
    const validate = validator('packs-gc')
    expect(validate({...r.json, unexpected: true}), 'an undeclared property').toBe(false)
    const required = (JSON.parse(readFileSync(schemaFile('packs-gc'), 'utf8')).definitions.GcResult.required as string[])[0]!
    const missing = {...r.json}
    delete missing[required]
    expect(validate(missing), `without ${required}`).toBe(false)
  })
})

describe('failures print {"error": ...} and exit with its code', () => {
  for (const c of errorCases) {
    it(`ggen packs ${c.args.join(' ')} --json: ${c.error}, exit ${c.code}`, async () => {
      const r = await runCase(c)
      expect(r.code, r.stderr).toBe(c.code)
      expectValid('error', r)
      expect(r.json.error.code).toBe(c.error)
      expect(existsSync(schemaFile(schemaName(c.command)))).toBe(true)
    })
  }
})
