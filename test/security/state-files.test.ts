/**
 * State files of the wrong shape are format errors (E_PARSE / E_SCHEMA, exit 3) naming the file
 * and the field, and are never overwritten or read as empty: projects.json, the store index,
 * history generations, config.json. A mutating command (install registers the project in
 * projects.json; gc rewrites the store index) refuses before it writes anything. Our caches
 * ($GGEN_HOME/cache) are different: a damaged one only costs a rebuild, never a wrong answer.
 */
import {existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {frameSnapshotFile} from '../../src/graph/snapshot-file.js'
import {historyDir} from '../../src/workspace/history.js'
import {homePaths} from '../../src/workspace/home.js'
import {buildRegistry, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'
import {digestTree} from '../support/faults.js'

const root = tempDir('ggen-state-')
const home = join(root, 'home')
const proj = join(root, 'proj')
const paths = homePaths(home)
let registry = ''

const cli = (args: string[]): CliResult => runCli([...args, '--json'], {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry}})

/** the whole state: project + $GGEN_HOME less caches and the audit log (failures are audited by design) */
const state = () => ({proj: digestTree(proj), home: digestTree(home, ['cache', 'audit'])})

beforeAll(() => {
  registry = buildRegistry(join(root, 'reg'), [
    {id: 'io.s.base', version: '1.0.0'},
    {id: 'io.s.lib', version: '1.0.0', deps: {'io.s.base': '^1.0.0'}},
    {id: 'io.s.extra', version: '1.0.0'},
  ])
  writeProject(proj, 'stateful', {'io.s.lib': '^1.0.0'})
  const r = cli(['packs', 'install', '--project', proj])
  if (r.code !== 0) throw new Error(r.stderr)
})

afterAll(() => rmSync(root, {recursive: true, force: true}))

interface Variant {
  name: string
  text: string
  code: 'E_PARSE' | 'E_SCHEMA'
  /** the field the error must name (E_SCHEMA) */
  field?: string
}

/**
 * Put `text` in `file`, run each command: exit 3 with `code`, naming the file (and field), and
 * every file as it was — the broken one included. The good bytes go back afterwards.
 */
function expectRefused(file: string, v: Variant, commands: string[][]): void {
  const good = readFileSync(file)
  writeFileSync(file, v.text)
  try {
    const before = state()
    for (const args of commands) {
      const r = cli(args)
      const what = `${v.name}: ${args.slice(1, 3).join(' ')}`
      expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(3)
      expect(r.json?.error?.code, what).toBe(v.code)
      expect(r.json.error.file, what).toBe(file)
      expect(r.json.error.message, what).toContain(file)
      if (v.field) expect(r.json.error.field, what).toBe(v.field)
      expect(r.json.error.hint, what).toMatch(/left as it is|nothing was changed/)
      expect(readFileSync(file, 'utf8'), `${what}: the broken file is never overwritten`).toBe(v.text)
      expect(state(), `${what}: nothing changed`).toEqual(before)
    }
  } finally {
    writeFileSync(file, good)
  }
}

const install = ['packs', 'install', 'io.s.extra', '--project', proj]
const gc = ['packs', 'gc']
const list = ['packs', 'list']

describe('projects.json of the wrong shape', () => {
  const variants: Variant[] = [
    {name: 'null', text: 'null', code: 'E_SCHEMA', field: '(root)'},
    {name: 'an array', text: '[]', code: 'E_SCHEMA', field: '(root)'},
    {name: 'a string', text: '"x"', code: 'E_SCHEMA', field: '(root)'},
    {name: '{"projects": []} (no format)', text: '{"projects": []}', code: 'E_SCHEMA', field: 'format'},
    {name: 'projects is an array', text: '{"format": "ggen-packs-projects/1", "projects": []}', code: 'E_SCHEMA', field: 'projects'},
    {name: 'another format', text: '{"format": "ggen-packs-projects/9", "projects": {}}', code: 'E_SCHEMA', field: 'format'},
    {name: 'registered_at is a number', text: '{"format": "ggen-packs-projects/1", "projects": {"/srv/a": {"registered_at": 5}}}', code: 'E_SCHEMA', field: 'projects["/srv/a"].registered_at'},
    {name: 'an entry is null', text: '{"format": "ggen-packs-projects/1", "projects": {"/srv/a": null}}', code: 'E_SCHEMA', field: 'projects["/srv/a"]'},
    {name: 'a relative project path', text: '{"format": "ggen-packs-projects/1", "projects": {"srv/a": {"registered_at": "2026-01-01T00:00:00Z"}}}', code: 'E_SCHEMA', field: 'projects["srv/a"]'},
    {name: 'truncated', text: '{"format": "ggen-packs-projects/1", "proj', code: 'E_PARSE'},
  ]
  it.each(variants)('$name: install, gc and list refuse (exit 3) and nothing is written', (v) => {
    expectRefused(paths.projects, v, [install, gc, list])
  })
})

/** a variant whose text is derived from the current file at run time */
type LazyVariant = Omit<Variant, 'text' | 'field'> & {text: () => string; field?: () => string}
const realize = (v: LazyVariant): Variant => ({name: v.name, code: v.code, text: v.text(), ...(v.field ? {field: v.field()} : {})})

describe('the store index of the wrong shape', () => {
  const firstKey = () => Object.keys((JSON.parse(readFileSync(paths.storeIndex, 'utf8')) as {entries: object}).entries)[0]!
  const withEntry = (over: Record<string, unknown>) => () => {
    const idx = JSON.parse(readFileSync(paths.storeIndex, 'utf8')) as {entries: Record<string, Record<string, unknown>>}
    const key = firstKey()
    return JSON.stringify({format: 'ggen-packs-store/1', entries: {...idx.entries, [key]: {...idx.entries[key], ...over}}})
  }
  const inFirst = (field: string) => () => `entries[${JSON.stringify(firstKey())}].${field}`
  const entriesBefore = () => readdirSync(paths.store).sort()
  it.each<LazyVariant>([
    {name: 'an array', text: () => '[]', code: 'E_SCHEMA', field: () => '(root)'},
    {name: '{"entries": []}', text: () => '{"entries": []}', code: 'E_SCHEMA', field: () => 'format'},
    {name: 'entries is an array', text: () => '{"format": "ggen-packs-store/1", "entries": []}', code: 'E_SCHEMA', field: () => 'entries'},
    {name: 'an entry of the wrong type', text: () => '{"format": "ggen-packs-store/1", "entries": {"sha512-x": 1}}', code: 'E_SCHEMA', field: () => 'entries.sha512-x'},
    {name: 'size is a string', text: withEntry({size: 'big'}), code: 'E_SCHEMA', field: inFirst('size')},
    {name: 'dir leaves the store', text: withEntry({dir: '../../escape'}), code: 'E_SCHEMA', field: inFirst('dir')},
    {name: "integrity is not the entry's key", text: withEntry({integrity: 'sha512-other'}), code: 'E_SCHEMA', field: inFirst('integrity')},
    {name: 'truncated', text: () => '{"format": "ggen-packs-store/1", "entr', code: 'E_PARSE'},
  ])('$name: install, gc and list refuse (exit 3); no store entry is removed, the index is not rewritten', (v) => {
    const before = entriesBefore()
    expectRefused(paths.storeIndex, realize(v), [install, gc, list])
    expect(entriesBefore()).toEqual(before)
  })
})

describe('history generations of the wrong shape', () => {
  const genFile = () => join(historyDir(paths, proj), '000001.json')
  const gen = (over: Record<string, unknown>) => () => JSON.stringify({...JSON.parse(readFileSync(genFile(), 'utf8')), ...over})
  it.each<LazyVariant>([
    {name: 'an array', text: () => '[]', code: 'E_SCHEMA', field: () => '(root)'},
    {name: 'gen is a string', text: gen({gen: '1'}), code: 'E_SCHEMA', field: () => 'gen'},
    {name: 'gen is not the file number', text: gen({gen: 7}), code: 'E_SCHEMA', field: () => 'gen'},
    {name: 'before is a string', text: gen({before: 'x'}), code: 'E_SCHEMA', field: () => 'before'},
    {name: 'after.toml is a number', text: gen({after: {toml: 1, lock: null}}), code: 'E_SCHEMA', field: () => 'after.toml'},
    {name: 'no format', text: gen({format: undefined}), code: 'E_SCHEMA', field: () => 'format'},
    {name: 'truncated', text: () => '{"action": "inst', code: 'E_PARSE'},
  ])('$name: rollback --list, undo and install refuse (exit 3) naming the file and field', (v) => {
    expectRefused(genFile(), realize(v), [['packs', 'rollback', '--list', '--project', proj], ['packs', 'undo', '--project', proj], install])
  })
})

describe('config.json of the wrong shape (validated by every command)', () => {
  it.each<Variant>([
    {name: 'an array', text: '[]', code: 'E_SCHEMA', field: '(root)'},
    {name: 'registries is a string', text: '{"registries": "x"}', code: 'E_SCHEMA', field: 'registries'},
    {name: 'a registry key without public_key', text: '{"registry_keys": [{"keyid": "k"}]}', code: 'E_SCHEMA', field: 'registry_keys[0].public_key'},
    {name: 'neo4j is an array', text: '{"neo4j": []}', code: 'E_SCHEMA', field: 'neo4j'},
    {name: 'truncated', text: '{"registries": [', code: 'E_PARSE'},
  ])('$name: install and list refuse (exit 3)', (v) => {
    writeFileSync(paths.config, '{}\n')
    try {
      const before = state()
      writeFileSync(paths.config, v.text)
      for (const args of [install, list]) {
        const r = cli(args)
        expect(r.code, r.stdout + r.stderr).toBe(3)
        expect(r.json.error.code).toBe(v.code)
        expect(r.json.error.file).toBe(paths.config)
        if (v.field) expect(r.json.error.field).toBe(v.field)
        expect(readFileSync(paths.config, 'utf8')).toBe(v.text)
        writeFileSync(paths.config, '{}\n')
        expect(state()).toEqual(before)
        writeFileSync(paths.config, v.text)
      }
    } finally {
      rmSync(paths.config, {force: true})
    }
  })
})

describe('our caches: a damaged one costs a rebuild, never a wrong answer', () => {
  const snapshotFile = () => paths.snapshotCache
  const answers = () => ({list: cli(list).json, verify: cli(['packs', 'verify', '--all']).json})
  let good: ReturnType<typeof answers>

  beforeAll(() => {
    good = answers()
    expect(good.list.length).toBe(2)
    expect(good.verify.ok).toBe(true)
  })

  it.each([
    ['garbage', () => 'not json at all'],
    ['entries is an array', () => '{"format": "ggen-packs-workspace/2", "entries": []}'],
    ['entries of the wrong shape', () => JSON.stringify({format: 'ggen-packs-workspace/2', entries: {[proj]: {t: 'x', l: null, j: null, config: 5, lock: []}}})],
    ['an older format', () => JSON.stringify({format: 'ggen-packs-workspace/1', entries: {[proj]: {t: null, l: null, config: null, lock: null}}})],
  ])('workspace cache %s: the projects are read again', (_name, text) => {
    rmSync(snapshotFile(), {force: true}) // so the projects are scanned (through the workspace cache)
    writeFileSync(paths.workspaceCache, text())
    expect(answers()).toEqual(good)
  })

  it('a snapshot cache with a valid frame but a damaged body is rebuilt', () => {
    cli(list)
    const head = readFileSync(snapshotFile(), 'utf8').split('\n')[1]!
    for (const snapshot of [{}, {projects: 'x', versions: [], packages: []}, null]) {
      writeFileSync(snapshotFile(), frameSnapshotFile({head, body: JSON.stringify(snapshot)}))
      rmSync(paths.listView, {force: true}) // else list answers from its kept rows (of this head's id)
      expect(answers()).toEqual(good)
    }
  })

  it('an edit in place that keeps the size and the mtime is still seen (the caches key on ctime and inode too)', () => {
    cli(list) // caches are warm and match the files
    const toml = join(proj, 'ggen.toml')
    const text = readFileSync(toml, 'utf8')
    const st = statSync(toml)
    const edited = text.replace('"io.s.lib" = "^1.0.0"', '"io.s.lib" = "^9.0.0"')
    expect(edited.length).toBe(text.length)
    try {
      writeFileSync(toml, edited) // same inode, same size
      utimesSync(toml, st.atime, st.mtime) // and the old mtime
      const r = cli(['packs', 'verify', '--all'])
      expect(r.code).toBe(1)
      expect(r.json.projects[0].problems.map((p: {code: string}) => p.code)).toContain('unsatisfied-range')
    } finally {
      writeFileSync(toml, text)
    }
    expect(cli(['packs', 'verify', '--all']).json).toEqual(good.verify)
    expect(existsSync(paths.snapshotCache)).toBe(true)
  })
})
