import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {Lockfile} from '../../../src/domain/schemas.js'
import {lockfilePath, parseLockfile, readLockfile, serializeLockfile, writeLockfile} from '../../../src/formats/lockfile.js'
import {thrown} from '../../support/errors.js'

const FILE = '/work/p/.ggen/packs.lock'
const tmp = mkdtempSync(join(tmpdir(), 'ggen-lockfile-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))


const entry = (version: string, deps: string[] = []) => ({
  version,
  source: {type: 'Registry', url: 'https://registry.ggen.io'},
  integrity: 'sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=',
  installed_at: '2026-01-01T00:00:00Z',
  dependencies: deps,
})

describe('.ggen/packs.lock', () => {
  const lock: Lockfile = {
    ggen_version: 'ggen-packs/0.1.0',
    packs: {'zeta.pack': entry('2.0.0', ['alpha']), alpha: {...entry('1.0.0'), requires: {b: '^1', a: '*'}}},
    updated_at: '2026-01-02T00:00:00Z',
  }

  it('serialises with keys sorted at every depth, 2-space indent and a final newline', () => {
    const text = serializeLockfile(lock)
    expect(text.endsWith('}\n')).toBe(true)
    expect(Object.keys(JSON.parse(text))).toEqual(['ggen_version', 'packs', 'updated_at'])
    expect(Object.keys(JSON.parse(text).packs)).toEqual(['alpha', 'zeta.pack'])
    expect(Object.keys(JSON.parse(text).packs.alpha)).toEqual(['dependencies', 'installed_at', 'integrity', 'requires', 'source', 'version'])
    expect(Object.keys(JSON.parse(text).packs.alpha.requires)).toEqual(['a', 'b'])
    expect(text).toContain('\n  "packs": {\n    "alpha": {')
  })

  it('is byte-stable: same content in any key order gives the same bytes; parse -> serialise is a fixed point', () => {
    const shuffled: Lockfile = {
      updated_at: lock.updated_at,
      packs: {alpha: {requires: {a: '*', b: '^1'}, ...entry('1.0.0')}, 'zeta.pack': entry('2.0.0', ['alpha'])},
      ggen_version: lock.ggen_version,
    }
    const text = serializeLockfile(lock)
    expect(serializeLockfile(shuffled)).toBe(text)
    expect(serializeLockfile(parseLockfile(text, FILE))).toBe(text)
  })

  it('write then read gives the same lockfile; an unchanged write touches nothing', () => {
    const dir = join(tmp, 'proj')
    expect(writeLockfile(dir, lock).changed).toBe(true)
    expect(readLockfile(dir)).toEqual(parseLockfile(serializeLockfile(lock), lockfilePath(dir)))
    expect(writeLockfile(dir, lock).changed).toBe(false)
    expect(readFileSync(lockfilePath(dir), 'utf8')).toBe(serializeLockfile(lock))
  })

  it('keeps fields it does not know (backward-readable)', () => {
    const text = JSON.stringify({packs: {a: {...entry('1.0.0'), future_field: 1}}, extra_top: true})
    const l = parseLockfile(text, FILE)
    expect(serializeLockfile(l)).toContain('"future_field": 1')
    expect(serializeLockfile(l)).toContain('"extra_top": true')
  })

  it('a wrong type is E_SCHEMA naming the field and, in the message, the file', () => {
    const text = JSON.stringify({packs: {x: {...entry('1.0.0'), version: 1}}})
    const e = thrown(() => parseLockfile(text, FILE))
    expect(e.code).toBe('E_SCHEMA')
    expect(e.field).toBe('packs.x.version')
    expect(e.file).toBe(FILE)
    expect(e.message).toContain(FILE)
    expect(e.message).toContain('packs.x.version')
    expect(e.hint).toBeTruthy()
  })

  it('missing fields are named too', () => {
    const {installed_at: _drop, ...noDate} = entry('1.0.0')
    expect(thrown(() => parseLockfile(JSON.stringify({packs: {'a.b': noDate}}), FILE)).field).toBe('packs.a.b.installed_at')
    expect(thrown(() => parseLockfile(JSON.stringify({packs: []}), FILE)).field).toBe('packs')
    expect(thrown(() => parseLockfile('[]', FILE))).toMatchObject({code: 'E_SCHEMA', field: '(root)'})
  })

  it('a truncated file is E_PARSE naming packs.lock, and reading it changes nothing', () => {
    const dir = join(tmp, 'truncated')
    mkdirSync(join(dir, '.ggen'), {recursive: true})
    const full = serializeLockfile(lock)
    const cut = full.slice(0, Math.floor(full.length / 2))
    writeFileSync(lockfilePath(dir), cut)
    const e = thrown(() => readLockfile(dir))
    expect(e.code).toBe('E_PARSE')
    expect(e.file).toBe(lockfilePath(dir))
    expect(e.file!.endsWith(join('.ggen', 'packs.lock'))).toBe(true)
    expect(e.message).toContain('packs.lock')
    expect(e.message).toMatch(/line \d+/)
    expect(readFileSync(lockfilePath(dir), 'utf8')).toBe(cut)
    // cut at the very end too
    expect(thrown(() => parseLockfile(full.slice(0, -3), FILE)).message).toMatch(/truncated/)
  })

  it('a missing lockfile reads as null', () => {
    expect(readLockfile(join(tmp, 'nothing-here'))).toBeNull()
  })
})
