/**
 * `--project DIR` on a folder that does not exist is E_NO_PROJECT (exit 3) for every command
 * that takes it, and nothing is created: no folder, no ggen.toml, no entry in projects.json, no
 * history. Mutating commands hint at `mkdir -p DIR` and `install --init`; `install --init`
 * creates the folder and its ggen.toml.
 */
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {digestTree} from '../support/faults.js'

const root = tempDir('ggen-projflag-')
const home = join(root, 'home')
const proj = join(root, 'proj')
const missing = join(root, 'no', 'such', 'project')
const manifest = join(root, 'dev.manifest.json')
let registry = ''

const cli = (args: string[]): CliResult => runCli([...args, '--json'], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry}})

beforeAll(() => {
  registry = buildRegistry(join(root, 'reg'), [{id: 'io.p.base', version: '1.0.0'}])
  writeProject(proj, 'present', {'io.p.base': '^1.0.0'})
  for (const args of [['packs', 'install', '--project', proj], ['packs', 'manifest', 'generate', 'dev', '--project', proj, '-o', manifest]]) {
    const r = cli(args)
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}${r.stdout}`)
  }
})

afterAll(() => rmSync(root, {recursive: true, force: true}))

const mutating: string[][] = [
  ['packs', 'install'],
  ['packs', 'install', 'io.p.base'],
  ['packs', 'install', '--dry-run'],
  ['packs', 'update'],
  ['packs', 'update', '--dry-run'],
  ['packs', 'uninstall', 'io.p.base'],
  ['packs', 'rollback'],
  ['packs', 'rollback', '--to', '1'],
  ['packs', 'undo'],
  ['packs', 'manifest', 'apply', manifest],
  ['packs', 'manifest', 'apply', manifest, '--dry-run'],
]
const reading: string[][] = [
  ['packs', 'rollback', '--list'],
  ['packs', 'list'],
  ['packs', 'tree'],
  ['packs', 'why', 'io.p.base'],
  ['packs', 'verify'],
  ['packs', 'verify', '--manifest', manifest],
  ['packs', 'resolve', 'io.p.base'],
  ['packs', 'manifest', 'generate', 'dev'],
]

describe('--project on a missing folder', () => {
  it.each([...mutating.map((a) => [a.slice(1).join(' '), a, true] as const), ...reading.map((a) => [a.slice(1).join(' '), a, false] as const)])(
    '%s: E_NO_PROJECT (exit 3), nothing created',
    (_name, args, mutates) => {
      const before = digestTree(home, ['cache', 'audit'])
      const r = cli([...args, '--project', missing])
      expect(r.code, r.stdout + r.stderr).toBe(3)
      expect(r.json?.error?.code).toBe('E_NO_PROJECT')
      expect(r.json.error.message).toContain(missing)
      if (mutates) {
        expect(r.json.error.hint).toContain(`mkdir -p ${missing}`)
        expect(r.json.error.hint).toContain('install --init')
      }
      expect(existsSync(join(root, 'no'))).toBe(false)
      expect(digestTree(home, ['cache', 'audit'])).toEqual(before)
    },
  )

  it('a file given as --project is E_NO_PROJECT too, and is left alone', () => {
    const file = join(root, 'a-file')
    writeFileSync(file, 'x\n')
    for (const args of [['packs', 'install'], ['packs', 'update'], ['packs', 'rollback', '--list']]) {
      const r = cli([...args, '--project', file])
      expect(r.code, r.stdout).toBe(3)
      expect(r.json.error.code).toBe('E_NO_PROJECT')
      expect(r.json.error.message).toContain('is a file')
    }
    expect(readFileSync(file, 'utf8')).toBe('x\n')
  })
})

describe('install --init', () => {
  it('creates the folder and its ggen.toml, installs, and registers the project', () => {
    const fresh = join(root, 'new', 'service')
    const r = cli(['packs', 'install', 'io.p.base', '--init', '--project', fresh])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.json.changes).toEqual([{id: 'io.p.base', from: null, to: '1.0.0', kind: 'added'}])
    expect(readFileSync(join(fresh, 'ggen.toml'), 'utf8')).toMatch(/\[packs\][\s\S]*io\.p\.base/)
    expect(existsSync(join(fresh, '.ggen', 'packs.lock'))).toBe(true)
    expect(Object.keys(JSON.parse(readFileSync(join(home, 'projects.json'), 'utf8')).projects)).toContain(fresh)
    const tree = cli(['packs', 'tree', '--project', fresh])
    expect(tree.json.dependencies.map((d: {id: string}) => d.id)).toEqual(['io.p.base'])
  })

  it('on an existing project it is a plain install', () => {
    const toml = readFileSync(join(proj, 'ggen.toml'), 'utf8')
    const r = cli(['packs', 'install', '--init', '--project', proj])
    expect(r.code, r.stdout).toBe(0)
    expect(r.json.changes).toEqual([])
    expect(readFileSync(join(proj, 'ggen.toml'), 'utf8')).toBe(toml)
  })

  it('cannot be combined with --dry-run (a dry run creates nothing)', () => {
    const r = cli(['packs', 'install', '--init', '--dry-run', '--project', missing])
    expect(r.code).toBe(2)
    expect(r.json.error.code).toBe('E_USAGE')
    expect(existsSync(join(root, 'no'))).toBe(false)
  })
})
