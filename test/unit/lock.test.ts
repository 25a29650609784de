import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {acquireLock} from '../../src/formats/lock.js'
import {tempDir} from '../support/cli.js'

describe('file lock', () => {
  it('is exclusive and released', () => {
    const f = join(tempDir(), 'x.lck')
    const l = acquireLock(f)
    expect(JSON.parse(readFileSync(f, 'utf8')).pid).toBe(process.pid)
    expect(() => acquireLock(f, {timeoutMs: 100})).toThrow(/is locked by process/)
    l.release()
    expect(existsSync(f)).toBe(false)
    acquireLock(f, {timeoutMs: 100}).release()
  })

  it('takes over a stale lock left by a dead process', () => {
    const f = join(tempDir(), 'x.lck')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
    writeFileSync(f, JSON.stringify({pid: Number(dead.stdout), host: hostname(), started: new Date().toISOString()}))
    const l = acquireLock(f, {timeoutMs: 500})
    expect(JSON.parse(readFileSync(f, 'utf8')).pid).toBe(process.pid)
    l.release()
  })

  it('takes over a lock older than staleMs even from another host', () => {
    const f = join(tempDir(), 'x.lck')
    writeFileSync(f, JSON.stringify({pid: 1, host: 'elsewhere', started: new Date(Date.now() - 3600_000).toISOString()}))
    acquireLock(f, {timeoutMs: 500, staleMs: 60_000}).release()
  })
})
