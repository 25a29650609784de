/**
 * File-system faults get a documented code, a path and a hint — never exit 70 "This is a bug" —
 * and leave every file as it was. Each fault below is provoked for real (as root: an unprivileged
 * uid through setpriv for EACCES, a read-only bind mount for EROFS, a full tmpfs for ENOSPC,
 * `ulimit -n` for EMFILE; a folder where a file should be and the reverse), then `install`,
 * `list`, `verify` and `gc` run through the real binary with --json. For each run:
 *   - the exit code is not 70 and stderr has no "This is a bug";
 *   - a refusal carries the documented code (E_PERMISSION, E_NO_SPACE, E_RESOURCE, E_FILESYSTEM:
 *     exit 8), the errno, a message naming the path, and a hint;
 *   - a command the fault does not stop (a read-only project still lists) succeeds;
 *   - no file in the project or in $GGEN_HOME changed, byte for byte. Left out of the comparison:
 *     $GGEN_HOME/cache (ours, rebuilt at will) and the audit log (a refused operation is audited
 *     by design); where the fault strikes after a download, new store entries may appear
 *     (content-addressed and unreferenced: the next gc removes them), but no existing one changes.
 * The figures (faults tried / mapped) are printed at the end for the closing note.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync, chmodSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect} from 'vitest'
import {itIf} from '../support/skip.js'
import {buildRegistry, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {canMount, canSwitchUser, chownTree, digestTree, mount, NOBODY, openTree, runBin, umount} from '../support/faults.js'

const root = tempDir('ggen-faults-')
let registry = ''
const nobodyHome = join(root, 'nobody-home')
const rootOk = canSwitchUser()
const mountOk = rootOk && canMount((() => (mkdirSync(join(root, 'probe'), {recursive: true}), join(root, 'probe')))())

type Cmd = 'install' | 'list' | 'verify' | 'gc'
const COMMANDS: Cmd[] = ['install', 'list', 'verify', 'gc']

/** what a command must do under the fault: succeed, report findings (exit 1), or refuse with a code */
type Expect = 'ok' | 'findings' | {code: string; errno: string; path: string}

interface Dirs {
  home: string
  proj: string
  base: string
}

interface FaultCase {
  name: string
  /** needs: setpriv (root) or mount (root with CAP_SYS_ADMIN) */
  needs?: 'setpriv' | 'mount'
  /** run the binary as uid 65534 */
  nobody?: boolean
  fdLimit?: number
  /** set up the case folder before the baseline install (tmpfs) */
  prepare?: (d: Dirs) => void
  /** break the fixture after the baseline install */
  arrange: (d: Dirs) => void
  cleanup?: (d: Dirs) => void
  allowStoreAdditions?: boolean
  expect: (d: Dirs) => Record<Cmd, Expect>
}

const refuse = (code: string, errno: string, path: string): Expect => ({code, errno, path})
const EXIT: Record<string, number> = {E_PERMISSION: 8, E_NO_SPACE: 8, E_RESOURCE: 8, E_FILESYSTEM: 8}

const cases: FaultCase[] = [
  {
    name: 'read-only project folder (EACCES as uid 65534)',
    needs: 'setpriv',
    nobody: true,
    arrange: (d) => chownTree(d.home, NOBODY),
    expect: (d) => ({install: refuse('E_PERMISSION', 'EACCES', d.proj), list: 'ok', verify: 'ok', gc: 'ok'}),
  },
  {
    name: 'read-only $GGEN_HOME (EACCES as uid 65534)',
    needs: 'setpriv',
    nobody: true,
    arrange: (d) => chownTree(d.proj, NOBODY),
    expect: (d) => ({install: refuse('E_PERMISSION', 'EACCES', d.home), list: 'ok', verify: 'ok', gc: refuse('E_PERMISSION', 'EACCES', d.home)}),
  },
  {
    name: 'read-only store (EACCES as uid 65534)',
    needs: 'setpriv',
    nobody: true,
    arrange: (d) => {
      chownTree(d.proj, NOBODY)
      chownTree(d.home, NOBODY)
      chownTree(join(d.home, 'store'), 0)
    },
    expect: (d) => ({install: refuse('E_PERMISSION', 'EACCES', join(d.home, 'store')), list: 'ok', verify: 'ok', gc: refuse('E_PERMISSION', 'EACCES', join(d.home, 'store'))}),
  },
  {
    name: 'read-only history (EACCES as uid 65534, after the project files were written)',
    needs: 'setpriv',
    nobody: true,
    allowStoreAdditions: true,
    arrange: (d) => {
      chownTree(d.proj, NOBODY)
      chownTree(d.home, NOBODY)
      chownTree(join(d.home, 'history'), 0)
    },
    expect: (d) => ({install: refuse('E_PERMISSION', 'EACCES', join(d.home, 'history')), list: 'ok', verify: 'ok', gc: 'ok'}),
  },
  {
    name: 'unreadable ggen.toml (EACCES as uid 65534)',
    needs: 'setpriv',
    nobody: true,
    arrange: (d) => {
      chownTree(d.proj, NOBODY)
      chownTree(d.home, NOBODY)
      chownTree(join(d.proj, 'ggen.toml'), 0)
      chmodSync(join(d.proj, 'ggen.toml'), 0o600)
    },
    // list lists what it can and warns; gc refuses: the project's entries might be in use
    expect: (d) => ({install: refuse('E_PERMISSION', 'EACCES', join(d.proj, 'ggen.toml')), list: 'ok', verify: refuse('E_PERMISSION', 'EACCES', join(d.proj, 'ggen.toml')), gc: refuse('E_PERMISSION', 'EACCES', join(d.proj, 'ggen.toml'))}),
  },
  {
    name: 'project on a read-only file system (EROFS: read-only bind mount)',
    needs: 'mount',
    arrange: (d) => {
      mount(['--bind', d.proj, d.proj])
      mount(['-o', 'remount,ro,bind', d.proj])
    },
    cleanup: (d) => umount(d.proj),
    expect: (d) => ({install: refuse('E_PERMISSION', 'EROFS', d.proj), list: 'ok', verify: 'ok', gc: 'ok'}),
  },
  {
    name: 'a file where $GGEN_HOME/store should be a folder (ENOTDIR)',
    arrange: (d) => {
      rmSync(join(d.home, 'store'), {recursive: true})
      writeFileSync(join(d.home, 'store'), 'not a folder\n')
    },
    // verify reports the missing store entries as findings (exit 1)
    expect: (d) => ({install: refuse('E_FILESYSTEM', 'ENOTDIR', join(d.home, 'store')), list: 'ok', verify: 'findings', gc: refuse('E_FILESYSTEM', 'ENOTDIR', join(d.home, 'store'))}),
  },
  {
    name: 'a file where $GGEN_HOME should be a folder (ENOTDIR / EEXIST)',
    arrange: (d) => {
      rmSync(d.home, {recursive: true})
      writeFileSync(d.home, 'not a folder\n')
    },
    expect: (d) => ({install: refuse('E_FILESYSTEM', 'ENOTDIR', d.home), list: 'ok', verify: refuse('E_FILESYSTEM', 'ENOTDIR', d.home), gc: refuse('E_FILESYSTEM', 'EEXIST', d.home)}),
  },
  {
    name: 'a folder where projects.json should be a file (EISDIR)',
    arrange: (d) => {
      unlinkSync(join(d.home, 'projects.json'))
      mkdirSync(join(d.home, 'projects.json'))
    },
    expect: (d) => {
      const r = refuse('E_FILESYSTEM', 'EISDIR', join(d.home, 'projects.json'))
      return {install: r, list: r, verify: r, gc: r}
    },
  },
  {
    name: 'ggen.toml is a folder (EISDIR)',
    arrange: (d) => {
      unlinkSync(join(d.proj, 'ggen.toml'))
      mkdirSync(join(d.proj, 'ggen.toml'))
    },
    expect: (d) => {
      const r = refuse('E_FILESYSTEM', 'EISDIR', join(d.proj, 'ggen.toml'))
      return {install: r, list: 'ok', verify: r, gc: r}
    },
  },
  {
    name: 'the lockfile path is a folder (EISDIR)',
    arrange: (d) => {
      unlinkSync(join(d.proj, '.ggen', 'packs.lock'))
      mkdirSync(join(d.proj, '.ggen', 'packs.lock'))
    },
    expect: (d) => {
      const r = refuse('E_FILESYSTEM', 'EISDIR', join(d.proj, '.ggen', 'packs.lock'))
      return {install: r, list: 'ok', verify: r, gc: r}
    },
  },
  {
    name: 'ggen.toml is a symbolic link loop (ELOOP)',
    arrange: (d) => {
      unlinkSync(join(d.proj, 'ggen.toml'))
      symlinkSync('ggen.toml', join(d.proj, 'ggen.toml'))
    },
    expect: (d) => {
      const r = refuse('E_FILESYSTEM', 'ELOOP', join(d.proj, 'ggen.toml'))
      return {install: r, list: 'ok', verify: r, gc: r}
    },
  },
  {
    name: 'the audit log is a folder (EISDIR inside the commit: the project is restored)',
    allowStoreAdditions: true,
    arrange: (d) => {
      rmSync(join(d.home, 'audit', 'audit.log'))
      mkdirSync(join(d.home, 'audit', 'audit.log'))
    },
    expect: (d) => ({install: refuse('E_FILESYSTEM', 'EISDIR', d.home), list: 'ok', verify: 'ok', gc: refuse('E_FILESYSTEM', 'EISDIR', d.home)}),
  },
  {
    name: 'disk full (ENOSPC: a full 1 MB tmpfs)',
    needs: 'mount',
    prepare: (d) => mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d.base]),
    arrange: (d) => {
      // fill every block that is left
      spawnSync('dd', ['if=/dev/zero', `of=${join(d.base, 'fill')}`, 'bs=4k'], {stdio: 'ignore'})
    },
    cleanup: (d) => umount(d.base),
    expect: (d) => ({install: refuse('E_NO_SPACE', 'ENOSPC', d.base), list: 'ok', verify: 'ok', gc: refuse('E_NO_SPACE', 'ENOSPC', d.home)}),
  },
  {
    name: 'too many open files (EMFILE: ulimit -n 26)',
    // bundled (scripts/build.mjs), the CLI starts in 21 descriptors and these commands load in
    // 37 to 56; at 26 it starts, and a command's chunks, opened concurrently as they load, run out
    fdLimit: 26,
    arrange: () => {},
    expect: () => {
      // the modules of a command open files concurrently as they load: that is where it strikes
      const r = refuse('E_RESOURCE', 'EMFILE', '/')
      return {install: r, list: r, verify: r, gc: r}
    },
  },
]

const argsFor = (cmd: Cmd, d: Dirs): string[] =>
  ({
    install: ['packs', 'install', 'io.f.extra', '--project', d.proj, '--json'],
    list: ['packs', 'list', '--json'],
    verify: ['packs', 'verify', '--project', d.proj, '--json'],
    gc: ['packs', 'gc', '--json'],
  })[cmd]

/** the comparison: project and home (less cache and audit), store additions allowed where the case says so */
function stateOf(d: Dirs): {proj: Record<string, string>; home: Record<string, string>} {
  return {proj: existsSync(d.proj) ? digestTree(d.proj) : {}, home: digestTree(d.home, ['cache', 'audit'])}
}

function expectUnchanged(before: ReturnType<typeof stateOf>, after: ReturnType<typeof stateOf>, allowStoreAdditions: boolean, what: string): void {
  expect(after.proj, `${what}: project files`).toEqual(before.proj)
  if (!allowStoreAdditions) {
    expect(after.home, `${what}: $GGEN_HOME`).toEqual(before.home)
    return
  }
  for (const [p, v] of Object.entries(before.home)) if (p !== 'store/v1/index.json') expect(after.home[p], `${what}: ${p}`).toBe(v)
  for (const p of Object.keys(after.home)) if (!(p in before.home)) expect(p, `${what}: only new store entries appear`).toMatch(/^store\/v1\//)
}

const tally = {runs: 0, refusals: 0, mapped: 0, exit70: 0}

beforeAll(() => {
  registry = buildRegistry(join(root, 'reg'), [
    {id: 'io.f.base', version: '1.0.0'},
    {id: 'io.f.lib', version: '1.0.0', deps: {'io.f.base': '^1.0.0'}},
    {id: 'io.f.extra', version: '1.0.0'},
  ])
  mkdirSync(nobodyHome, {recursive: true})
  chmodSync(nobodyHome, 0o777)
  openTree(root)
})

afterAll(() => {
  process.stdout.write(`[faults] ${cases.length} faults x ${COMMANDS.length} commands: ${tally.runs} runs, ${tally.refusals} refused, ${tally.mapped} mapped to a documented code with path and hint, ${tally.exit70} exit 70\n`)
  rmSync(root, {recursive: true, force: true})
})

describe('file-system faults: a code, a path and a hint; nothing changed', () => {
  for (const c of cases) {
    const unavailable = (c.needs === 'setpriv' && !rootOk) || (c.needs === 'mount' && !mountOk)
    const why = c.needs === 'mount' ? (rootOk ? 'needs mount: root may not mount here (no CAP_SYS_ADMIN?)' : 'needs mount: run as root') : 'needs setpriv to uid 65534: run as root'
    itIf(!unavailable, why)(c.name, () => {
      const base = join(root, 'cases', c.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40))
      const d: Dirs = {base, home: join(base, 'home'), proj: join(base, 'proj')}
      mkdirSync(base, {recursive: true})
      c.prepare?.(d)
      try {
        writeProject(d.proj, 'faulty', {'io.f.lib': '^1.0.0'})
        const setup = runCli(['packs', 'install', '--project', d.proj, '--json'], {env: {GGEN_HOME: d.home, GGEN_REGISTRY_URL: registry}})
        expect(setup.code, setup.stderr).toBe(0)
        openTree(base)
        c.arrange(d)
        const want = c.expect(d)
        const env = {GGEN_HOME: d.home, GGEN_REGISTRY_URL: registry, HOME: nobodyHome}
        const before = stateOf(d)
        for (const cmd of COMMANDS) {
          const r: CliResult = runBin(argsFor(cmd, d), {env, nobody: c.nobody, fdLimit: c.fdLimit})
          const what = `${c.name}: ${cmd}`
          tally.runs++
          if (r.code === 70) tally.exit70++
          expect(r.code, `${what}: ${r.stderr}${r.stdout}`).not.toBe(70)
          expect(r.stderr, what).not.toMatch(/This is a bug/)
          const w = want[cmd]
          if (w === 'ok') expect(r.code, `${what}: ${r.stderr}${r.stdout.slice(0, 2000)}`).toBe(0)
          else if (w === 'findings') {
            expect(r.code, `${what}: ${r.stderr}`).toBe(1)
            expect(r.json?.ok, what).toBe(false)
          } else {
            tally.refusals++
            const e = r.json?.error
            expect(e?.code, `${what}: ${r.stdout}${r.stderr}`).toBe(w.code)
            expect(r.code, what).toBe(EXIT[w.code])
            expect(e.message, what).toContain(`(${w.errno})`)
            expect(e.message, what).toContain(w.path)
            expect(e.message, what).toMatch(/^cannot /)
            expect(e.hint?.length ?? 0, what).toBeGreaterThan(20)
            tally.mapped++
          }
          expectUnchanged(before, stateOf(d), c.allowStoreAdditions === true, what)
        }
      } finally {
        c.cleanup?.(d)
      }
    })
  }
})
