/**
 * Find a Neo4j for the tests, in this order:
 *   1. GGEN_NEO4J_URI (with GGEN_NEO4J_USER / GGEN_NEO4J_PASSWORD / GGEN_NEO4J_DATABASE) if set;
 *   2. testcontainers (neo4j:5.26-community) when a Docker engine answers a ping within ~1.5 s;
 *   3. `node scripts/neo4j/start.mjs` (idempotent: exits 0 when already up) when java and mvn run.
 * Under CI=true a missing Neo4j is a failure (findNeo4j throws); elsewhere the Neo4j suites are
 * reported as skipped with the reason in their name.
 *
 * The tests share one database (Neo4j community has one), so every file that uses it holds a
 * cross-process lock for its whole run (`useNeo4j` registers beforeAll/afterAll), and each test
 * wipes it first. Wiping refuses a database holding data not written by these tests (no
 * :GgenTestMarker node) unless GGEN_NEO4J_TEST_WIPE=1: pointing GGEN_NEO4J_URI at a team server
 * must not destroy it.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {homedir, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import neo4j from 'neo4j-driver'
import {afterAll, beforeAll} from 'vitest'
import type {Neo4jSettings} from '../../src/graph/open.js'
import {Neo4jGraphStore} from '../../src/graph/neo4j/neo4j-store.js'

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const PASSWORD = process.env.GGEN_NEO4J_PASSWORD || 'ggen-packs-local'

export interface Neo4jTestServer {
  settings: Neo4jSettings
  source: 'GGEN_NEO4J_URI' | 'testcontainers' | 'scripts/neo4j/start.mjs'
}

export type FindResult = {server: Neo4jTestServer; reason?: undefined} | {server?: undefined; reason: string}

const isCI = (): boolean => {
  const v = (process.env.CI ?? '').toLowerCase()
  return v !== '' && v !== '0' && v !== 'false'
}

/** a Docker engine answering GET /_ping quickly (never hangs) */
async function dockerAnswers(timeoutMs = 1500): Promise<boolean> {
  const host = process.env.DOCKER_HOST
  let socketPath: string | undefined
  let hostname: string | undefined
  let port: number | undefined
  if (host?.startsWith('unix://')) socketPath = host.slice('unix://'.length)
  else if (host?.startsWith('tcp://')) {
    const u = new URL(host.replace(/^tcp:/, 'http:'))
    hostname = u.hostname
    port = Number(u.port || 2375)
  } else {
    socketPath = ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock'), join(homedir(), '.docker/desktop/docker.sock')].find((p) => existsSync(p))
  }
  if (!socketPath && !hostname) return false
  return new Promise((done) => {
    const req = request({socketPath, hostname, port, path: '/_ping', method: 'GET', timeout: timeoutMs}, (res) => {
      res.resume()
      done(res.statusCode === 200)
    })
    req.on('timeout', () => {
      req.destroy()
      done(false)
    })
    req.on('error', () => done(false))
    req.end()
  })
}

const runs = (cmd: string, args: string[]): boolean => {
  const r = spawnSync(cmd, args, {stdio: 'ignore', timeout: 20_000})
  return r.status === 0
}

let found: Promise<FindResult> | undefined

/** find (or start) a Neo4j once per test process; throws under CI=true when there is none */
export function findNeo4j(): Promise<FindResult> {
  return (found ??= locate().then((r) => {
    if (!r.server && isCI()) throw new Error(`CI=true and no Neo4j for the tests: ${r.reason}`)
    return r
  }))
}

async function locate(): Promise<FindResult> {
  const env = process.env
  if (env.GGEN_NEO4J_URI) {
    return {server: {source: 'GGEN_NEO4J_URI', settings: {uri: env.GGEN_NEO4J_URI, user: env.GGEN_NEO4J_USER || 'neo4j', password: PASSWORD, database: env.GGEN_NEO4J_DATABASE || undefined}}}
  }
  if (await dockerAnswers()) {
    const {GenericContainer, Wait} = await import('testcontainers')
    const container = await new GenericContainer('neo4j:5.26-community')
      .withEnvironment({NEO4J_AUTH: `neo4j/${PASSWORD}`, NEO4J_server_memory_heap_max__size: '1g'})
      .withExposedPorts(7687)
      .withWaitStrategy(Wait.forLogMessage(/Started\./))
      .withStartupTimeout(180_000)
      .withReuse()
      .start()
    return {server: {source: 'testcontainers', settings: {uri: `bolt://${container.getHost()}:${container.getMappedPort(7687)}`, user: 'neo4j', password: PASSWORD}}}
  }
  if (runs('java', ['-version']) && runs('mvn', ['-v'])) {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/neo4j/start.mjs')], {cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 20 * 60_000})
    if (r.status !== 0) return {reason: `scripts/neo4j/start.mjs failed (exit ${r.status ?? r.signal})`}
    const port = env.GGEN_NEO4J_PORT || '7687'
    return {server: {source: 'scripts/neo4j/start.mjs', settings: {uri: `bolt://127.0.0.1:${port}`, user: 'neo4j', password: PASSWORD}}}
  }
  return {reason: 'no GGEN_NEO4J_URI, no Docker engine, and no java + mvn to run scripts/neo4j/start.mjs'}
}

// ---------- exclusive use across test files (vitest runs files in parallel processes) ----------

const lockDir = (s: Neo4jSettings) => join(tmpdir(), `ggen-packs-neo4j-test-${createHash('sha256').update(`${s.uri}|${s.database ?? ''}`).digest('hex').slice(0, 12)}.lock`)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function lockNeo4j(s: Neo4jSettings, timeoutMs = 15 * 60_000): Promise<() => void> {
  const dir = lockDir(s)
  const t0 = Date.now()
  while (true) {
    try {
      mkdirSync(dir)
      writeFileSync(join(dir, 'owner'), String(process.pid))
      return () => rmSync(dir, {recursive: true, force: true})
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      let owner = NaN
      try {
        owner = Number(readFileSync(join(dir, 'owner'), 'utf8'))
      } catch {
        // being created right now
      }
      if (Number.isInteger(owner) && !alive(owner)) rmSync(dir, {recursive: true, force: true})
      else if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for the Neo4j test lock ${dir}`)
      else await new Promise((r) => setTimeout(r, 200))
    }
  }
}

// ---------- a clean database per test ----------

// test-only statements (not part of the adapter, so not in cypher/)
const HAS_FOREIGN_DATA = 'MATCH (n) WHERE NOT n:GgenTestMarker WITH count(n) AS nodes OPTIONAL MATCH (m:GgenTestMarker) WITH nodes, count(m) AS marks RETURN nodes > 0 AND marks = 0 AS foreign'
// in batches, each its own transaction (an auto-commit query): one transaction over a database the bench filled exceeds the server's transaction memory
const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS'
const MARK = 'CREATE (:GgenTestMarker {note: "this database is wiped by the ggen-packs tests"})'

export async function wipeNeo4j(s: Neo4jSettings): Promise<void> {
  const driver = neo4j.driver(s.uri, neo4j.auth.basic(s.user, s.password))
  const session = driver.session({database: s.database})
  try {
    const res = await session.executeRead((tx) => tx.run(HAS_FOREIGN_DATA))
    if (res.records[0]?.get('foreign') === true && process.env.GGEN_NEO4J_TEST_WIPE !== '1') {
      throw new Error(`the Neo4j at ${s.uri} holds data the tests did not write; refusing to wipe it. Use an empty database, or set GGEN_NEO4J_TEST_WIPE=1 to allow it.`)
    }
    await session.run(WIPE)
    await session.executeWrite((tx) => tx.run(MARK))
  } finally {
    await session.close()
    await driver.close()
  }
}

/** run statements one by one, each in its own write transaction (e.g. an exported Cypher script) */
export async function runStatements(s: Neo4jSettings, statements: string[]): Promise<void> {
  const driver = neo4j.driver(s.uri, neo4j.auth.basic(s.user, s.password))
  const session = driver.session({database: s.database})
  try {
    for (const st of statements) await session.executeWrite((tx) => tx.run(st))
  } finally {
    await session.close()
    await driver.close()
  }
}

export interface Neo4jSuite {
  /** why the Neo4j cases are skipped (undefined when a server was found) */
  skip?: string
  settings: () => Neo4jSettings
  /** wipe the database and connect a new store (schema migrated) */
  fresh: () => Promise<Neo4jGraphStore>
}

/**
 * For a test file: find Neo4j (top-level await), and hold the cross-file lock from beforeAll to
 * afterAll. Use `describe.skipIf(!!neo.skip)` and `neo.fresh()`.
 */
export async function useNeo4j(): Promise<Neo4jSuite> {
  const r = await findNeo4j()
  let release: (() => void) | undefined
  if (r.server) {
    const s = r.server.settings
    beforeAll(async () => {
      release = await lockNeo4j(s)
    }, 16 * 60_000)
    afterAll(() => release?.())
  }
  return {
    skip: r.reason,
    settings: () => {
      if (!r.server) throw new Error(`no Neo4j: ${r.reason}`)
      return r.server.settings
    },
    fresh: async () => {
      if (!r.server) throw new Error(`no Neo4j: ${r.reason}`)
      await wipeNeo4j(r.server.settings)
      return Neo4jGraphStore.connect(r.server.settings)
    },
  }
}
