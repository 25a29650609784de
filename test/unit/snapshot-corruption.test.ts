/**
 * The snapshot ($GGEN_HOME/cache/snapshot.cache) is a cache: deleted, truncated at several
 * offsets, garbage, bytes flipped, a valid frame with a body of the wrong shape, another
 * machine's, or a valid but stale one (written before a project changed): every time the answers
 * of list, dependents and verify --all equal those of a fresh build, the command does not fail,
 * and the cache is written again. Runs the real binary on the bundled example.
 */
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {LIST_VIEW_FORMAT} from '../../src/core/list-view.js'
import {SCAN_CORE_FORMAT} from '../../src/core/scan-keep.js'
import {frameSnapshotFile, readSnapshotFile, readSnapshotHead, SNAPSHOT_DELTA_FORMAT} from '../../src/graph/snapshot-file.js'
import {frame, readFramed} from '../../src/formats/framed.js'
import {runCli, runCliAsync} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'

let ex: Example
let cacheFile = ''
let lockFile = ''
let popular = ''

const run = (args: string[]) => {
  const r = runCli([...args, '--json'], {env: ex.env, cwd: ex.workspace})
  return {code: r.code, json: r.stdout.trim() === '' ? null : JSON.parse(r.stdout), stderr: r.stderr}
}
const answers = () => ({list: run(['packs', 'list']), dependents: run(['packs', 'dependents', popular, '--transitive']), verify: run(['packs', 'verify', '--all'])})
/** the answers of a build from nothing (no cache at all) */
const fresh = () => {
  rmSync(cacheFile, {force: true})
  const a = answers()
  expect(existsSync(cacheFile)).toBe(true)
  return a
}

let good: ReturnType<typeof answers>

beforeAll(() => {
  ex = exampleHome()
  cacheFile = join(ex.home, 'cache', 'snapshot.cache')
  const list = run(['packs', 'list']).json as {id: string; projects: unknown[]}[]
  popular = [...list].sort((a, b) => b.projects.length - a.projects.length)[0]!.id
  const projects = JSON.parse(readFileSync(join(ex.home, 'projects.json'), 'utf8')).projects as Record<string, unknown>
  lockFile = join(Object.keys(projects).sort()[0]!, '.ggen', 'packs.lock')
  good = fresh()
  expect(good.list.code).toBe(0)
  expect(good.list.json.length).toBeGreaterThan(5)
  expect(good.dependents.json.projects.length).toBeGreaterThan(1)
}, 600_000)

afterAll(() => rmSync(join(ex.out, '..', '..'), {recursive: true, force: true}))

/** a line of the snapshot file: 1 the head, 2 the body */
const section = (n: 1 | 2): string => readFileSync(cacheFile, 'utf8').split('\n')[n]!

/**
 * The damage a framed cache (src/formats/framed.ts) must survive: gone, cut short, garbage under
 * its format line, a byte flipped, and valid frames around bodies changed by `reshape` (the file
 * is read when the case runs: it is named by a getter because it is known only in beforeAll)
 */
function damages(file: () => string, format: string, reshape: [string, (body: Record<string, unknown>) => unknown][]): [string, () => Buffer | null][] {
  const body = () => JSON.parse(readFileSync(file(), 'utf8').split('\n')[1]!) as Record<string, unknown>
  return [
    ['deleted', () => null],
    ['truncated', () => readFileSync(file()).subarray(0, 200)],
    ['garbage', () => Buffer.from(`${format} 0 3\nabc`)],
    ['a byte flipped', () => {
      const b = Buffer.from(readFileSync(file()))
      b[Math.floor(b.length / 2)] = b[Math.floor(b.length / 2)]! ^ 0x01
      return b
    }],
    ...reshape.map(([name, change]): [string, () => Buffer] => [name, () => frame(format, JSON.stringify(change(body())))]),
  ]
}

/** write the damaged bytes into the file (null: delete it) */
function damage(file: string, bytes: () => Buffer | null): void {
  const b = bytes()
  if (b === null) rmSync(file, {force: true})
  else writeFileSync(file, b)
}

/** the cache written and matching the files */
const warm = () => expect(run(['packs', 'list']).code).toBe(0)

const expectGood = (expected = good) => {
  const a = answers()
  for (const r of Object.values(a)) expect(r.stderr).not.toMatch(/This is a bug/)
  expect(a).toEqual(expected)
  expect(readFileSync(cacheFile).subarray(0, 21).toString()).toBe('ggen-packs-snapshot/5')
}

describe('a damaged snapshot costs a rebuild, never a wrong answer', () => {
  it('deleted', () => {
    rmSync(cacheFile, {force: true})
    expectGood()
  })

  it.each([0, 21, 0.5, -1])('truncated at %s', (at) => {
    answers()
    const bytes = readFileSync(cacheFile)
    const n = at < 0 ? bytes.length + at : at < 1 ? Math.floor(bytes.length * at) : at
    writeFileSync(cacheFile, bytes.subarray(0, n))
    expectGood()
  })

  it.each([
    ['text', () => Buffer.from('not a snapshot at all\n{}')],
    ['random bytes', () => Buffer.from(Array.from({length: 4096}, (_, i) => (i * 7919) % 256))],
    ['gzip of the real one', () => gzipSync(readFileSync(cacheFile))],
    ['the real one twice', () => Buffer.concat([readFileSync(cacheFile), readFileSync(cacheFile)])],
    ['a valid frame around a head of the wrong shape', () => frameSnapshotFile({head: JSON.stringify({machine: 'example-laptop', store: 'x', dirs: 'nope', id: 'x'}), body: section(2)})],
    ['a valid frame around a body of the wrong shape', () => frameSnapshotFile({head: section(1).replace(/"id":"[^"]*"/, '"id":"other"'), body: '{}'})],
    ['a valid frame around wrong lock rows', () => frameSnapshotFile({head: section(1).replace(/"id":"[^"]*"/, '"id":"other"'), body: section(2).replaceAll('"locks":[[', '"locks":[7,[')})],
    ['a valid frame around JSON that is not an object', () => frameSnapshotFile({head: '[1,2,3]', body: '[1,2,3]'})],
    ["another machine's", () => frameSnapshotFile({head: section(1).replace('"machine":"example-laptop"', '"machine":"elsewhere"'), body: section(2)})],
    ['the header announcing other section sizes', () => Buffer.from(readFileSync(cacheFile, 'latin1').replace(/^(\S+ \S+ )(\d+)/, (_m, a: string, n: string) => `${a}${Number(n) + 1}`), 'latin1')],
  ])('garbage: %s', (_name, bytes) => {
    warm()
    writeFileSync(cacheFile, bytes())
    expectGood()
  })

  it('bytes flipped at several offsets (the checksum catches each)', () => {
    warm()
    const bytes = readFileSync(cacheFile)
    for (const at of [3, 200, Math.floor(bytes.length / 2), bytes.length - 5]) {
      const bad = Buffer.from(bytes)
      bad[at] = bad[at]! ^ 0x04
      writeFileSync(cacheFile, bad)
      expectGood()
    }
  })

  it('valid but stale: a snapshot written before one project changed is patched, equal to a fresh build', () => {
    warm()
    const stale = `${cacheFile}.stale`
    copyFileSync(cacheFile, stale)
    const original = readFileSync(lockFile, 'utf8')
    try {
      const lock = JSON.parse(original) as {packs: Record<string, unknown>}
      const first = Object.keys(lock.packs).sort()[0]!
      delete lock.packs[first]
      writeFileSync(lockFile, JSON.stringify(lock, null, 2) + '\n')
      const changed = fresh()
      expect(changed).not.toEqual(good)
      copyFileSync(stale, cacheFile) // the older project stat: the project is read again
      expectGood(changed)
      copyFileSync(stale, cacheFile)
      // and the project going back to what the stale snapshot recorded (new stat, same content)
      writeFileSync(lockFile, original)
      expectGood()
    } finally {
      writeFileSync(lockFile, original)
      rmSync(stale, {force: true})
    }
    expectGood()
  })
})

describe("list's kept rows (cache/list-view.cache) are a cache too", () => {
  let viewFile = ''
  const list = () => run(['packs', 'list'])
  beforeAll(() => {
    viewFile = join(ex.home, 'cache', 'list-view.cache')
  })
  /** list answers as a build from nothing would, and keeps its rows again */
  const expectList = (expected = good.list) => {
    expect(list()).toEqual(expected)
    expect(readFileSync(viewFile).subarray(0, 22).toString()).toBe('ggen-packs-list-view/2')
  }

  it('is kept by list, and a list with nothing changed answers from it alone', () => {
    rmSync(viewFile, {force: true})
    expectList()
    // the snapshot's body unreadable (its head intact): the kept rows still answer, the same
    const bytes = readFileSync(cacheFile)
    try {
      const bad = Buffer.from(bytes)
      bad[bad.length - 3] = bad[bad.length - 3]! ^ 0x04
      writeFileSync(cacheFile, bad)
      expect(list()).toEqual(good.list)
    } finally {
      writeFileSync(cacheFile, bytes)
    }
  })

  it.each(
    damages(() => viewFile, LIST_VIEW_FORMAT, [
      ['a valid frame around rows of the wrong shape', (body) => ({...body, rows: (body.rows as unknown[]).map(() => [1, 2])})],
      ['a valid frame naming projects that are not in its table', (body) => ({...body, projects: []})],
    ]),
  )('%s: list answers from the graph, the same', (_name, bytes) => {
    expectList()
    damage(viewFile, bytes)
    expectList()
  })

  it('rows kept for an older snapshot are not used once a project changed', () => {
    expectList()
    const keptBefore = readFileSync(viewFile)
    const original = readFileSync(lockFile, 'utf8')
    try {
      const lock = JSON.parse(original) as {packs: Record<string, unknown>}
      delete lock.packs[Object.keys(lock.packs).sort()[0]!]
      writeFileSync(lockFile, JSON.stringify(lock, null, 2) + '\n')
      const changed = list()
      expect(changed).not.toEqual(good.list)
      writeFileSync(viewFile, keptBefore) // the rows of the snapshot before the change
      expect(list()).toEqual(changed)
    } finally {
      writeFileSync(lockFile, original)
    }
    expectList()
  })

  it('a deprecation made after the rows were kept shows at once, and so does its undo', () => {
    expectList()
    const target = good.list.json.find((r: {projects: unknown[]}) => r.projects.length > 0) as {id: string; version: string}
    const rowOf = (l: ReturnType<typeof list>) => l.json.find((r: {id: string; version: string}) => r.id === target.id && r.version === target.version)
    const d = run(['packs', 'deprecate', `${target.id}@${target.version}`, '--message', 'kept rows go stale'])
    expect(d.code, d.stderr).toBe(0)
    expect(rowOf(list()).deprecated).toContain('kept rows go stale')
    const u = run(['packs', 'deprecate', `${target.id}@${target.version}`, '--undo'])
    expect(u.code, u.stderr).toBe(0)
    expect(rowOf(list()).deprecated).toBeNull()
    expectList()
  })
})

describe("the scan's kept findings (cache/scan-core.cache) are a cache too", () => {
  let coreFile = ''
  let goodScan: {code: number | null; json: Record<string, unknown>}
  /** the scan's answer without its clock (when it ran, how old the database is by then) */
  const scan = () => {
    const r = run(['packs', 'security-scan'])
    expect(r.stderr).not.toMatch(/This is a bug/)
    const json = r.json as {scanned_at?: string; database: {age_days?: number}}
    delete json.scanned_at
    delete json.database.age_days
    return {code: r.code, json: json as unknown as Record<string, unknown>}
  }
  /** the answer of a scan made from nothing kept; it keeps its findings again */
  const made = () => {
    rmSync(coreFile, {force: true})
    const s = scan()
    expect(existsSync(coreFile)).toBe(true)
    return s
  }
  type Found = {package: string; version: string; advisories: {id: string}[]; fix: {kind: string; version?: string}}
  const findings = (s: typeof goodScan) => s.json.findings as Found[]

  beforeAll(() => {
    coreFile = join(ex.home, 'cache', 'scan-core.cache')
    goodScan = made()
    expect(goodScan.code).toBe(0)
    expect(findings(goodScan).length).toBeGreaterThan(1)
  })

  it('is kept by the scan, and a scan with nothing changed answers from it alone', () => {
    expect(scan()).toEqual(goodScan)
    // the snapshot's body unreadable (its head intact): the kept findings still answer, the same
    const bytes = readFileSync(cacheFile)
    try {
      const bad = Buffer.from(bytes)
      bad[bad.length - 3] = bad[bad.length - 3]! ^ 0x04
      writeFileSync(cacheFile, bad)
      expect(scan()).toEqual(goodScan)
    } finally {
      writeFileSync(cacheFile, bytes)
    }
  })

  it.each(
    damages(() => coreFile, SCAN_CORE_FORMAT, [
      ['a valid frame around findings of the wrong shape', (body) => ({...body, findings: (body.findings as unknown[]).map(() => ({package: 1}))})],
      ['a valid frame whose paths point past its strings', (body) => ({...body, strings: (body.strings as unknown[]).slice(0, 1)})],
      ['a valid frame whose findings point past its advisories', (body) => ({...body, advisories: []})],
      ['a valid frame with a path of one string', (body) => ({...body, findings: (body.findings as unknown[][]).map((f) => [...f.slice(0, 3), (f[3] as number[][]).map((p) => p.slice(0, 1)), f[4]])})],
      ['a valid frame kept for other inputs', (body) => ({...body, key: `${body.key as string} (other)`, findings: (body.findings as unknown[]).slice(1)})],
    ]),
  )('%s: the scan is made again, the same', (_name, bytes) => {
    expect(scan()).toEqual(goodScan)
    damage(coreFile, bytes)
    expect(scan()).toEqual(goodScan)
    expect(readFramed(coreFile, SCAN_CORE_FORMAT)).not.toBeNull()
  })

  it('findings kept before a project changed are not used after it', () => {
    expect(scan()).toEqual(goodScan)
    const keptBefore = readFileSync(coreFile)
    const projects = JSON.parse(readFileSync(join(ex.home, 'projects.json'), 'utf8')).projects as Record<string, unknown>
    // a project whose path leads to a finding: dropping its locks changes the findings
    const path = (findings(goodScan)[0] as unknown as {projects: {project: string}[]}).projects[0]!.project
    expect(projects[path]).toBeDefined()
    const lock = join(path, '.ggen', 'packs.lock')
    const original = readFileSync(lock, 'utf8')
    try {
      const l = JSON.parse(original) as {packs: Record<string, unknown>}
      l.packs = {}
      writeFileSync(lock, JSON.stringify(l, null, 2) + '\n')
      const changed = made()
      expect(changed).not.toEqual(goodScan)
      writeFileSync(coreFile, keptBefore) // the findings of the snapshot before the change
      expect(scan()).toEqual(changed)
    } finally {
      writeFileSync(lock, original)
    }
    expect(scan()).toEqual(goodScan)
  })

  /** yank package@version, and take the yank back */
  const overlayYank = (target: string) => {
    const y = run(['packs', 'deprecate', target, '--yank', '--message', 'kept findings go stale'])
    expect(y.code, y.stderr).toBe(0)
    return () => {
      const u = run(['packs', 'deprecate', target, '--yank', '--undo'])
      expect(u.code, u.stderr).toBe(0)
    }
  }
  /** the registry's publisher yanks it in index.json (nothing of ggen packs runs meanwhile) */
  const publisherYank = (target: string) => {
    const file = join(ex.registry, 'index.json')
    const original = readFileSync(file)
    const index = JSON.parse(original.toString('utf8')) as {packages: Record<string, {versions: Record<string, {yanked?: boolean}>}>}
    const [id, version] = [target.slice(0, target.lastIndexOf('@')), target.slice(target.lastIndexOf('@') + 1)]
    index.packages[id]!.versions[version]!.yanked = true
    writeFileSync(file, JSON.stringify(index, null, 2) + '\n')
    return () => writeFileSync(file, original)
  }

  it.each([
    ['in the local overlay', overlayYank],
    ["in the registry's index.json by its publisher", publisherYank],
  ])('a yank made %s after the findings were kept changes the fix at once, and so does its undo', (_where, yank) => {
    expect(scan()).toEqual(goodScan)
    const f = findings(goodScan).find((x) => x.fix.kind === 'upgrade')!
    expect(f).toBeDefined()
    const undo = yank(`${f.package}@${f.fix.version}`)
    try {
      const yanked = scan()
      const after = findings(yanked).find((x) => x.package === f.package && x.version === f.version)!
      expect(after.fix.version).not.toBe(f.fix.version)
      expect(made()).toEqual(yanked)
    } finally {
      undo()
    }
    expect(scan()).toEqual(goodScan)
  })

  it('what the full scan warned about is said again when its kept findings answer', () => {
    const file = join(ex.registry, 'index.json')
    const original = readFileSync(file)
    const warned = /fix advice uses the graph's versions only/
    writeFileSync(file, '{ this registry index is damaged')
    try {
      rmSync(coreFile, {force: true})
      const full = run(['packs', 'security-scan'])
      expect(full.stderr).toMatch(warned)
      expect(existsSync(coreFile)).toBe(true)
      const again = run(['packs', 'security-scan'])
      expect(again.stderr).toMatch(warned)
      expect(again.json.findings).toEqual(full.json.findings)
    } finally {
      writeFileSync(file, original)
    }
    expect(scan()).toEqual(goodScan)
  })

  it('an ignore written after the findings were kept applies to them', () => {
    expect(scan()).toEqual(goodScan)
    const f = findings(goodScan)[0]!
    const file = join(ex.home, 'advisories', 'ignore.toml')
    writeFileSync(file, `[[IgnoredVulns]]\nid = "${f.advisories[0]!.id}"\nreason = "kept findings, ignores applied on top"\n`)
    try {
      const ignored = scan()
      expect((ignored.json.ignored as {id: string}[]).map((i) => i.id)).toContain(f.advisories[0]!.id)
      expect(made()).toEqual(ignored)
    } finally {
      rmSync(file, {force: true})
    }
    expect(scan()).toEqual(goodScan)
  })

  it('a new advisory database is scanned, not answered from the findings of the old one', () => {
    expect(scan()).toEqual(goodScan)
    const from = join(ex.out, 'advisories-one')
    const all = join(ex.out, '..', 'advisories')
    const first = readdirSync(all).filter((n) => n.endsWith('.json')).sort()
    expect(first.length).toBeGreaterThan(1)
    mkdirSync(from, {recursive: true})
    copyFileSync(join(all, first[0]!), join(from, first[0]!))
    const importFrom = (dir: string) => {
      const r = run(['packs', 'security-scan', '--vulnerability-db-update', '--from', dir])
      expect(r.code, r.stderr).toBe(0)
    }
    try {
      importFrom(from)
      const fewer = scan()
      expect(findings(fewer).length).toBeLessThan(findings(goodScan).length)
      expect(made()).toEqual(fewer)
    } finally {
      importFrom(all)
    }
    const again = scan()
    expect({...again, json: {...again.json, database: undefined}}).toEqual({...goodScan, json: {...goodScan.json, database: undefined}})
  })
})

describe("list's patched rows and the snapshot's delta (cache/snapshot-delta.cache) are caches too", () => {
  let deltaFile = ''
  let viewFile = ''
  let changed: ReturnType<typeof answers>
  /** the answers before the change (this file's earlier scans add security statuses to `good`'s) */
  let before: ReturnType<typeof answers>
  let original = ''
  /** the first project's lockfile with every lock's date moved: what list shows changes (last_used), no row's signature does */
  const moveDates = () => {
    const l = JSON.parse(original) as {packs: Record<string, {installed_at?: string}>}
    for (const e of Object.values(l.packs)) e.installed_at = '2027-01-01T00:00:00.000Z'
    writeFileSync(lockFile, JSON.stringify(l, null, 2) + '\n')
  }
  /** the id in the snapshot's own head */
  const headId = () => (JSON.parse(section(1)) as {id: string}).id
  const viewId = () => (JSON.parse(readFramed(viewFile, LIST_VIEW_FORMAT)!) as {snapshot: string}).snapshot

  beforeAll(() => {
    deltaFile = join(ex.home, 'cache', 'snapshot-delta.cache')
    viewFile = join(ex.home, 'cache', 'list-view.cache')
    original = readFileSync(lockFile, 'utf8')
    before = fresh()
    moveDates()
    changed = fresh()
    expect(changed).not.toEqual(before)
    writeFileSync(lockFile, original)
    expect(fresh()).toEqual(before)
  })
  afterAll(() => writeFileSync(lockFile, original))

  /** list patched for the changed lockfile: snapshot.cache as it was, the change in its delta */
  const patchedList = () => {
    expect(run(['packs', 'list']).code).toBe(0) // the rows and their aid kept for the current snapshot
    const snapshotBefore = readFileSync(cacheFile)
    moveDates()
    const list = run(['packs', 'list'])
    expect(list).toEqual(changed.list)
    expect(readFileSync(cacheFile).equals(snapshotBefore)).toBe(true)
    expect(existsSync(deltaFile)).toBe(true)
    return list
  }

  it('a changed project is patched into the kept rows without the body; the next reader of the body applies the delta and keeps its id', () => {
    patchedList()
    const id = viewId()
    expect(id).not.toBe(headId()) // the delta's head names the patched rows
    // readers of the body see the change (the delta applied), and write the snapshot again under the same id
    expect(run(['packs', 'dependents', popular, '--transitive'])).toEqual(changed.dependents)
    expect(existsSync(deltaFile)).toBe(false)
    expect(headId()).toBe(id)
    expect(answers()).toEqual(changed)
    writeFileSync(lockFile, original)
    expect(answers()).toEqual(before)
  })

  it('a change the rows cannot be patched for (another integrity) is answered from the graph, the same as a fresh build', () => {
    expect(run(['packs', 'list']).code).toBe(0)
    const l = JSON.parse(original) as {packs: Record<string, {integrity?: string}>}
    const first = Object.keys(l.packs)[0]!
    l.packs[first]!.integrity = 'sha512-' + Buffer.alloc(64, 7).toString('base64')
    writeFileSync(lockFile, JSON.stringify(l, null, 2) + '\n')
    const list = run(['packs', 'list'])
    expect(existsSync(deltaFile)).toBe(false)
    const other = fresh()
    expect(list).toEqual(other.list)
    writeFileSync(lockFile, original)
    expect(answers()).toEqual(before)
  })

  it('lists run at once after a change, patched or answered from the graph, all answer right and leave caches that answer right', async () => {
    expect(run(['packs', 'list']).code).toBe(0)
    moveDates()
    const all = await Promise.all(Array.from({length: 4}, () => runCliAsync(['packs', 'list', '--json'], {env: ex.env, cwd: ex.workspace})))
    for (const r of all) {
      expect(r.code, r.stderr).toBe(0)
      expect(r.json).toEqual(changed.list.json)
    }
    expect(answers()).toEqual(changed)
    writeFileSync(lockFile, original)
    expect(answers()).toEqual(before)
  })

  it("counts only beside the snapshot file it was written for (another writer's full write leaves it behind)", () => {
    patchedList()
    const delta = JSON.parse(readFramed(deltaFile, SNAPSHOT_DELTA_FORMAT)!) as {base: string; head: {id: string}}
    expect(delta.base).toBe(headId())
    expect(readSnapshotHead(cacheFile, deltaFile)!.id).toBe(delta.head.id)
    expect(readSnapshotFile(cacheFile, deltaFile)!.delta.size).toBe(1)
    writeFileSync(deltaFile, frame(SNAPSHOT_DELTA_FORMAT, JSON.stringify({...delta, base: 'another'})))
    expect(readSnapshotHead(cacheFile, deltaFile)!.id).toBe(headId())
    expect(readSnapshotFile(cacheFile, deltaFile)!.delta.size).toBe(0)
    writeFileSync(lockFile, original)
    expect(answers()).toEqual(before)
  })

  it.each(
    damages(() => deltaFile, SNAPSHOT_DELTA_FORMAT, [
      ['a valid frame of another snapshot file', (body) => ({...body, base: 'another'})],
      ['a valid frame around parts of the wrong shape', (body) => ({...body, parts: [['/nowhere', {row: 1}]]})],
      ['a valid frame around a head of the wrong shape', (body) => ({...body, head: {dirs: 'nope'}})],
    ]),
  )('a delta %s: every answer equals a fresh build', (_name, bytes) => {
    patchedList()
    damage(deltaFile, bytes)
    expect(answers()).toEqual(changed)
    writeFileSync(lockFile, original)
    expect(answers()).toEqual(before)
  })
})
