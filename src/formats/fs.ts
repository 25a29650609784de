/**
 * File primitives: read-or-null, atomic + deterministic writes (temp, fsync, rename, skip when
 * unchanged), sorted-key JSON. Every write in the project goes through writeFileAtomic so the
 * crash/kill tests can stop at any write step (see src/util/faults.ts).
 */
import {closeSync, fchmodSync, fchownSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, type Stats} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {faultPoint} from '../util/faults.js'
import {withPath} from '../domain/io-errors.js'

export function readTextOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null
    throw withPath(error, file) // EISDIR comes from read(2), without the path
  }
}

/**
 * mtime, ctime, size and inode of a file ('-' when it is missing or cannot be stat'ed; no
 * exception): what the caches key on. A rewrite through rename changes the inode, any write the
 * ctime, which nobody can set back.
 */
export function fileStamp(file: string): string {
  let s
  try {
    s = statSync(file, {throwIfNoEntry: false})
  } catch {
    return '-'
  }
  return s ? `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}` : '-'
}

/** JSON with keys sorted at every depth (arrays keep their order), 2-space indent, trailing newline */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n'
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k]
      if (v !== undefined) out[k] = sortKeys(v)
    }
    return out
  }
  return value
}

export interface WriteResult {
  path: string
  changed: boolean
}

/**
 * Write `data` to `file` atomically: temp file in the same directory, fsync, rename, fsync dir.
 * Returns changed=false (and touches nothing) when the file already holds exactly `data`.
 * A file that is replaced keeps its permission bits (e.g. 0600) and, when running as root, its
 * owner and group (a non-root writer keeps the group when it is one of its own); `opts.mode`
 * overrides the mode. A new file gets `opts.mode` (default 0644) less the umask.
 * `force`: write without first comparing with the current bytes. `cache`: a cache file that
 * checks itself when read (the snapshot's checksum): still written to a temporary file and
 * renamed, but not fsynced (a write lost in a power cut only costs a rebuild).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: {mode?: number; force?: boolean; cache?: boolean} = {}): WriteResult {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  if (!opts.force) {
    try {
      const old = readFileSync(file)
      if (old.equals(buf)) return {path: file, changed: false}
    } catch {
      // missing: write it
    }
  }
  const dir = dirname(file)
  mkdirSync(dir, {recursive: true})
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`)
  faultPoint(`write:${basename(file)}`)
  const existing = statOrNull(file)
  const fd = openSync(tmp, 'w', opts.mode ?? 0o644)
  try {
    if (existing?.isFile() && opts.mode === undefined) keepModeAndOwner(fd, existing)
    writeSync(fd, buf, 0, buf.length, 0)
    if (!opts.cache) fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(tmp, file)
  } catch (error) {
    rmSync(tmp, {force: true})
    throw error
  }
  if (!opts.cache) fsyncDir(dir)
  return {path: file, changed: true}
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file)
  } catch {
    return null
  }
}

/**
 * Give the temp file the mode and owner of the file it replaces (setuid/setgid/sticky are not
 * carried over). Owner and group are best effort: a non-root writer can only keep a group it is in,
 * and some file systems refuse chown even to root; then the file takes ours, as an editor's save would.
 */
function keepModeAndOwner(fd: number, st: Stats): void {
  const root = process.geteuid?.() === 0
  if (root || st.gid !== process.getegid?.()) {
    try {
      fchownSync(fd, root ? st.uid : -1, st.gid)
    } catch {
      // see above
    }
  }
  fchmodSync(fd, st.mode & 0o777)
}

export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  }
}

export function writeJsonAtomic(file: string, value: unknown): WriteResult {
  return writeFileAtomic(file, stableStringify(value))
}

/** remove a file atomically-enough (rename away, then unlink); missing is fine */
export function removeFile(file: string): boolean {
  try {
    faultPoint(`remove:${basename(file)}`)
    rmSync(file)
    fsyncDir(dirname(file))
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}
