/**
 * Issue 11: `packs security-scan` with the real binary on the bundled example (whose set-up
 * imports examples/advisories), each group in its own copy of $GGEN_HOME: the findings with their
 * merged ids, paths and fixes; exit codes; ignores; staleness; the advisory database update from
 * a folder, a zip and a URL (a local http server on 127.0.0.1), and what each refuses while the
 * old database stays as it was.
 */
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {repoRoot, runCli, runCliAsync, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'
import {useNeo4j, wipeNeo4j} from '../support/neo4j.js'
import {makeZip} from '../support/zip.js'

const neo = await useNeo4j()
let ex: Example
beforeAll(() => {
  ex = exampleHome()
}, 240_000)

/** a private copy of the example's $GGEN_HOME (the projects stay shared: scans only read them) */
function home(): Record<string, string> {
  const h = join(tempDir('ggen-scan-home-'), 'home')
  cpSync(ex.home, h, {recursive: true})
  return {...ex.env, GGEN_HOME: h}
}

const scan = (env: Record<string, string>, args: string[] = []): CliResult => runCli(['packs', 'security-scan', ...args, '--json'], {env, cwd: ex.workspace})
const update = (env: Record<string, string>, from: string, extra: string[] = []): CliResult => runCli(['packs', 'security-scan', '--vulnerability-db-update', '--from', from, ...extra, '--json'], {env, cwd: ex.workspace})
const dbText = (env: Record<string, string>) => readFileSync(join(env.GGEN_HOME!, 'advisories', 'db.json'), 'utf8')
const EXAMPLE_ADVISORIES = join(repoRoot, 'examples', 'advisories')

type Rec = Record<string, unknown>
const rec = (id: string, name: string, versions: string[], more: Rec = {}): Rec => ({id, modified: '2026-05-01T00:00:00Z', affected: [{package: {ecosystem: 'ggen', name}, versions}], ...more})
function folder(files: Record<string, unknown>): string {
  const dir = tempDir('ggen-advisories-')
  for (const [name, value] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), {recursive: true})
    writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value))
  }
  return dir
}

describe('the scan of the bundled example', () => {
  let env: Record<string, string>
  let r: CliResult
  beforeAll(() => {
    env = home()
    r = scan(env)
  })

  it('finds every affected locked version, merges the CVE into its GGEN advisory, drops the withdrawn one', () => {
    expect(r.code, r.stderr).toBe(0)
    const f = r.json.findings as {package: string; version: string; severity: string; advisories: {id: string; aliases: string[]; score?: number}[]; projects: {project: string; path: string[]}[]; fix: {kind: string; version?: string}}[]
    expect(f.map((x) => `${x.package}@${x.version}:${x.severity}`)).toEqual(['io.ggen.ops.docker@1.2.0:high', 'io.ggen.core.util@1.2.0:medium', 'io.ggen.ts.legacy-forms@0.2.0:medium'])
    const util = f[1]!
    expect(util.advisories.map((a) => [a.id, a.aliases, a.score])).toEqual([['GGEN-2026-0001', ['CVE-2026-31337'], 6.5]])
    expect(util.projects).toHaveLength(6)
    expect(JSON.stringify(f)).not.toContain('GGEN-2026-0004')
    expect(r.json.counts).toEqual({critical: 0, high: 1, medium: 2, low: 0, unknown: 0})
    expect(r.json.projects).toBe(7)
  })

  it('gives each project its dependency path (a transitive one through io.ggen.ops.k8s) and a fix', () => {
    const docker = r.json.findings[0]
    const ml = docker.projects.find((p: {project: string}) => p.project.endsWith('/ml-pipeline'))
    expect(ml.path).toEqual(['ml-pipeline', 'io.ggen.ops.k8s@1.1.0', 'io.ggen.ops.docker@1.2.0'])
    expect(docker.fix).toMatchObject({kind: 'upgrade', version: '1.1.0'})
    // core.util's only fixed release is yanked and core.log needs ^1.2.0: a direct dependency must move
    expect(r.json.findings[1].fix).toMatchObject({kind: 'move-direct', direct: {id: expect.any(String), from: expect.any(String), to: expect.any(String)}})
    expect(r.json.findings[2].fix.kind).toBe('none')
  })

  it('writes last-scan.json (the result) and an audit entry with the counts', () => {
    const text = readFileSync(join(env.GGEN_HOME!, 'advisories', 'last-scan.json'), 'utf8')
    expect(JSON.parse(text)).toEqual(r.json)
    // one serialisation serves the file and --json: the same bytes, as JSON.stringify(result, null, 2) writes them
    expect(text).toBe(r.stdout)
    expect(text).toBe(JSON.stringify(r.json, null, 2) + '\n')
    const entries = runCli(['packs', 'audit', '--action', 'security-scan', '--json'], {env}).json.entries as {details: string; result: string; affected_packages: string[]}[]
    const mine = entries.at(-1)!
    expect(mine.result).toBe('success')
    expect(mine.details).toContain('3 vulnerable package versions in 7 projects (high 1, medium 2)')
    expect(mine.affected_packages).toContain('io.ggen.ops.docker@1.2.0')
  })

  it('shows people the findings grouped by severity, the path and the fix', () => {
    const t = runCli(['packs', 'security-scan'], {env: {...env, NO_COLOR: '1'}, cwd: ex.workspace})
    expect(t.code).toBe(0)
    expect(t.stdout.indexOf('HIGH (1)')).toBeLessThan(t.stdout.indexOf('MEDIUM (2)'))
    expect(t.stdout).toContain('GGEN-2026-0001, CVE-2026-31337')
    expect(t.stdout).toContain('ml-pipeline -> io.ggen.ops.k8s@1.1.0 -> io.ggen.ops.docker@1.2.0')
    expect(t.stdout).toContain('fix: Downgrade io.ggen.ops.docker from 1.2.0 to 1.1.0')
    expect(t.stdout).toMatch(/fix: .*move the direct dependency io\.ggen\./)
    expect(t.stdout).toMatch(/advisory database: 4 records from .*examples\/advisories, updated .* \(0(\.\d+)? days old\)/)
  })

  it('--project scans one project', () => {
    const one = scan(env, ['--project', join(ex.workspace, 'thesis'), '--exit-code-if-vulns'])
    expect(one.code).toBe(0)
    expect(one.json).toMatchObject({projects: 1, findings: []})
  })
})

describe('install warns from the local database', () => {
  it('a new or moved version an advisory affects is named with its ids; an unaffected one and a withdrawn advisory are not', () => {
    const env = home()
    const dir = writeProject(join(tempDir('ggen-scan-install-'), 'svc'), 'svc')
    const bad = runCli(['packs', 'install', 'io.ggen.ops.docker@1.2.0', '--project', dir], {env})
    expect(bad.code, bad.stderr).toBe(0)
    expect(bad.stderr).toMatch(/io\.ggen\.ops\.docker@1\.2\.0 has 1 known vulnerability: GGEN-2026-0003 \(high\); see `ggen packs security-scan`/)
    // 1.0.0's only advisory is withdrawn; 1.1.0 is before the range
    for (const v of ['1.1.0', '1.0.0']) {
      const ok = runCli(['packs', 'update', 'io.ggen.ops.docker', '--to', v, '--project', dir], {env})
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stderr).not.toMatch(/known vulnerabilit/)
    }
  })
})

describe('exit codes', () => {
  const env = () => home()
  it('0 by default; 1 with --exit-code-if-vulns; --fail-on at or above the worst severity', () => {
    const e = env()
    expect(scan(e).code).toBe(0)
    expect(scan(e, ['--exit-code-if-vulns']).code).toBe(1)
    expect(scan(e, ['--fail-on', 'critical']).code).toBe(0)
    expect(scan(e, ['--fail-on', 'high']).code).toBe(1)
    expect(scan(e, ['--fail-on', 'low']).code).toBe(1)
    expect(scan(e, ['--fail-on', 'severe']).code).toBe(2)
  })
  it('an unknown severity counts as high for --fail-on', () => {
    const e = env()
    expect(update(e, folder({'u.json': rec('GGEN-U-1', 'io.ggen.academic.bib', ['1.0.0'])})).code).toBe(0)
    const r = scan(e, ['--project', join(ex.workspace, 'thesis'), '--fail-on', 'high'])
    expect(r.code).toBe(1)
    expect(r.json.findings[0]).toMatchObject({package: 'io.ggen.academic.bib', severity: 'unknown'})
    expect(scan(e, ['--project', join(ex.workspace, 'thesis'), '--fail-on', 'critical']).code).toBe(0)
  })
  it("the team policy's max_severity fails the scan when a finding is above it", () => {
    const e = env()
    writeFileSync(join(e.GGEN_HOME!, 'policy.toml'), '[policy]\nmax_severity = "medium"\n')
    const r = scan(e)
    expect(r.code).toBe(1)
    expect(r.json.policy).toMatchObject({max_severity: 'medium', exceeded: 1})
    writeFileSync(join(e.GGEN_HOME!, 'policy.toml'), '[policy]\nmax_severity = "high"\n')
    expect(scan(e).code).toBe(0)
  })
})

describe('ignores', () => {
  it('an unexpired ignore (by id or alias) hides the advisory and lists it; an expired one counts again and says so', () => {
    const e = home()
    writeFileSync(
      join(e.GGEN_HOME!, 'advisories', 'ignore.toml'),
      '[[IgnoredVulns]]\nid = "CVE-2026-31337"\nreason = "templates never pass user input to path_join"\nignoreUntil = 2999-01-01\n\n[[IgnoredVulns]]\nid = "GGEN-2026-0003"\nreason = "dev containers only"\nignoreUntil = 2020-01-01\n',
    )
    const r = scan(e)
    expect(r.code).toBe(0)
    expect(r.json.findings.map((f: {package: string}) => f.package)).toEqual(['io.ggen.ops.docker', 'io.ggen.ts.legacy-forms'])
    expect(r.json.ignored).toEqual([{id: 'GGEN-2026-0001', package: 'io.ggen.core.util', version: '1.2.0', reason: 'templates never pass user input to path_join', expires: '2999-01-01T00:00:00.000Z'}])
    expect(r.json.expired_ignores).toEqual([expect.objectContaining({id: 'GGEN-2026-0003', expired: '2020-01-01T00:00:00.000Z'})])
    expect(r.stderr).toContain('the ignore of GGEN-2026-0003')
    expect(r.stderr).toContain('expired')
  })
  it('--ignore-file replaces the default; a broken one is an error naming the file and field', () => {
    const e = home()
    const f = join(tempDir(), 'ignore.toml')
    writeFileSync(f, '[[IgnoredVulns]]\nid = "GGEN-2026-0002"\nreason = "deprecated, replaced next sprint"\n')
    expect(scan(e, ['--ignore-file', f]).json.ignored.map((i: {id: string}) => i.id)).toEqual(['GGEN-2026-0002'])
    writeFileSync(f, '[[IgnoredVulns]]\nid = "GGEN-2026-0002"\n')
    const bad = scan(e, ['--ignore-file', f])
    expect(bad.code).toBe(3)
    expect(bad.json.error).toMatchObject({code: 'E_SCHEMA', file: f, field: 'IgnoredVulns[0].reason'})
  })
})

describe('staleness', () => {
  it('past the maximum age the scan warns and marks the database stale; --max-db-age and config move the limit', () => {
    const e = home()
    const file = join(e.GGEN_HOME!, 'advisories', 'db.json')
    const db = JSON.parse(readFileSync(file, 'utf8'))
    db.meta.updated_at = new Date(Date.now() - 30 * 86_400_000).toISOString()
    writeFileSync(file, JSON.stringify(db))
    const r = scan(e)
    expect(r.json.database).toMatchObject({stale: true, age_days: 30})
    expect(r.stderr).toMatch(/advisory database is 30 days old/)
    const lenient = scan(e, ['--max-db-age', '60'])
    expect(lenient.json.database.stale).toBe(false)
    expect(lenient.stderr).not.toMatch(/days old/)
    writeFileSync(join(e.GGEN_HOME!, 'config.json'), JSON.stringify({advisories: {max_age_days: 90}}))
    expect(scan(e).json.database.stale).toBe(false)
  })
})

describe('the database update', () => {
  it('a malformed record among good ones is skipped with a warning naming the file and field; the rest load', () => {
    const e = home()
    const dir = folder({
      'good/a.json': rec('GGEN-T-1', 'io.ggen.academic.bib', ['1.0.0'], {database_specific: {severity: 'LOW'}}),
      'good/b.json': [rec('GGEN-T-2', 'io.ggen.docs.mdbook', ['1.1.0']), {id: 'GGEN-T-3', modified: 'yesterday'}],
      'bad.json': {...rec('GGEN-T-4', 'io.ggen.docs.mdbook', []), affected: [{package: {ecosystem: 'ggen', name: 'io.ggen.docs.mdbook'}, ranges: [{type: 'SEMVER', events: [{fixed: '1.0.0'}]}]}]},
      'broken.json': '{"id": ',
      'notes.txt': 'not an advisory',
    })
    const r = update(e, dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({records: 2, skipped: 3, vulnerabilities: 2})
    expect(r.stderr).toContain(`${join(dir, 'bad.json')}: field /affected/0/ranges/0/events`)
    expect(r.stderr).toMatch(/b\.json: field \/1\/modified/)
    expect(r.stderr).toMatch(/broken\.json: field \/: not JSON/)
    const s = scan(e, ['--project', join(ex.workspace, 'thesis')])
    expect(s.json.findings.map((f: {package: string; severity: string}) => `${f.package}:${f.severity}`)).toEqual(['io.ggen.docs.mdbook:unknown', 'io.ggen.academic.bib:low'])
  })

  it('a source with no valid record is refused and the old database kept', () => {
    const e = home()
    const before = dbText(e)
    const r = update(e, folder({'x.json': {id: 'X'}}))
    expect(r.code).toBe(3)
    expect(dbText(e)).toBe(before)
  })

  it('without --from: config advisories.source, else a usage error with a hint', () => {
    const e = home()
    const r = runCli(['packs', 'security-scan', '--vulnerability-db-update', '--json'], {env: e})
    expect(r.code).toBe(2)
    expect(r.json.error.hint).toContain('--from')
    writeFileSync(join(e.GGEN_HOME!, 'config.json'), JSON.stringify({advisories: {source: EXAMPLE_ADVISORIES}}))
    const ok = runCli(['packs', 'security-scan', '--vulnerability-db-update', '--json'], {env: e})
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json.source).toBe(EXAMPLE_ADVISORIES)
    const audit = runCli(['packs', 'audit', '--action', 'security-db-update', '--json'], {env: e}).json.entries as {result: string}[]
    expect(audit.map((x) => x.result).slice(-2)).toEqual(['failure', 'success'])
  })

  describe('from a zip', () => {
    const zipOf = (entries: Parameters<typeof makeZip>[0]) => {
      const f = join(tempDir(), 'all.zip')
      writeFileSync(f, makeZip(entries))
      return f
    }
    const records = [rec('GGEN-Z-1', 'io.ggen.academic.bib', ['1.0.0']), rec('GGEN-Z-2', 'io.ggen.docs.mdbook', ['1.1.0'])]

    it('imports the JSON entries (OSV all.zip layout)', () => {
      const e = home()
      const r = update(e, zipOf([...records.map((x) => ({name: `${x.id}.json`, data: JSON.stringify(x)})), {name: 'README', data: 'x'}]))
      expect(r.code, r.stderr).toBe(0)
      expect(r.json).toMatchObject({records: 2, vulnerabilities: 2})
    })

    type Entries = () => Parameters<typeof makeZip>[0] | null
    it.each<[string, Entries, Record<string, string>, RegExp]>([
      ['a zip bomb (an entry expanding 1000 times)', () => [{name: 'bomb.json', data: Buffer.alloc(4 * 1024 * 1024, 0x20)}], {}, /zip bomb/],
      ['too many entries', () => records.concat(records, records).map((x, i) => ({name: `${i}.json`, data: JSON.stringify(x)})), {GGEN_MAX_FILES: '4'}, /more than 4 entries/],
      ['an entry over the size of one entry', () => [{name: 'big.json', data: JSON.stringify({...records[0], details: 'x'.repeat(300_000)})}], {GGEN_MAX_FILE_BYTES: '100000'}, /max_file_bytes/],
      ['an entry that lies about its size', () => [{name: 'liar.json', data: JSON.stringify(records[0]), declaredSize: 10}], {}, /advisory zip/],
      ['a file that is no zip', () => null, {}, /not a zip/],
    ])('refuses %s and keeps the old database', (_name, entries, extraEnv, message) => {
      const e = {...home(), ...extraEnv}
      const before = dbText(e)
      const list = entries()
      const f = list ? zipOf(list) : join(tempDir(), 'fake.zip')
      if (!list) writeFileSync(f, 'PK? no')
      const r = update(e, f)
      expect(r.code, r.stderr).toBe(5)
      expect(r.json.error.code).toBe('E_TARBALL')
      expect(r.json.error.message).toMatch(message)
      expect(dbText(e)).toBe(before)
    })
  })

  describe('from a URL', () => {
    let server: Server
    let base = ''
    let requests = 0
    const zip = makeZip([{name: 'osv/GGEN-W-1.json', data: JSON.stringify(rec('GGEN-W-1', 'io.ggen.academic.bib', ['1.0.0']))}])
    beforeAll(async () => {
      server = createServer((req, res) => {
        requests++
        if (req.url === '/all.zip') return res.writeHead(200, {'content-type': 'application/zip'}).end(zip)
        if (req.url === '/one.json') return res.writeHead(200).end(JSON.stringify(rec('GGEN-W-2', 'io.ggen.docs.mdbook', ['1.1.0'])))
        if (req.url === '/broken.zip') {
          res.writeHead(200, {'content-length': String(zip.length * 4)})
          res.write(zip.subarray(0, 20))
          return setTimeout(() => res.destroy(), 50)
        }
        res.writeHead(404).end()
      })
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(() => server.close())

    const updateAsync = (e: Record<string, string>, from: string, extra: string[] = []) => runCliAsync(['packs', 'security-scan', '--vulnerability-db-update', '--from', from, ...extra, '--json'], {env: e})

    it('imports a zip or a JSON record served over http', async () => {
      const e = home()
      const z = await updateAsync(e, `${base}/all.zip`)
      expect(z.code, z.stderr).toBe(0)
      expect(z.json).toMatchObject({source: `${base}/all.zip`, records: 1})
      const j = await updateAsync(e, `${base}/one.json`)
      expect(j.json).toMatchObject({records: 1, vulnerabilities: 1})
      expect(JSON.parse(dbText(e)).vulnerabilities.map((v: {id: string}) => v.id)).toEqual(['GGEN-W-2'])
    })

    it('a broken download or a 404 keeps the old database (exit 6)', async () => {
      const e = home()
      const before = dbText(e)
      for (const path of ['/broken.zip', '/missing.zip']) {
        const r = await updateAsync(e, `${base}${path}`)
        expect(r.code, r.stderr).toBe(6)
        expect(r.json.error.code).toBe('E_REGISTRY')
      }
      expect(dbText(e)).toBe(before)
    })

    it('--offline refuses the URL without a request', async () => {
      const e = home()
      const n = requests
      const r = await updateAsync(e, `${base}/all.zip`, ['--offline'])
      expect(r.code).toBe(6)
      expect(r.json.error.code).toBe('E_OFFLINE')
      expect(requests).toBe(n)
    })
  })
})

describe.skipIf(!!neo.skip)(`the scan on Neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  it('after graph sync, --backend neo4j gives the same findings as the embedded graph', async () => {
    const s = neo.settings()
    await wipeNeo4j(s)
    const e = {...home(), GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})}
    const sync = await runCliAsync(['packs', 'graph', 'sync', '--json'], {env: e, cwd: ex.workspace})
    expect(sync.code, sync.stderr).toBe(0)
    const memory = scan(e)
    const team = await runCliAsync(['packs', 'security-scan', '--backend', 'neo4j', '--json'], {env: e, cwd: ex.workspace})
    expect(team.code, team.stderr).toBe(0)
    expect(team.json.backend).toBe('neo4j')
    expect(team.json.findings).toEqual(memory.json.findings)
    expect(team.json.counts).toEqual(memory.json.counts)
  }, 240_000)
})
