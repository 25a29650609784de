/**
 * Zero data loss, proven with the real binary. For `install` and `manifest apply`:
 *
 *   1. GGEN_PACKS_FAULT=trace counts the write steps (stderr `[fault-step N] name`) and gives the
 *      "new" state; the "old" state is the project before the operation (history generation 1).
 *   2. kill:N for every N: the process dies by SIGKILL at write step N. Then
 *        - the project lock `.ggen/.packs.lck` still names the dead pid (a stale lock);
 *        - ggen.toml + lockfile are wholly old or wholly new, or a journal `.ggen/txn.json` exists
 *          whose `before` is the old state;
 *        - the next command takes the stale lock over and recovers the journal: `rollback --to 1`
 *          for most N (it reports whether anything was left to roll back: only a committed, wholly
 *          new state), `rollback --list` and a no-op `install` where a journal is certain; after
 *          those the files are checked directly: wholly old or wholly new, history consistent with
 *          them (generation 2 exists iff new) and, when new, every locked store entry present;
 *        - `rollback --to 1` restores the old state byte for byte and releases the lock;
 *        - after a kill inside the store (steps 1-2), running the operation again works.
 *   3. fail:N for every N: the command fails with E_INJECTED (exit 70) and the files are byte-
 *      identical, with no journal, no lock and no new generation — except a failure injected after
 *      the commit point (the audit append that follows `remove:txn.json`), where the change is
 *      already committed and stays wholly new (see the note at FAIL_AFTER_COMMIT).
 *
 * Each N starts from a fresh copy of the same old state at the same paths (history is keyed by the
 * project path), and two workers run the N's in parallel.
 */
import {spawn} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {historyDir} from '../../src/workspace/history.js'
import {integrityDirName} from '../../src/store/integrity.js'
import {homePaths} from '../../src/workspace/home.js'
import {binPath, buildRegistry, repoRoot, tempDir, writeProject, type GpackSpec} from '../support/cli.js'

const root = tempDir('ggen-crash-')
let registry = ''
/** parallel workers (each CLI run is ~0.5 s of CPU) */
const WORKERS = Math.max(2, Math.min(4, availableParallelism()))

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  pid: number
  stdout: string
  stderr: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  const e: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', GGEN_PROGRESS: '0', GGEN_MACHINE: 'test-machine', GGEN_REGISTRY_URL: registry, ...env}
  for (const k of ['GGEN_OFFLINE', 'GGEN_BACKEND', 'GGEN_PACKS_FAULT', 'GGEN_REQUIRE_SIGNATURES']) if (!(k in env)) delete e[k]
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], {env: e, cwd: repoRoot})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code, signal) => {
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({code, signal, pid: child.pid!, stdout, stderr, json})
    })
  })
}

const read = (f: string) => readFileSync(f, 'utf8')
const readOrNull = (f: string) => (existsSync(f) ? read(f) : null)

const specs: GpackSpec[] = [
  {id: 'io.c.base', version: '1.0.0'},
  {id: 'io.c.base', version: '2.0.0'},
  {id: 'io.c.lib', version: '1.0.0', deps: {'io.c.base': '^1.0.0'}},
  {id: 'io.c.lib', version: '2.0.0', deps: {'io.c.base': '^2.0.0'}},
  {id: 'io.c.extra', version: '1.0.0'},
]

/** one worker's sandbox: the same paths are reset to the old state before every N */
class Slot {
  readonly home: string
  readonly proj: string
  private readonly base: string
  /** this slot's old state (its own baseline install: its own timestamps) */
  old: {toml: string | null; lock: string | null} = {toml: null, lock: null}
  constructor(readonly dir: string) {
    this.home = join(dir, 'home')
    this.proj = join(dir, 'proj')
    this.base = join(dir, 'base')
  }
  get env() {
    return {GGEN_HOME: this.home}
  }
  async init(): Promise<void> {
    writeProject(this.proj, 'crash', {'io.c.lib': '^1.0.0'}, '\n[templates]\nout = "generated"')
    const r = await run(['packs', 'install', '--project', this.proj], this.env)
    if (r.code !== 0) throw new Error(`baseline install failed: ${r.stderr}`)
    this.old = this.files()
    mkdirSync(this.base, {recursive: true})
    cpSync(this.proj, join(this.base, 'proj'), {recursive: true})
    cpSync(this.home, join(this.base, 'home'), {recursive: true})
  }
  reset(): void {
    rmSync(this.proj, {recursive: true, force: true})
    rmSync(this.home, {recursive: true, force: true})
    cpSync(join(this.base, 'proj'), this.proj, {recursive: true})
    cpSync(join(this.base, 'home'), this.home, {recursive: true})
  }
  files() {
    return {toml: readOrNull(join(this.proj, 'ggen.toml')), lock: readOrNull(join(this.proj, '.ggen', 'packs.lock'))}
  }
  journal(): {before: {toml: string | null; lock: string | null}} | null {
    const t = readOrNull(join(this.proj, '.ggen', 'txn.json'))
    return t === null ? null : JSON.parse(t)
  }
  lockHolder(): {pid: number} | null {
    const t = readOrNull(join(this.proj, '.ggen', '.packs.lck'))
    return t === null ? null : JSON.parse(t)
  }
  generations(): number[] {
    const d = historyDir(homePaths(this.home), this.proj)
    return existsSync(d) ? readdirSync(d).filter((n) => /^\d{6}\.json$/.test(n)).sort().map((n) => Number(n.slice(0, 6))) : []
  }
  storeHas(integrity: string): boolean {
    return existsSync(join(this.home, 'store', 'v1', integrityDirName(integrity), '.ggen-store.json'))
  }
}

/** the lockfile without its timestamps: what must be equal between two runs of one operation */
function normalizeLock(text: string | null): string | null {
  if (text === null) return null
  const l = JSON.parse(text) as {updated_at?: string; packs: Record<string, {installed_at?: string}>}
  delete l.updated_at
  for (const e of Object.values(l.packs)) delete e.installed_at
  return JSON.stringify(l)
}

interface Scenario {
  name: string
  args: (slot: Slot) => string[]
  steps: string[]
  next: {toml: string | null; lockNorm: string | null}
}

type State = 'old' | 'new' | 'mixed'

function classify(s: Scenario, slot: Slot, f = slot.files()): State {
  if (f.toml === slot.old.toml && f.lock === slot.old.lock) return 'old'
  if (f.toml === s.next.toml && normalizeLock(f.lock) === s.next.lockNorm) return 'new'
  return 'mixed'
}

/** run `work` for every item on the slots in parallel; stops handing out items after a failure and waits for every worker */
async function pool<T>(slots: Slot[], items: T[], work: (slot: Slot, item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  let failed = false
  const results = await Promise.allSettled(
    slots.map(async (slot) => {
      for (let item = queue.shift(); item !== undefined && !failed; item = queue.shift()) {
        try {
          await work(slot, item)
        } catch (error) {
          failed = true
          throw error
        }
      }
    }),
  )
  const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (bad) throw bad.reason
}

let slots: Slot[] = []
let manifestFile = ''
const timings: string[] = []

beforeAll(async () => {
  registry = buildRegistry(root, specs)
  // the manifest `manifest apply` applies: lib removed, base upgraded, extra added
  const index = JSON.parse(read(join(registry, 'index.json')))
  const entry = (id: string, version: string, transitive = false) => ({id, required_version: version, version, integrity: index.packages[id].versions[version].integrity, transitive})
  manifestFile = join(root, 'prod.json')
  writeFileSync(
    manifestFile,
    JSON.stringify({version: '1', created_at: '2026-01-01T00:00:00Z', environment: 'prod', metadata: {created_by: 'crash-test', locked_at: '2026-01-01T00:00:00Z'}, packages: [entry('io.c.base', '2.0.0'), entry('io.c.extra', '1.0.0')]}),
  )
  slots = Array.from({length: WORKERS}, (_, i) => new Slot(join(root, `slot-${i}`)))
  await Promise.all(slots.map((s) => s.init()))
})
afterAll(() => {
  if (timings.length) process.stdout.write(`crash-safety timings:\n  ${timings.join('\n  ')}\n`)
  rmSync(root, {recursive: true, force: true})
})

async function trace(name: string, args: (slot: Slot) => string[]): Promise<Scenario> {
  const slot = slots[0]!
  slot.reset()
  const r = await run(args(slot), {...slot.env, GGEN_PACKS_FAULT: 'trace'})
  expect(r.code, r.stderr).toBe(0)
  const steps = [...r.stderr.matchAll(/^\[fault-step (\d+)\] (.+)$/gm)].map((m) => m[2]!)
  const after = slot.files()
  expect(after.lock).not.toBe(slot.old.lock)
  return {name, args, steps, next: {toml: after.toml, lockNorm: normalizeLock(after.lock)}}
}

const STORE_STEP = /^write:(\.ggen-store\.json|index\.json)$/

async function killLoop(s: Scenario): Promise<void> {
  const started = Date.now()
  const ns = s.steps.map((_, i) => i + 1)
  const seen: Record<State | 'journal', number> = {old: 0, new: 0, mixed: 0, journal: 0}
  await pool(slots, ns, async (slot, n) => {
    const what = `${s.name} kill:${n} (${s.steps[n - 1]})`
    slot.reset()
    const killed = await run(s.args(slot), {...slot.env, GGEN_PACKS_FAULT: `kill:${n}`})
    expect(killed.signal, `${what}: ${killed.stderr}`).toBe('SIGKILL')

    // a stale lock: the file names the dead process
    expect(slot.lockHolder()?.pid, `${what}: lock holder`).toBe(killed.pid)
    expect(() => process.kill(killed.pid, 0), `${what}: killed process is gone`).toThrow()

    // wholly old, wholly new, or a journal that names the old state
    const files = slot.files()
    const journal = slot.journal()
    const state = classify(s, slot, files)
    if (journal) {
      seen.journal++
      expect(journal.before, `${what}: journal.before is the old state`).toEqual(slot.old)
    } else {
      expect(state, `${what}: files without a journal`).not.toBe('mixed')
    }

    // the next command takes the stale lock over and recovers the journal
    // the first command after the kill: mostly `rollback --to 1` (it must recover, then restore); a
    // read command and a no-op install where the journal is certain, to show they recover too
    const step = s.steps[n - 1]!
    const first = step === 'write:ggen.toml' ? 'list' : step === 'write:000002.json' ? 'install' : 'rollback'
    let after: State
    if (first === 'rollback') {
      const r = await run(['packs', 'rollback', '--to', '1', '--project', slot.proj, '--json'], slot.env)
      expect(r.code, `${what}: rollback as the first command: ${r.stderr}`).toBe(0)
      // recovery restores the old state: only a committed (new) state leaves something to roll back
      after = journal ? 'old' : state
      expect(r.json.changed, `${what}: rollback changed`).toBe(after === 'new')
      if (journal) expect(r.stderr).toContain('after an interrupted')
    } else {
      if (first === 'list') {
        // read-only verify does not recover, but says the files may hold an uncommitted state
        const v = await run(['packs', 'verify', '--manifest', manifestFile, '--project', slot.proj, '--json'], slot.env)
        expect(v.code, `${what}: verify: ${v.stderr}`).toBe(1)
        expect(v.json.differences[0].kind, `${what}: verify reports the pending journal`).toBe('interrupted')
      }
      const r =
        first === 'list'
          ? await run(['packs', 'rollback', '--list', '--project', slot.proj, '--json'], slot.env)
          : await run(['packs', 'install', '--project', slot.proj, '--json'], slot.env)
      expect(r.code, `${what}: \`${first}\` after the kill: ${r.stderr}`).toBe(0)
      if (first === 'list') expect(r.json.recovered, `${what}: recovered`).toBe(!!journal)
      if (first === 'install') expect(r.json.changes, `${what}: install after recovery changes nothing`).toEqual([])
      after = classify(s, slot)
      expect(after, `${what}: after \`${first}\``).not.toBe('mixed')
      if (journal) expect(after, `${what}: a journal is recovered to the old state`).toBe('old')
      else expect(after, `${what}: without a journal nothing is touched`).toBe(state)
      expect(slot.journal(), `${what}: journal removed`).toBeNull()
      // history agrees with the files: generation 2 exists iff the state is new
      expect(slot.generations(), `${what}: generations`).toEqual(after === 'new' ? [1, 2] : [1])
      if (after === 'new') {
        for (const e of Object.values((JSON.parse(slot.files().lock!) as {packs: Record<string, {integrity: string}>}).packs)) expect(slot.storeHas(e.integrity), `${what}: store entry`).toBe(true)
      }
      const rb = await run(['packs', 'rollback', '--to', '1', '--project', slot.proj, '--json'], slot.env)
      expect(rb.code, `${what}: rollback: ${rb.stderr}`).toBe(0)
      expect(rb.json.changed).toBe(after === 'new')
    }
    seen[after]++
    // rollback restored the old state exactly, and released the lock
    expect(slot.files(), `${what}: old state after rollback`).toEqual(slot.old)
    expect(slot.lockHolder(), `${what}: lock released`).toBeNull()

    // a kill inside the store (step 1: a half-extracted temp entry; step 2: the entry in place but not
    // indexed, and a stale store lock) does not poison it
    if (n <= 2 && STORE_STEP.test(step)) {
      const again = await run(s.args(slot), slot.env)
      expect(again.code, `${what}: running the operation again: ${again.stderr}`).toBe(0)
      expect(classify(s, slot), `${what}: the operation again`).toBe('new')
    }
  })
  timings.push(`${s.name}: ${s.steps.length} write steps, kill loop ${((Date.now() - started) / 1000).toFixed(1)} s (${seen.journal} left a journal; afterwards ${seen.old} old, ${seen.new} new)`)
  expect(seen.old + seen.new).toBe(s.steps.length)
  // the audit entry is written inside the commit (before the journal goes), so every write step
  // comes before the commit point: a command killed before it finished always leaves the old
  // state, and the loop must have seen journals rolled back, not only untouched files
  expect(seen.old).toBe(s.steps.length)
  expect(seen.new).toBe(0)
  expect(seen.journal).toBeGreaterThan(0)
}

/**
 * An injected failure at any step, up to and including the journal's removal (the commit point),
 * leaves the files byte-identical and no new generation: runTransaction audits inside the commit.
 */
async function failLoop(s: Scenario): Promise<void> {
  const started = Date.now()
  const commit = s.steps.indexOf('remove:txn.json') + 1
  expect(commit).toBeGreaterThan(0)
  await pool(slots, s.steps.map((_, i) => i + 1), async (slot, n) => {
    const what = `${s.name} fail:${n} (${s.steps[n - 1]})`
    slot.reset()
    const r = await run([...s.args(slot), '--json'], {...slot.env, GGEN_PACKS_FAULT: `fail:${n}`})
    expect(r.code, `${what}: ${r.stderr}`).toBe(70)
    expect(r.json?.error?.code, what).toBe('E_INJECTED')
    expect(slot.journal(), `${what}: no journal`).toBeNull()
    expect(slot.lockHolder(), `${what}: lock released`).toBeNull()
    if (n <= commit) {
      expect(slot.files(), `${what}: byte-identical`).toEqual(slot.old)
      expect(slot.generations(), `${what}: no new generation`).toEqual([1])
    } else {
      const state = classify(s, slot)
      expect(['old', 'new'], `${what}: after the commit point`).toContain(state)
      expect(slot.generations(), `${what}: generations`).toEqual(state === 'new' ? [1, 2] : [1])
    }
  })
  timings.push(`${s.name}: fail loop ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

describe('crash safety', () => {
  let install: Scenario
  let apply: Scenario

  it('install: counts its write steps', async () => {
    install = await trace('install', (slot) => ['packs', 'install', 'io.c.lib@^2.0.0', '--project', slot.proj])
    expect(install.steps).toEqual([
      'write:version-states.json', // the registries' deprecated/yanked word on installed versions (a cache the offline list reads)
      expect.stringMatching(/^write:\d+-[a-z0-9]+\.json$/), // the store pin gc respects (issue 8)
      'write:.ggen-store.json',
      'write:index.json',
      'write:.ggen-store.json',
      'write:index.json',
      'write:txn.json',
      'write:ggen.toml',
      'write:packs.lock',
      'write:000002.json',
      'append:audit.log',
      'write:anchor.json',
      'remove:txn.json',
    ])
  })

  it('install: SIGKILL at every write step leaves the project wholly old or wholly new, recoverable, and rollback restores it', async () => {
    await killLoop(install)
  }, 240_000)

  it('install: an injected failure at every write step leaves the files byte-identical', async () => {
    await failLoop(install)
  }, 120_000)

  it('manifest apply: counts its write steps', async () => {
    apply = await trace('manifest apply', (slot) => ['packs', 'manifest', 'apply', manifestFile, '--project', slot.proj])
    expect(apply.steps.filter((x) => STORE_STEP.test(x)).length).toBe(4) // base 2.0.0 and extra 1.0.0 fetched
    expect(apply.steps.slice(-7)).toEqual(['write:txn.json', 'write:ggen.toml', 'write:packs.lock', 'write:000002.json', 'append:audit.log', 'write:anchor.json', 'remove:txn.json'])
    expect(apply.next.toml).toContain('"io.c.extra" = "1.0.0"')
    expect(apply.next.toml).toContain('[templates]')
  })

  it('manifest apply: SIGKILL at every write step leaves the project wholly old or wholly new, recoverable, and rollback restores it', async () => {
    await killLoop(apply)
  }, 240_000)

  it('manifest apply: an injected failure at every write step leaves the files byte-identical', async () => {
    await failLoop(apply)
  }, 120_000)
})
