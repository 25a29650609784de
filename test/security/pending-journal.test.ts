/**
 * Read commands see one committed state while a transaction's journal is pending.
 *
 * An install killed (SIGKILL) after it wrote the new ggen.toml and before the new lockfile leaves
 * new ggen.toml + old lockfile + `.ggen/txn.json` + a stale project lock. Until a mutating
 * command recovers the journal, `list --json`, `tree`, `verify` (one project and --all) must
 * answer exactly as before the install — they read the journal's `before` — and must not write
 * into the project (its lock holder may be alive: a live holder changes nothing). After
 * recovery the answers are the same again. Readers racing a live writer never see a mix.
 */
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {binPath, buildRegistry, repoRoot, runCli, runCliAsync, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {digestTree} from '../support/faults.js'

const root = tempDir('ggen-journal-')
const home = join(root, 'home')
const proj = join(root, 'proj')
const journal = join(proj, '.ggen', 'txn.json')
const projectLock = join(proj, '.ggen', '.packs.lck')
let registry = ''
const env = () => ({GGEN_HOME: home, GGEN_REGISTRY_URL: registry})
const cli = (args: string[]): CliResult => runCli([...args, '--json'], {env: env()})

const readers: Record<string, string[]> = {
  list: ['packs', 'list'],
  tree: ['packs', 'tree', '--project', proj],
  verify: ['packs', 'verify', '--project', proj],
  'verify --all': ['packs', 'verify', '--all'],
}

/** every reader's exit code and --json answer */
function answers(): Record<string, {code: number | null; json: unknown}> {
  return Object.fromEntries(Object.entries(readers).map(([k, args]) => {
    const r = cli(args)
    return [k, {code: r.code, json: r.json}]
  }))
}

const files = () => ({toml: readFileSync(join(proj, 'ggen.toml'), 'utf8'), lock: readFileSync(join(proj, '.ggen', 'packs.lock'), 'utf8')})

/** run install io.j.extra and SIGKILL it at the write of the lockfile (after the new ggen.toml) */
function killedInstall(): Promise<{signal: NodeJS.Signals | null}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binPath, 'packs', 'install', 'io.j.extra', '--project', proj], {
      cwd: repoRoot,
      env: {...process.env, ...env(), NO_COLOR: '1', GGEN_PROGRESS: '0', GGEN_MACHINE: 'test-machine', GGEN_PACKS_FAULT: 'kill:packs.lock'},
      stdio: 'ignore',
    })
    child.on('close', (_code, signal) => resolve({signal}))
  })
}

let old: ReturnType<typeof files>
let baseline: ReturnType<typeof answers>

beforeAll(() => {
  registry = buildRegistry(join(root, 'reg'), [
    {id: 'io.j.base', version: '1.0.0'},
    {id: 'io.j.lib', version: '1.0.0', deps: {'io.j.base': '^1.0.0'}},
    {id: 'io.j.extra', version: '1.0.0'},
  ])
  writeProject(proj, 'journaled', {'io.j.lib': '^1.0.0'})
  const r = cli(['packs', 'install', '--project', proj])
  if (r.code !== 0) throw new Error(r.stderr)
  old = files()
  baseline = answers() // also warms the caches the readers use
})

afterAll(() => rmSync(root, {recursive: true, force: true}))

describe('a crashed install (killed between the new ggen.toml and the new lockfile)', () => {
  it('leaves new ggen.toml + old lockfile + journal; readers answer as before it and write nothing', async () => {
    expect(baseline.verify!.code).toBe(0)
    expect((baseline.tree!.json as {dependencies: {id: string}[]}).dependencies.map((d) => d.id)).toEqual(['io.j.lib'])

    const k = await killedInstall()
    expect(k.signal).toBe('SIGKILL')
    const now = files()
    expect(now.toml).not.toBe(old.toml) // the new ggen.toml (it requires io.j.extra) ...
    expect(now.toml).toContain('io.j.extra')
    expect(now.lock).toBe(old.lock) // ... with the old lockfile
    expect(existsSync(journal)).toBe(true)
    expect(JSON.parse(readFileSync(projectLock, 'utf8')).pid).toBeGreaterThan(0) // a stale lock

    const disk = digestTree(proj)
    expect(answers()).toEqual(baseline)
    expect(digestTree(proj), 'readers wrote nothing into the project').toEqual(disk)
  })

  it('with a live lock holder the readers neither wait nor write', () => {
    const held = JSON.stringify({pid: process.pid, host: hostname(), started: new Date().toISOString()})
    writeFileSync(projectLock, held)
    const disk = digestTree(proj)
    const t0 = Date.now()
    expect(answers()).toEqual(baseline)
    expect(Date.now() - t0).toBeLessThan(60_000)
    expect(digestTree(proj)).toEqual(disk)
    expect(readFileSync(projectLock, 'utf8')).toBe(held)
    rmSync(projectLock) // "our" live transaction ends without committing; the journal stays
  })

  it('a journal of the wrong shape is a format error naming it, for readers and for recovery (never read as "no journal", never acted on)', () => {
    const text = readFileSync(journal, 'utf8')
    const broken = JSON.stringify({...JSON.parse(text), before: 5})
    writeFileSync(journal, broken)
    try {
      const disk = digestTree(proj)
      // a reader, and the recovery a mutating command runs first
      for (const args of [readers.verify!, ['packs', 'rollback', '--list', '--project', proj]]) {
        const r = cli(args)
        expect(r.code, r.stdout).toBe(3)
        expect(r.json.error.code).toBe('E_SCHEMA')
        expect(r.json.error.file).toBe(journal)
        expect(r.json.error.field).toBe('before')
        expect(readFileSync(journal, 'utf8')).toBe(broken)
        rmSync(projectLock, {force: true})
        expect(digestTree(proj)).toEqual(disk)
      }
    } finally {
      writeFileSync(journal, text)
    }
  })

  it('after a mutating command recovers the journal, the files are the old ones and the answers unchanged', () => {
    const r = cli(['packs', 'rollback', '--list', '--project', proj])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.recovered).toBe(true)
    expect(existsSync(journal)).toBe(false)
    expect(files()).toEqual(old)
    expect(answers()).toEqual(baseline)
  })
})

describe('readers racing a live writer', () => {
  it('never see a ggen.toml and a lockfile from different states', async () => {
    const writer = (async () => {
      for (let i = 0; i < 4; i++) {
        for (const args of [['packs', 'install', 'io.j.extra', '--project', proj], ['packs', 'uninstall', 'io.j.extra', '--project', proj]]) {
          const w = await runCliAsync(args, {env: env()})
          expect(w.code, w.stderr).toBe(0)
        }
      }
    })()
    const seen: number[] = []
    const reader = (async () => {
      for (let i = 0; i < 10; i++) {
        const r = await runCliAsync(['packs', 'verify', '--project', proj, '--json'], {env: env()})
        seen.push(r.code ?? -1)
        // either state is fine; a mix (ggen.toml requiring io.j.extra, lockfile without it) fails verify
        expect(r.code, r.stdout).toBe(0)
        expect(r.json.ok).toBe(true)
      }
    })()
    await Promise.all([writer, reader])
    expect(seen).toHaveLength(10)
  }, 240_000)
})
