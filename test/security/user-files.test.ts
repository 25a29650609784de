/**
 * The user's ggen.toml survives our edits: a richly commented file (comments above and beside
 * keys, blank lines, unknown keys in [project], an unknown [generators] table with a multi-line
 * array, an unsorted [packs], mode 0600, owned by another user) goes through install, update,
 * uninstall, rollback and undo with the real binary; after each step only the changed line differs
 * and mode and owner are kept. Also: writeFileAtomic's mode/owner rules, and an invalid range in
 * ggen.toml is a format error (exit 3) naming file, key and range.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {itIf} from '../support/skip.js'
import {writeFileAtomic} from '../../src/formats/fs.js'
import {buildRegistry, repoRoot, runCli, tempDir} from '../support/cli.js'

const root = tempDir('ggen-user-files-')
const home = join(root, 'home')
let registry = ''
const cli = (args: string[]) => runCli(args, {env: {GGEN_HOME: home, GGEN_REGISTRY_URL: registry}})
const isRoot = process.getuid?.() === 0
const NOBODY = 65534

const ORIGINAL = [
  '# shop: hand-written project file, keep these comments',
  '[project]',
  'name = "shop"          # display name',
  'team = "payments"',
  'secret_field = 42      # unknown to ggen packs: must survive',
  '',
  '# registry packs (deliberately not sorted)',
  '[packs]',
  '# the web layer',
  '"io.u.web" = "^1.0.0"  # pinned major = "#1"',
  "'io.u.db' = { version = \"^1.0.0\", tier = \"recommended\" }   # literal-quoted key",
  '',
  '# generators: not ours',
  '[generators]',
  'targets = [',
  '  "rust",   # first',
  '  "ts",',
  ']',
  '"odd = key" = "value # not a comment"',
  '',
].join('\n')

/** the lines that differ between a and b (common leading and trailing lines stripped) */
function changedLines(a: string, b: string): {removed: string[]; added: string[]} {
  const x = a.split('\n')
  const y = b.split('\n')
  let head = 0
  while (head < x.length && head < y.length && x[head] === y[head]) head++
  let tail = 0
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++
  return {removed: x.slice(head, x.length - tail), added: y.slice(head, y.length - tail)}
}

describe('ggen.toml round trip through the binary', () => {
  const project = join(root, 'shop')
  const toml = join(project, 'ggen.toml')
  const read = () => readFileSync(toml, 'utf8')
  const T: string[] = []
  const expectKept = () => {
    const st = statSync(toml)
    expect((st.mode & 0o777).toString(8)).toBe('600')
    if (isRoot) expect([st.uid, st.gid]).toEqual([NOBODY, NOBODY])
  }
  const run = (args: string[]) => {
    const r = cli([...args, '--project', project])
    expect(r.code, r.stderr).toBe(0)
    return read()
  }

  beforeAll(() => {
    registry = buildRegistry(root, [
      {id: 'io.u.web', version: '1.0.0'},
      {id: 'io.u.web', version: '2.0.0'},
      {id: 'io.u.db', version: '1.0.0'},
      {id: 'io.u.cache', version: '1.0.0'},
    ])
    mkdirSync(project, {recursive: true})
    writeFileSync(toml, ORIGINAL)
    chmodSync(toml, 0o600)
    if (isRoot) chownSync(toml, NOBODY, NOBODY)
    T.push(ORIGINAL)
  })
  afterAll(() => rmSync(root, {recursive: true, force: true}))

  it('install adds one line at the end of [packs]; every other byte, the mode and the owner stay', () => {
    const after = run(['packs', 'install', 'io.u.cache'])
    expect(changedLines(ORIGINAL, after)).toEqual({removed: [], added: ['"io.u.cache" = "^1.0.0"']})
    expect(after).toBe(ORIGINAL.replace('literal-quoted key\n', 'literal-quoted key\n"io.u.cache" = "^1.0.0"\n'))
    expectKept()
    T.push(after)
  })

  it('update --latest changes only the value text (key spelling and trailing comment kept)', () => {
    const after = run(['packs', 'update', 'io.u.web', '--latest'])
    expect(changedLines(T[1]!, after)).toEqual({removed: ['"io.u.web" = "^1.0.0"  # pinned major = "#1"'], added: ['"io.u.web" = "^2.0.0"  # pinned major = "#1"']})
    expectKept()
    T.push(after)
  })

  it('uninstall removes only that key line', () => {
    const after = run(['packs', 'uninstall', 'io.u.db'])
    expect(changedLines(T[2]!, after)).toEqual({removed: ["'io.u.db' = { version = \"^1.0.0\", tier = \"recommended\" }   # literal-quoted key"], added: []})
    expectKept()
    T.push(after)
  })

  it('rollback and undo restore exactly the earlier bytes, mode and owner', () => {
    expect(run(['packs', 'rollback', '--to', '1'])).toBe(T[1])
    expectKept()
    expect(run(['packs', 'undo'])).toBe(T[3])
    expectKept()
    expect(run(['packs', 'rollback', '--to', '0'])).toBe(ORIGINAL)
    expectKept()
  })

  it('a CRLF file stays CRLF through install and uninstall', () => {
    const dir = join(root, 'crlf')
    mkdirSync(dir)
    const text = ORIGINAL.replace(/\n/g, '\r\n')
    writeFileSync(join(dir, 'ggen.toml'), text)
    expect(cli(['packs', 'install', 'io.u.cache', '--project', dir]).code).toBe(0)
    const added = readFileSync(join(dir, 'ggen.toml'), 'utf8')
    expect(added).toBe(text.replace('literal-quoted key\r\n', 'literal-quoted key\r\n"io.u.cache" = "^1.0.0"\r\n'))
    expect(cli(['packs', 'uninstall', 'io.u.cache', '--project', dir]).code).toBe(0)
    expect(readFileSync(join(dir, 'ggen.toml'), 'utf8')).toBe(text)
  })
})

describe('writeFileAtomic keeps mode and owner of the file it replaces', () => {
  const dir = join(root, 'atomic')
  beforeAll(() => mkdirSync(dir, {recursive: true}))

  it('a 0600 file stays 0600; an explicit mode wins; a new file gets 0644 less the umask', () => {
    const f = join(dir, 'secret.toml')
    writeFileSync(f, 'a = 1\n')
    chmodSync(f, 0o600)
    expect(writeFileAtomic(f, 'a = 2\n').changed).toBe(true)
    expect(readFileSync(f, 'utf8')).toBe('a = 2\n')
    expect(statSync(f).mode & 0o777).toBe(0o600)
    writeFileAtomic(f, 'a = 3\n', {mode: 0o640})
    expect(statSync(f).mode & 0o777).toBe(0o640 & ~process.umask())
    const fresh = join(dir, 'fresh.toml')
    writeFileAtomic(fresh, 'x\n')
    expect(statSync(fresh).mode & 0o777).toBe(0o644 & ~process.umask())
  })

  itIf(isRoot, 'needs root: it chowns files to uid 65534')('as root: a file owned by uid/gid 65534 keeps its owner (setuid bits are dropped)', () => {
    const f = join(dir, 'nobody.toml')
    writeFileSync(f, 'a = 1\n')
    chownSync(f, NOBODY, NOBODY)
    chmodSync(f, 0o4640)
    writeFileAtomic(f, 'a = 2\n')
    const st = statSync(f)
    expect([st.uid, st.gid, (st.mode & 0o7777).toString(8)]).toEqual([NOBODY, NOBODY, '640'])
  })

  itIf(isRoot, 'needs root: it chowns a folder to uid 65534')('as a non-root user: the group is kept when the writer belongs to it', () => {
    const sub = join(dir, 'shared')
    mkdirSync(sub)
    chownSync(sub, NOBODY, 100)
    const f = join(sub, 'ggen.toml')
    writeFileSync(f, 'a = 1\n')
    chownSync(f, NOBODY, 100)
    chmodSync(f, 0o660)
    const fsModule = join(repoRoot, 'dist', 'src', 'formats', 'fs.js')
    const script = `import(${JSON.stringify(fsModule)}).then((m) => m.writeFileAtomic(${JSON.stringify(f)}, 'a = 2\\n'))`
    const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--groups=100', process.execPath, '-e', script], {encoding: 'utf8'})
    expect(r.status, r.stderr).toBe(0)
    const st = statSync(f)
    expect([readFileSync(f, 'utf8'), st.uid, st.gid, (st.mode & 0o777).toString(8)]).toEqual(['a = 2\n', NOBODY, 100, '660'])
  })
})

describe('an invalid range in ggen.toml is a format error naming file, key and range', () => {
  for (const [name, line, field] of [
    ['string', '"io.x.y" = "^^1.x.garbage"', 'packs.io.x.y'],
    ['inline table', '"io.x.y" = { version = "^^1.x.garbage", optional = true }', 'packs.io.x.y.version'],
  ] as const) {
    it(`${name} form: exit 3 E_SCHEMA, nothing written`, () => {
      const dir = join(root, `bad-range-${name.replace(' ', '-')}`)
      mkdirSync(dir, {recursive: true})
      const text = `[project]\nname = "bad"\n\n[packs]\n${line}\n`
      const file = join(dir, 'ggen.toml')
      writeFileSync(file, text)
      const j = cli(['packs', 'install', '--project', dir, '--json'])
      expect(j.code).toBe(3)
      expect(j.json.error).toMatchObject({code: 'E_SCHEMA', file, field})
      expect(j.json.error.message).toContain('^^1.x.garbage')
      const h = cli(['packs', 'install', 'io.u.web', '--project', dir])
      expect(h.code).toBe(3)
      for (const s of [file, field, '^^1.x.garbage', 'Try this:']) expect(h.stderr).toContain(s)
      expect(h.stderr).not.toContain('cannot find')
      expect(readFileSync(file, 'utf8')).toBe(text)
      expect(existsSync(join(dir, '.ggen', 'packs.lock'))).toBe(false)
    })
  }

  it('an unquoted dotted id is refused too, with the quoted form in the hint', () => {
    const dir = join(root, 'dotted')
    mkdirSync(dir)
    writeFileSync(join(dir, 'ggen.toml'), '[packs]\nio.u.web = "^1.0.0"\n')
    const j = cli(['packs', 'install', '--project', dir, '--json'])
    expect(j.code).toBe(3)
    expect(j.json.error).toMatchObject({code: 'E_SCHEMA', field: 'packs.io.u.web'})
    expect(j.json.error.hint).toContain('"io.u.web" = ')
  })
})
