/**
 * The audit log is tamper-evident, truncation included, through the real binary (bin/run.js; run
 * `npm run build` first). A log of five entries (four with a history generation, one failure) is
 * made once with `packs install` / `uninstall` on a registry built at test time; each tamper
 * starts from a fresh copy of that $GGEN_HOME, changes the log (and, for the strongest attacker,
 * the anchor too), and `packs audit --verify --json` must report the first break (line and
 * message) and exit 1. The hash rule used to forge entries is written here from the format
 * (docs/formats.md: sha256 over the entry without `hash`, keys sorted, 2-space JSON + newline).
 *
 * The log (line: entry, generation written before it with its audit_anchor):
 *   1: install io.at.one     gen 1 (no anchor yet: fresh home)
 *   2: install io.at.two     gen 2 {count 1}
 *   3: install io.at.nope    failure, no generation
 *   4: uninstall io.at.one   gen 3 {count 3}
 *   5: install io.at.one     gen 4 {count 4}
 */
import {createHash} from 'node:crypto'
import {cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, tempDir, writeProject, type CliResult} from '../support/cli.js'

const root = tempDir('ggen-audit-tamper-')
const base = join(root, 'base-home')
let registry = ''
let project = ''
let n = 0
const tally = {tried: 0, detected: 0}

afterAll(() => {
  process.stderr.write(`audit tampers: ${tally.tried} tried, ${tally.detected} detected\n`)
})

// ---- the format's hash rule, written independently of src/audit ----
type Entry = Record<string, unknown> & {seq: number; hash: string; prev_hash: string; details: string}
const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v
const hashOf = (e: Entry): string => {
  const {hash, ...rest} = e
  void hash
  return createHash('sha256').update(JSON.stringify(sortKeys(rest), null, 2) + '\n').digest('hex')
}
/** recompute prev_hash and hash of every entry from index `from` on */
function rechain(entries: Entry[], from: number): Entry[] {
  for (let i = from; i < entries.length; i++) {
    entries[i]!.prev_hash = i === 0 ? '0'.repeat(64) : entries[i - 1]!.hash
    entries[i]!.hash = hashOf(entries[i]!)
  }
  return entries
}

/** a fresh copy of the five-entry home */
function home(): {env: Record<string, string>; log: string; anchor: string; lines: () => string[]; entries: () => Entry[]; write: (lines: string[]) => void; history: string} {
  const h = join(root, `home-${++n}`)
  cpSync(base, h, {recursive: true})
  const log = join(h, 'audit', 'audit.log')
  const lines = () => readFileSync(log, 'utf8').split('\n').filter(Boolean)
  return {
    env: {GGEN_HOME: h, GGEN_REGISTRY_URL: registry},
    log,
    anchor: join(h, 'audit', 'anchor.json'),
    history: join(h, 'history'),
    lines,
    entries: () => lines().map((l) => JSON.parse(l) as Entry),
    write: (ls) => writeFileSync(log, ls.map((l) => l + '\n').join('')),
  }
}

/** a new project (history is keyed by path: a copied home knows nothing of it) */
const freshProject = (): string => writeProject(join(root, `p-${++n}`), 'fresh')

const verify = (env: Record<string, string>, extra: string[] = []): CliResult => runCli(['packs', 'audit', '--verify', '--json', ...extra], {env})

/** a tamper: verify reports `line` and `message` as the first break, `later` more problems, exit 1 */
function expectBreak(r: CliResult, line: number, message: RegExp, later?: number): void {
  tally.tried++
  expect(r.code, r.stderr + r.stdout).toBe(1)
  expect(r.json.ok).toBe(false)
  expect(r.json.first_break).toMatchObject({line})
  expect(r.json.first_break.message).toMatch(message)
  if (later !== undefined) expect(r.json.later_problems).toBe(later)
  tally.detected++
}

beforeAll(() => {
  registry = buildRegistry(root, [
    {id: 'io.at.one', version: '1.0.0'},
    {id: 'io.at.two', version: '1.0.0'},
  ])
  project = writeProject(join(root, 'p'), 'p')
  const env = {GGEN_HOME: base, GGEN_REGISTRY_URL: registry}
  const run = (args: string[], code: number) => expect(runCli(['packs', ...args, '--project', project], {env}).code, args.join(' ')).toBe(code)
  run(['install', 'io.at.one'], 0)
  run(['install', 'io.at.two'], 0)
  run(['install', 'io.at.nope'], 4)
  run(['uninstall', 'io.at.one'], 0)
  run(['install', 'io.at.one'], 0)
}, 60_000)

describe('audit --verify: an untouched log', () => {
  it('verifies: typed result, only the verification printed, every generation anchor checked', () => {
    const h = home()
    const r = verify(h.env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ok: true, entries: 5, first_break: null, later_problems: 0, generations_checked: 3, anchor: {count: 5, seq: 4, status: 'ok', behind: 0}})
    expect(r.json.anchor.head).toBe(h.entries()[4]!.hash)
    expect(r.json.team).toMatchObject({backend: 'memory', status: 'no-team-copy'})
    const gens = readdirSync(h.history).flatMap((d) => readdirSync(join(h.history, d)).map((f) => JSON.parse(readFileSync(join(h.history, d, f), 'utf8'))))
    expect(gens.map((g) => g.audit_anchor?.count ?? null).sort()).toEqual([1, 3, 4, null])
    const text = runCli(['packs', 'audit', '--verify'], {env: h.env})
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^audit chain intact \(5 entries\)/)
    expect(text.stdout).toMatch(/memory backend: no team copy/)
    expect(text.stdout).not.toMatch(/TIME|DETAILS/)
  })

  it('--verify does not combine with filters (exit 2)', () => {
    expect(runCli(['packs', 'audit', '--verify', '--since', '1h'], {env: home().env}).code).toBe(2)
  })
})

describe('audit --verify: tampers', () => {
  it('deleting the last line is truncation', () => {
    const h = home()
    h.write(h.lines().slice(0, 4))
    expectBreak(verify(h.env), 4, /^1 entry missing after line 4 \(the anchor records 5 entries\)$/, 0)
  })

  it('deleting the last three lines: the anchor and two generations see it; one break, two later problems', () => {
    const h = home()
    h.write(h.lines().slice(0, 2))
    expectBreak(verify(h.env), 2, /^3 entries missing after line 2 /, 2)
  })

  it('deleting a middle line breaks the chain there', () => {
    const h = home()
    const ls = h.lines()
    h.write([...ls.slice(0, 2), ...ls.slice(3)])
    expectBreak(verify(h.env), 3, /entry 3 does not follow the previous entry/, 3)
  })

  it('emptying the file', () => {
    const h = home()
    writeFileSync(h.log, '')
    expectBreak(verify(h.env), 0, /^the log is empty: 5 entries missing after line 0/)
  })

  it('deleting the file', () => {
    const h = home()
    rmSync(h.log)
    expectBreak(verify(h.env), 0, /^the log file is missing: 5 entries missing after line 0/)
  })

  it("editing an entry's details without re-chaining", () => {
    const h = home()
    const es = h.entries()
    es[1]!.details = 'nothing happened here'
    h.write(es.map((e) => JSON.stringify(e)))
    expectBreak(verify(h.env), 2, /entry 1 was modified/, 0)
  })

  it('editing an entry and re-chaining every later hash: the history generations and the anchor disagree', () => {
    const h = home()
    const es = h.entries()
    es[1]!.details = 'nothing happened here'
    h.write(rechain(es, 1).map((e) => JSON.stringify(e)))
    // generation 3 anchored line 3: the first line a witness recorded at or after the edit
    expectBreak(verify(h.env), 3, /^line 3 is not the entry history generation 3 of .* records there .*rewritten at or before this line/, 2)
  })

  it('re-chaining AND rewriting the anchor consistently is still caught by the history generations', () => {
    const h = home()
    const es = h.entries()
    es[1]!.details = 'nothing happened here'
    rechain(es, 1)
    h.write(es.map((e) => JSON.stringify(e)))
    const anchor = JSON.parse(readFileSync(h.anchor, 'utf8'))
    writeFileSync(h.anchor, JSON.stringify({...anchor, head: es[4]!.hash}))
    expectBreak(verify(h.env), 3, /history generation 3 of /, 1)
  })

  it('reordering two lines', () => {
    const h = home()
    const ls = h.lines()
    h.write([ls[0]!, ls[2]!, ls[1]!, ls[3]!, ls[4]!])
    expectBreak(verify(h.env), 2, /entry 2 does not follow the previous entry/)
  })

  it('inserting a forged line (correctly hashed, chained to the line before it)', () => {
    const h = home()
    const es = h.entries()
    const forged = {...es[1]!, seq: 2, details: 'install io.evil: io.evil - -> 6.6.6', affected_packages: ['io.evil'], prev_hash: es[1]!.hash} as Entry
    forged.hash = hashOf(forged)
    h.write([...h.lines().slice(0, 2), JSON.stringify(forged), ...h.lines().slice(2)])
    expectBreak(verify(h.env), 3, /^1 entry inserted before line 4 \(history generation 3 of /)
  })

  it('LIMIT: one forged entry appended at the end looks like an interrupted anchor write (reported as a note, not a break)', () => {
    const h = home()
    const es = h.entries()
    const forged = {...es[4]!, seq: 5, details: 'install io.evil: io.evil - -> 6.6.6', prev_hash: es[4]!.hash} as Entry
    forged.hash = hashOf(forged)
    h.write([...h.lines(), JSON.stringify(forged)])
    const r = verify(h.env)
    tally.tried++ // not detected: an unkeyed chain lets anyone who can write the log extend it
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ok: true, anchor: {status: 'behind', behind: 1}})
    expect(r.json.notes[0]).toMatch(/anchor behind by 1/)
  })

  it('a torn last line', () => {
    const h = home()
    const ls = h.lines()
    writeFileSync(h.log, [...ls.slice(0, 4), ls[4]!.slice(0, 60)].join('\n'))
    expectBreak(verify(h.env), 5, /not a valid audit entry/, 1)
  })

  it('deleting the anchor', () => {
    const h = home()
    rmSync(h.anchor)
    expectBreak(verify(h.env), 0, /^no anchor \(.*anchor\.json\) while the log has 5 entries/, 0)
  })

  it('a damaged anchor', () => {
    const h = home()
    writeFileSync(h.anchor, '{"count": 5, "head": "x"')
    expectBreak(verify(h.env), 0, /^the anchor is unreadable: .*anchor\.json: invalid JSON/, 0)
  })
})

describe('a log that does not match its anchor is never appended to', () => {
  it('install refuses (E_INTEGRITY, exit 5), the project is unchanged, and the evidence stays', () => {
    const h = home()
    const p = freshProject()
    h.write(h.lines().slice(0, 3))
    const before = {toml: readFileSync(join(p, 'ggen.toml'), 'utf8'), anchor: readFileSync(h.anchor, 'utf8')}
    const r = runCli(['packs', 'install', 'io.at.two', '--project', p, '--json'], {env: h.env})
    expect(r.code, r.stderr).toBe(5)
    expect(r.json.error).toMatchObject({code: 'E_INTEGRITY', file: h.log})
    expect(r.json.error.message).toMatch(/2 entries missing after line 3 .*refusing to append/)
    expect(r.json.error.hint).toMatch(/--accept-anchor/)
    expect(readFileSync(join(p, 'ggen.toml'), 'utf8')).toBe(before.toml)
    expect(existsSync(join(p, '.ggen', 'packs.lock'))).toBe(false)
    expect(readFileSync(h.anchor, 'utf8')).toBe(before.anchor)
    expect(h.lines()).toHaveLength(3)
  })

  it('--accept-anchor adopts the truncated log (recorded in the log); the history still shows the truncation', () => {
    const h = home()
    h.write(h.lines().slice(0, 3))
    const r = runCli(['packs', 'audit', '--accept-anchor', '--json'], {env: h.env})
    expect(r.stderr).toMatch(/accepted the audit log as it was \(2 entries missing after line 3/)
    expect(h.entries().at(-1)).toMatchObject({action: 'audit-accept-anchor', seq: 3})
    expect(r.json.anchor).toMatchObject({count: 4, status: 'ok'})
    // generations 3 and 4 anchored lines 3 and 4 of the old log: line 4 is now the acceptance
    expect(r.code).toBe(1)
    expect(r.json.first_break.message).toMatch(/history generation/)
  })
})

describe('logs without an anchor (written before anchors existed, or the anchor deleted)', () => {
  it('an append over an unanchored log anchors from there and marks it; verify reports it until --accept-anchor', () => {
    const h = home()
    rmSync(h.anchor)
    expect(runCli(['packs', 'install', 'io.at.two', '--project', project], {env: h.env}).code).toBe(0)
    const marked = JSON.parse(readFileSync(h.anchor, 'utf8'))
    expect(marked).toMatchObject({count: 6, unanchored: {before: 5}})
    expectBreak(verify(h.env), 0, /^the anchor was missing when entry 6 was appended .*the 5 entries before it were never anchored/, 0)
    const accepted = runCli(['packs', 'audit', '--accept-anchor', '--json'], {env: h.env})
    expect(accepted.code, accepted.stdout).toBe(0)
    expect(accepted.json).toMatchObject({ok: true, entries: 7, anchor: {count: 7, status: 'ok'}})
    expect(JSON.parse(readFileSync(h.anchor, 'utf8')).unanchored).toBeUndefined()
    expect(runCli(['packs', 'audit', '--accept-anchor'], {env: h.env}).stderr).toMatch(/nothing to accept/)
    expect(h.entries()).toHaveLength(7)
  })
})

describe('a torn write beyond the anchor (a crash in the middle of an append)', () => {
  it('stays reported; the next entry starts a line of its own, chained to the torn text', () => {
    const h = home()
    writeFileSync(h.log, readFileSync(h.log, 'utf8') + '{"seq":5,"timestamp":"2026-')
    expect(runCli(['packs', 'install', 'io.at.two', '--project', project], {env: h.env}).code).toBe(0)
    const ls = readFileSync(h.log, 'utf8').split('\n').filter(Boolean)
    expect(ls).toHaveLength(7)
    expect(JSON.parse(ls[6]!).prev_hash).toBe(createHash('sha256').update(ls[5]!).digest('hex'))
    const r = verify(h.env)
    expect(r.code).toBe(1)
    expect(r.json).toMatchObject({entries: 7, first_break: {line: 6}, later_problems: 0, anchor: {count: 7, status: 'ok'}})
    expect(r.json.first_break.message).toMatch(/not a valid audit entry/)
  })
})

describe('a crash between the append and the anchor write', () => {
  it('leaves the log one entry beyond its anchor: accepted, reported, and repaired by the next append', () => {
    const h = home()
    const p = freshProject()
    const killed = runCli(['packs', 'install', 'io.at.two', '--project', p], {env: {...h.env, GGEN_PACKS_FAULT: 'kill:anchor.json'}})
    expect(killed.signal).toBe('SIGKILL')
    expect(h.lines()).toHaveLength(6)
    expect(JSON.parse(readFileSync(h.anchor, 'utf8')).count).toBe(5)
    const v = verify(h.env)
    expect(v.code, v.stdout).toBe(0)
    expect(v.json).toMatchObject({ok: true, entries: 6, anchor: {count: 5, status: 'behind', behind: 1}})
    expect(v.json.notes).toEqual(['anchor behind by 1 (interrupted write), repaired on next append'])
    expect(runCli(['packs', 'audit', '--verify'], {env: h.env}).stdout).toMatch(/note: anchor behind by 1 \(interrupted write\), repaired on next append/)
    // the next command recovers the interrupted install (one more entry) and anchors the log
    expect(runCli(['packs', 'rollback', '--list', '--project', p], {env: h.env}).code).toBe(0)
    const after = verify(h.env)
    expect(after.json).toMatchObject({ok: true, entries: 7, anchor: {count: 7, status: 'ok', behind: 0}, notes: []})
    expect(h.entries().at(-1)!.details).toMatch(/^interrupted install rolled back/)
    expect(existsSync(join(p, '.ggen', 'txn.json'))).toBe(false)
  })
})
