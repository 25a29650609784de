/**
 * The tamper-evident audit log: $GGEN_HOME/audit/audit.log, one JSON object per line, each
 * carrying the hash of the previous entry (prev_hash) and its own hash (sha256 over the entry
 * without `hash`, keys sorted). Appends hold the audit lock; each append is fsynced.
 */
import {createHash} from 'node:crypto'
import {closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync} from 'node:fs'
import {hostname, platform, release, userInfo} from 'node:os'
import {dirname} from 'node:path'
import type {AuditEntry} from '../domain/schemas.js'
import {readTextOrNull, stableStringify} from '../formats/fs.js'
import {acquireLock} from '../formats/lock.js'
import {faultPoint} from '../ops/faults.js'
import type {HomePaths} from '../workspace/home.js'

export const GENESIS = '0'.repeat(64)

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(stableStringify(e)).digest('hex')
}

function lastLine(file: string): string | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return null
  }
  try {
    const size = fstatSync(fd).size
    if (size === 0) return null
    let chunk = 4096
    for (;;) {
      const start = Math.max(0, size - chunk)
      const buf = Buffer.alloc(size - start)
      readSync(fd, buf, 0, buf.length, start)
      const text = buf.toString('utf8').replace(/\n+$/, '')
      const nl = text.lastIndexOf('\n')
      if (nl >= 0 || start === 0) return text.slice(nl + 1)
      chunk *= 4
    }
  } finally {
    closeSync(fd)
  }
}

export interface AuditInput {
  action: string
  details: string
  affected_packages: string[]
  result: 'success' | 'failure'
  project: string | null
  machine: string
}

export function currentUser(): string {
  try {
    return process.env.GGEN_USER || userInfo().username
  } catch {
    return process.env.USER ?? 'unknown'
  }
}

export function appendAudit(paths: HomePaths, input: AuditInput): AuditEntry {
  mkdirSync(dirname(paths.audit), {recursive: true})
  const lock = acquireLock(paths.auditLock)
  try {
    const last = lastLine(paths.audit)
    let prev: AuditEntry | null = null
    if (last) {
      try {
        prev = JSON.parse(last) as AuditEntry
      } catch {
        prev = null // torn last line: `packs audit --verify` reports it; the chain restarts from its text
      }
    }
    const base: Omit<AuditEntry, 'hash'> = {
      seq: prev ? prev.seq + 1 : 0,
      timestamp: new Date().toISOString(),
      user: currentUser(),
      action: input.action,
      details: input.details,
      affected_packages: [...input.affected_packages].sort(),
      result: input.result,
      environment: {project: input.project, machine: input.machine || hostname(), os: `${platform()} ${release()}`},
      prev_hash: prev?.hash ?? (last ? createHash('sha256').update(last).digest('hex') : GENESIS),
    }
    const entry: AuditEntry = {...base, hash: entryHash(base)}
    faultPoint('append:audit.log')
    const fd = openSync(paths.audit, 'a')
    try {
      writeSync(fd, JSON.stringify(entry) + '\n')
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    return entry
  } finally {
    lock.release()
  }
}

export interface AuditReadResult {
  entries: AuditEntry[]
  /** problems with the chain: [line number, message] */
  broken: {line: number; message: string}[]
}

export function readAudit(paths: HomePaths): AuditReadResult {
  const text = readTextOrNull(paths.audit) ?? ''
  const entries: AuditEntry[] = []
  const broken: AuditReadResult['broken'] = []
  let prevHash = GENESIS
  let prevLine: string | null = null
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    let e: AuditEntry
    try {
      e = JSON.parse(line) as AuditEntry
    } catch {
      broken.push({line: i + 1, message: 'not valid JSON (torn or edited line)'})
      prevLine = line
      prevHash = createHash('sha256').update(line).digest('hex')
      return
    }
    const {hash, ...rest} = e
    if (entryHash(rest) !== hash) broken.push({line: i + 1, message: `entry ${e.seq} was modified (hash does not match its content)`})
    const expectedPrev = prevLine !== null && broken.some((b) => b.line === i) ? createHash('sha256').update(prevLine).digest('hex') : prevHash
    if (e.prev_hash !== expectedPrev) broken.push({line: i + 1, message: `entry ${e.seq} does not follow the previous entry (an entry was removed, reordered or inserted)`})
    entries.push(e)
    prevHash = hash
    prevLine = line
  })
  return {entries, broken}
}
