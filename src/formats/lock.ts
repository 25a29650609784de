/**
 * Cross-process exclusive locks: a lock file created with O_EXCL holding {pid, host, started}.
 * Waiters poll with backoff until the lock is free or `timeoutMs` passes. A lock whose process
 * is gone (same host, kill(pid, 0) says ESRCH) or older than `staleMs` is stale: it is taken over.
 */
import {closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import {dirname} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {withPath} from '../domain/io-errors.js'
import {environment} from '../util/environment.js'

export interface LockOptions {
  timeoutMs?: number
  staleMs?: number
  /** called once when we start waiting for another holder */
  onWait?: (holder: LockHolder) => void
}

export interface LockHolder {
  pid: number
  host: string
  started: string
}

const sleepArr = new Int32Array(new SharedArrayBuffer(4))
const sleep = (ms: number) => Atomics.wait(sleepArr, 0, 0, ms)

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder
  } catch {
    return null
  }
}

function isStale(holder: LockHolder | null, file: string, staleMs: number): boolean {
  if (!holder) {
    // unreadable or half-written lock file: stale only if it stays that way (writer died between open and write)
    return false
  }
  if (holder.host === hostname()) {
    try {
      process.kill(holder.pid, 0)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true
    }
  }
  return Date.now() - Date.parse(holder.started) > staleMs
  void file
}

export class FileLock {
  private released = false
  constructor(readonly file: string) {}
  release(): void {
    if (this.released) return
    this.released = true
    const holder = readHolder(this.file)
    if (holder && holder.pid === process.pid) rmSync(this.file, {force: true})
  }
}

export function acquireLock(file: string, opts: LockOptions = {}): FileLock {
  const timeoutMs = opts.timeoutMs ?? environment().lockTimeoutMs
  const staleMs = opts.staleMs ?? 10 * 60_000
  mkdirSync(dirname(file), {recursive: true})
  const deadline = Date.now() + timeoutMs
  let delay = 5
  let waited = false
  let unreadableSince = 0
  for (;;) {
    try {
      const fd = openSync(file, 'wx')
      try {
        const me: LockHolder = {pid: process.pid, host: hostname(), started: new Date().toISOString()}
        writeSync(fd, JSON.stringify(me))
      } catch (error) {
        rmSync(file, {force: true}) // a lock we could not write (ENOSPC) is not left behind
        throw withPath(error, file)
      } finally {
        closeSync(fd)
      }
      return new FileLock(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = readHolder(file)
    if (holder === null) {
      unreadableSince ||= Date.now()
      if (Date.now() - unreadableSince > 2000) rmSync(file, {force: true})
    } else {
      unreadableSince = 0
      if (isStale(holder, file, staleMs)) {
        // take over: remove only if it is still the same stale holder
        const again = readHolder(file)
        if (again && again.pid === holder.pid && again.started === holder.started) rmSync(file, {force: true})
        continue
      }
      if (!waited) {
        waited = true
        opts.onWait?.(holder)
      }
    }
    if (Date.now() > deadline) {
      throw new PacksError('E_LOCKED', `${file} is locked by process ${holder?.pid ?? '?'} on ${holder?.host ?? '?'} since ${holder?.started ?? '?'}`, {
        hint: 'Another ggen packs command is working on this project. Wait for it, or remove the lock file if that process is gone.',
        file,
      })
    }
    sleep(delay)
    delay = Math.min(delay * 2, 100)
  }
}

export async function withLock<T>(file: string, fn: () => Promise<T> | T, opts?: LockOptions): Promise<T> {
  const lock = acquireLock(file, opts)
  try {
    return await fn()
  } finally {
    lock.release()
  }
}
