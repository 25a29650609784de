/**
 * Helpers for the fault tests: run the real binary as another uid (setpriv), under a shell
 * wrapper (ulimit), with a temporary GGEN_HOME; fingerprint a folder tree to prove that nothing
 * was changed; detect what this machine allows (root for setpriv and mount).
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, chownSync, lstatSync, readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {join, relative} from 'node:path'
import {binPath, repoRoot, type CliResult} from './cli.js'

export const NOBODY = 65534

export interface RunOptions {
  env: Record<string, string>
  /** run as uid/gid 65534 (setpriv) */
  nobody?: boolean
  /** run inside `bash -c "ulimit -n N"` */
  fdLimit?: number
}

/** the real binary with a clean environment; `env` must name GGEN_HOME */
export function runBin(args: string[], o: RunOptions): CliResult {
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, NO_COLOR: '1', GGEN_PROGRESS: '0', GGEN_MACHINE: 'test-machine', ...o.env}
  let cmd = process.execPath
  let argv = [binPath, ...args]
  if (o.fdLimit !== undefined) {
    argv = ['-c', `ulimit -n ${o.fdLimit} && exec "$0" "$@"`, cmd, ...argv]
    cmd = 'bash'
  }
  if (o.nobody) {
    argv = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', cmd, ...argv]
    cmd = 'setpriv'
  }
  const r = spawnSync(cmd, argv, {env, cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  let json: unknown
  try {
    json = JSON.parse(r.stdout)
  } catch {
    json = undefined
  }
  return {code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, json}
}

/**
 * Every entry below `dir` -> its type, mode and (files) sha256 or (links) target, keyed by the
 * path relative to `dir`; paths starting with one of `skip` are left out.
 */
export function digestTree(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    let names: string[]
    try {
      names = readdirSync(d).sort()
    } catch {
      return
    }
    for (const n of names) {
      const p = join(d, n)
      const rel = relative(dir, p)
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue
      const st = lstatSync(p)
      const mode = (st.mode & 0o7777).toString(8)
      if (st.isSymbolicLink()) out[rel] = `link ${readlinkSync(p)}`
      else if (st.isDirectory()) {
        out[rel] = `dir ${mode}`
        walk(p)
      } else out[rel] = `file ${mode} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`
    }
  }
  walk(dir)
  return out
}

/** chown -R (a file: just that file) */
export function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid)
  if (lstatSync(path).isDirectory()) for (const n of readdirSync(path)) chownTree(join(path, n), uid)
}

/** chmod a+rX on a tree (mkdtemp folders are 0700: another uid could not even traverse them) */
export function openTree(dir: string): void {
  const st = lstatSync(dir)
  if (st.isSymbolicLink()) return
  chmodSync(dir, (st.mode & 0o7777) | (st.isDirectory() ? 0o555 : 0o444))
  if (st.isDirectory()) for (const n of readdirSync(dir)) openTree(join(dir, n))
}

const works = (cmd: string, args: string[]) => spawnSync(cmd, args, {stdio: 'ignore'}).status === 0

/** setpriv to uid 65534 works here (we are root) */
export const canSwitchUser = (): boolean => process.getuid?.() === 0 && works('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'true'])

/** mount(8) works here: tmpfs for ENOSPC, read-only bind mounts for EROFS */
export function canMount(probeDir: string): boolean {
  if (process.getuid?.() !== 0) return false
  if (!works('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probeDir])) return false
  return works('umount', [probeDir])
}

export function mount(args: string[]): void {
  const r = spawnSync('mount', args, {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`mount ${args.join(' ')}: ${r.stderr}`)
}

export function umount(dir: string): void {
  spawnSync('umount', [dir], {stdio: 'ignore'})
}
