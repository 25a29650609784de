/**
 * Issue 10 (audit): every mutating command leaves an audit entry. The commands come from the oclif
 * manifest, so a new command fails this test until it is classified here: mutating ones (they
 * change a project's files, state under $GGEN_HOME other than caches, or the team graph) are run
 * on the bundled example and must append an entry with their kebab-case action; a failing run is
 * audited with result failure.
 */
import {cpSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoRoot, runCli, tempDir, type CliResult} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'
import {useNeo4j, wipeNeo4j} from '../support/neo4j.js'

/** commands that change nothing (or only files the user names as output, or caches) */
const READ_ONLY = new Set([
  'packs:list', 'packs:search', 'packs:info', 'packs:tree', 'packs:why', 'packs:dependents', 'packs:impact', 'packs:verify', 'packs:query',
  'packs:audit', // shows and verifies; --accept-anchor is audited (audit-accept-anchor, test/security/audit-tamper.test.ts)
  'packs:graph:export', 'packs:manifest:compare', 'packs:manifest:export',
  'packs:registry:keygen', // writes the key file the user names, nothing else
  'packs:bundle:list', 'packs:bundle:show', 'packs:bundle:export',
  'packs:export', // writes only the files the user names (--output, --output-dir) and the snapshot cache
  'packs:stats',
])

interface Case {
  /** argv after `packs` (run from the example workspace) */
  args: (w: string) => string[]
  action: string
  neo4j?: boolean
  /** make the state the command acts on */
  setup?: (w: string) => void
}

const MUTATING: Record<string, Case> = {
  'packs:install': {args: (w) => ['install', 'io.ggen.core.log', '--project', join(w, 'thesis')], action: 'install'},
  'packs:update': {args: (w) => ['update', '--project', join(w, 'thesis')], action: 'update'},
  'packs:uninstall': {args: (w) => ['uninstall', 'io.ggen.core.log', '--project', join(w, 'thesis')], action: 'uninstall'},
  'packs:rollback': {args: (w) => ['rollback', '--to', '0', '--project', join(w, 'thesis')], action: 'rollback'},
  'packs:undo': {args: (w) => ['undo', '--project', join(w, 'thesis')], action: 'undo'},
  // a project with a ggen.toml and no lockfile yet: the first way out installs it (the install transaction)
  'packs:resolve': {
    args: (w) => ['resolve', 'io.ggen.core.log', '--apply', '--project', join(w, 'new-service')],
    action: 'install',
    setup: (w) => {
      mkdirSync(join(w, 'new-service'))
      writeFileSync(join(w, 'new-service', 'ggen.toml'), '[project]\nname = "new-service"\n\n[packs]\n"io.ggen.core.log" = "^1.0.0"\n')
    },
  },
  'packs:manifest:generate': {args: (w) => ['manifest', 'generate', 'prod', '--all', '--output', join(w, 'prod.json')], action: 'manifest-generate'},
  'packs:manifest:lock': {args: (w) => ['manifest', 'lock', join(w, 'prod.json')], action: 'manifest-lock'},
  'packs:manifest:apply': {args: (w) => ['manifest', 'apply', join(w, 'prod.json'), '--project', join(w, 'billing-api-staging')], action: 'manifest-apply'},
  'packs:gc': {args: () => ['gc'], action: 'gc'},
  'packs:audit:export': {args: (w) => ['audit', 'export', '--output', join(w, 'audit.jsonl')], action: 'audit-export'},
  'packs:registry:build': {args: (w) => ['registry', 'build', join(repoRoot, 'examples', 'gpacks'), join(w, 'reg-copy')], action: 'registry-build'},
  'packs:registry:trust': {args: (w) => ['registry', 'trust', '--remove', join(w, '..', 'registry')], action: 'trust-remove'},
  'packs:projects:prune': {args: () => ['projects', 'prune'], action: 'projects-prune', setup: (w) => rmSync(join(w, 'ops-tooling'), {recursive: true})},
  'packs:graph:sync': {args: () => ['graph', 'sync'], action: 'graph-sync', neo4j: true},
  'packs:bundle:create': {args: () => ['bundle', 'create', 'team-standard', '--team', 'payments'], action: 'bundle-create'},
  'packs:bundle:add': {args: () => ['bundle', 'add', 'team-standard', 'io.ggen.rust.web@^1.0.0', 'io.ggen.core.log@*'], action: 'bundle-add'},
  'packs:bundle:remove': {args: () => ['bundle', 'remove', 'team-standard', 'io.ggen.core.log'], action: 'bundle-remove'},
  'packs:bundle:apply': {args: (w) => ['bundle', 'apply', 'team-standard', '--project', join(w, 'billing-api')], action: 'bundle-apply'},
  'packs:bundle:import': {
    args: (w) => ['bundle', 'import', join(w, 'shared.toml')],
    action: 'import',
    setup: (w) => writeFileSync(join(w, 'shared.toml'), 'id = "shared"\nname = "shared"\ncreated_at = "2026-01-01T00:00:00Z"\n[[packages]]\nid = "io.ggen.core.log"\nversion = "*"\n'),
  },
  'packs:bundle:delete': {args: () => ['bundle', 'delete', 'shared'], action: 'bundle-delete'},
  'packs:import': {args: (w) => ['import', join(w, 'legacy', 'ggen-v1.lock'), '--project', join(w, 'thesis')], action: 'import'},
  'packs:deprecate': {args: () => ['deprecate', 'io.ggen.core.util@<1.3.0', '--message', 'use 1.3 or later'], action: 'deprecate'},
  // the scan itself is audited as security-scan (test/commands/security-scan.test.ts)
  'packs:security-scan': {args: () => ['security-scan', '--vulnerability-db-update', '--from', join(repoRoot, 'examples', 'advisories')], action: 'security-db-update'},
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
const neo = await useNeo4j()

let ex: Example
let env: Record<string, string> = {}
beforeAll(() => {
  ex = exampleHome()
  env = {...ex.env}
}, 240_000)

const entries = (): {action: string; result: string; details: string}[] => (runCli(['packs', 'audit', '--json'], {env}).json?.entries ?? [])

describe('audit coverage', () => {
  it('every command of the manifest is classified as read-only or mutating', () => {
    const ours = Object.keys(manifest.commands).filter((id) => id.startsWith('packs:')).sort()
    const classified = [...READ_ONLY, ...Object.keys(MUTATING)].sort()
    expect(ours).toEqual(classified)
  })

  for (const [id, c] of Object.entries(MUTATING)) {
    it.skipIf(!!c.neo4j && !!neo.skip)(`${id} appends a ${c.action} entry${c.neo4j && neo.skip ? ` (skipped: ${neo.skip})` : ''}`, async () => {
      const extra: Record<string, string> = {}
      c.setup?.(ex.workspace)
      if (c.neo4j) {
        const s = neo.settings()
        await wipeNeo4j(s)
        Object.assign(extra, {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})})
      }
      const before = entries().length
      const r: CliResult = runCli(['packs', ...c.args(ex.workspace), '--json'], {env: {...env, ...extra}, cwd: ex.workspace})
      const after = entries()
      const added = after.slice(before)
      expect(added.map((e) => e.action), `${id}: exit ${r.code}\n${r.stderr}`).toContain(c.action)
      const mine = added.filter((e) => e.action === c.action)
      // exit 1 reports findings of a completed run; 2 and above are failures
      expect(mine.every((e) => e.result === ((r.code ?? 70) <= 1 ? 'success' : 'failure')), JSON.stringify(mine)).toBe(true)
    }, 120_000)
  }

  it('entries of a project carry its team; --team, --machine and --until filter', () => {
    const all = runCli(['packs', 'audit', '--json'], {env}).json.entries as {team?: string; environment: {project: string | null; machine: string}; timestamp: string}[]
    const billing = all.filter((e) => e.environment.project?.endsWith('/billing-api'))
    expect(billing.length).toBeGreaterThan(0)
    expect(new Set(billing.map((e) => e.team)), JSON.stringify(billing.filter((e) => !e.team))).toEqual(new Set(['payments']))
    const payments = runCli(['packs', 'audit', '--team', 'payments', '--json'], {env}).json.entries as typeof all
    expect(payments.length).toBe(all.filter((e) => e.team === 'payments').length)
    expect(payments.every((e) => e.team === 'payments')).toBe(true)
    expect(runCli(['packs', 'audit', '--machine', 'no-such-machine', '--json'], {env}).json.entries).toEqual([])
    expect(runCli(['packs', 'audit', '--machine', 'example-laptop', '--json'], {env}).json.entries).toHaveLength(all.length)
    expect(runCli(['packs', 'audit', '--until', '2000-01-01', '--json'], {env}).json.entries).toEqual([])
    const bad = runCli(['packs', 'audit', '--until', 'someday', '--json'], {env})
    expect(bad.code).toBe(2)
    expect(bad.json.error.message).toContain('--until someday')
  })

  it('a failing mutating command is audited with result failure', () => {
    const copy = tempDir()
    cpSync(join(ex.workspace, 'thesis'), join(copy, 'thesis'), {recursive: true})
    const before = entries().length
    const r = runCli(['packs', 'manifest', 'lock', join(copy, 'no-such-manifest.json'), '--json'], {env})
    expect(r.code).not.toBe(0)
    const added = entries().slice(before)
    expect(added).toEqual([expect.objectContaining({action: 'manifest-lock', result: 'failure'})])
    expect(added[0]!.details).toMatch(/no-such-manifest/)
  })
})
