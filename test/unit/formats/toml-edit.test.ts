/**
 * The in-place editor of ggen.toml on tricky inputs: every expectation is the exact output text,
 * so any byte changed outside the edited entry fails the test.
 */
import fc from 'fast-check'
import {parse as parseToml} from 'smol-toml'
import {describe, expect, it} from 'vitest'
import type {PackRequirement, ProjectConfig} from '../../../src/domain/schemas.js'
import {parseProjectToml} from '../../../src/formats/project-toml.js'
import {editProjectToml} from '../../../src/formats/project-toml-edit.js'
import {editTomlTables} from '../../../src/formats/toml-edit.js'
import {thrown} from '../../support/errors.js'

const FILE = '/work/shop/ggen.toml'
const req = (version: string, more: Partial<PackRequirement> = {}): PackRequirement => ({version, optional: false, tier: 'required', ...more})

/** parse `text`, let `change` edit the config, return the edited text */
function edit(text: string, change: (cfg: ProjectConfig) => void): string {
  const cfg = parseProjectToml(text, FILE, 'shop')
  change(cfg)
  return editProjectToml(text, cfg, FILE)
}

const RICH = `# top comment
[project]
name = "shop"   # the name
secret_field = 42

# packs below
[packs]
# z comes first on purpose
"zeta.pack" = "^1.0.0"  # keep me
'alpha.pack' = { version = "~2.0", optional = true }   # inline, literal key
# about mid
"mid#pack" = "1.x" # has = and # inside "a=b#c"
# trailing comment of packs

[generators]
list = [
  "a", # one
  "b",
]
odd = "y = 1 # not a comment"
`

describe('editProjectToml: changes', () => {
  it('nothing changed: the same bytes', () => {
    expect(edit(RICH, () => {})).toBe(RICH)
  })

  it('a new key goes after the last key line of [packs], before the comments leading into the next table', () => {
    expect(edit(RICH, (c) => (c.packs['new.pack'] = req('^3.1.0')))).toBe(RICH.replace('inside "a=b#c"\n', 'inside "a=b#c"\n"new.pack" = "^3.1.0"\n'))
  })

  it('a changed value replaces only the value text (key spelling and trailing comment kept)', () => {
    expect(edit(RICH, (c) => (c.packs['zeta.pack']!.version = '^1.2.0'))).toBe(RICH.replace('"^1.0.0"  # keep me', '"^1.2.0"  # keep me'))
    expect(edit(RICH, (c) => (c.packs['alpha.pack']!.version = '~2.1'))).toBe(RICH.replace('version = "~2.0"', 'version = "~2.1"'))
  })

  it('inline tables: a dropped or added field rewrites the braces only; a plain range becomes a table when it needs one', () => {
    expect(edit(RICH, (c) => (c.packs['alpha.pack']!.optional = false))).toBe(RICH.replace('{ version = "~2.0", optional = true }', '{ version = "~2.0" }'))
    expect(edit(RICH, (c) => (c.packs['alpha.pack']!.tier = 'recommended'))).toBe(RICH.replace('optional = true }', 'optional = true, tier = "recommended" }'))
    expect(edit(RICH, (c) => (c.packs['zeta.pack']!.env = ['dev']))).toBe(RICH.replace('"zeta.pack" = "^1.0.0"', '"zeta.pack" = { version = "^1.0.0", env = ["dev"] }'))
    expect(edit('[packs]\na = {version="1",optional=true}\n', (c) => (c.packs.a!.optional = false))).toBe('[packs]\na = {version="1"}\n')
  })

  it('a removed key takes its line and the comments directly above it; comments above the first key stay', () => {
    expect(edit(RICH, (c) => delete c.packs['mid#pack'])).toBe(RICH.replace('# about mid\n"mid#pack" = "1.x" # has = and # inside "a=b#c"\n', ''))
    expect(edit(RICH, (c) => delete c.packs['zeta.pack'])).toBe(RICH.replace('"zeta.pack" = "^1.0.0"  # keep me\n', ''))
  })

  it('a removed key standing between two blank lines takes one of them', () => {
    expect(edit('[packs]\na = "1"\n\nb = "2"\n\nc = "3"\n', (c) => delete c.packs.b)).toBe('[packs]\na = "1"\n\nc = "3"\n')
    expect(edit('[packs]\na = "1"\n\n[x]\ny = 1\n', (c) => delete c.packs.a)).toBe('[packs]\n\n[x]\ny = 1\n')
  })

  it('removing everything and adding a key: the new key goes under the header', () => {
    expect(edit('[packs]\na = "1"\nb = "2"\n\n[x]\n', (c) => (c.packs = {q: req('1')}))).toBe('[packs]\nq = "1"\n\n[x]\n')
  })

  it('new keys copy the indentation of the table and are quoted only when they must be', () => {
    expect(edit('[packs]\n  a = "1"\n\n[x]\n', (c) => Object.assign(c.packs, {'b-c_d': req('2'), 'io.e.f': req('3')}))).toBe('[packs]\n  a = "1"\n  b-c_d = "2"\n  "io.e.f" = "3"\n\n[x]\n')
  })

  it('CRLF files stay CRLF', () => {
    const crlf = RICH.replace(/\n/g, '\r\n')
    const out = edit(crlf, (c) => {
      c.packs['new.pack'] = req('^3.1.0')
      delete c.packs['mid#pack']
      c.packs['zeta.pack']!.version = '2'
    })
    expect(out).toBe(crlf.replace('"^1.0.0"  # keep me', '"2"  # keep me').replace('# about mid\r\n"mid#pack" = "1.x" # has = and # inside "a=b#c"\r\n', '"new.pack" = "^3.1.0"\r\n'))
    expect(out.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('a file without a final newline keeps not having one', () => {
    expect(edit('[packs]\na = "1"', (c) => (c.packs.b = req('2')))).toBe('[packs]\na = "1"\nb = "2"')
    expect(edit('[packs]\na = "1"\nb = "2"', (c) => delete c.packs.b)).toBe('[packs]\na = "1"')
    expect(edit('[packs]\na = "1"\r\nb = "2"', (c) => delete c.packs.b)).toBe('[packs]\na = "1"')
    expect(edit('[packs]\na = "1"\nb = "2"', (c) => (delete c.packs.b, (c.packs.c = req('3'))))).toBe('[packs]\na = "1"\nc = "3"')
  })

  it('no [packs] table: one is appended at the end, after a blank line; [project] is untouched', () => {
    expect(edit('[project]\nname = "x"\nsecret_field = 42', (c) => (c.packs['a.b'] = req('2')))).toBe('[project]\nname = "x"\nsecret_field = 42\n\n[packs]\n"a.b" = "2"\n')
    expect(edit('', (c) => (c.packs.a = req('1')))).toBe('[packs]\na = "1"\n')
    expect(edit('[x]\ny = 1\n\n', (c) => (c.packs.a = req('1')))).toBe('[x]\ny = 1\n\n[packs]\na = "1"\n')
  })

  it('[project] fields that change (environment) are edited in place too', () => {
    expect(edit('[project]\nname = "x"  # n\n[packs]\na = "1"\n', (c) => (c.project.environment = 'staging'))).toBe('[project]\nname = "x"  # n\nenvironment = "staging"\n[packs]\na = "1"\n')
    expect(edit('[packs]\na = "1"\n', (c) => (c.project.environment = 'ci'))).toBe('[packs]\na = "1"\n\n[project]\nenvironment = "ci"\n')
  })

  it('multi-line strings and arrays elsewhere are not mistaken for comments or entries', () => {
    // generic editor: the line above `b` is inside a multi-line string, not a comment
    const text = '[notes]\nt = """\n# not a comment"""\nb = 2\n\n[arr]\nx = [\n  1, # one\n  2,\n]\n'
    expect(editTomlTables(text, FILE, [{path: ['notes'], before: {t: '# not a comment', b: 2}, after: {t: '# not a comment'}}])).toBe('[notes]\nt = """\n# not a comment"""\n\n[arr]\nx = [\n  1, # one\n  2,\n]\n')
    const multi = '[packs]\na = "1"\n\n[gen]\nlist = [\n  "a", # = not a key\n  "b",\n]\n'
    expect(edit(multi, (c) => (c.packs.b = req('2')))).toBe(multi.replace('a = "1"\n', 'a = "1"\nb = "2"\n'))
  })

  it('real ggen path/git specs keep their fields', () => {
    const text = '[packs]\ng = { git = "https://x/y.git", version = "1.4.0" }  # git\np = { path = "../p" }\n'
    expect(edit(text, (c) => (c.packs.g!.version = '1.5.0'))).toBe(text.replace('1.4.0', '1.5.0'))
    expect(edit(text, (c) => delete c.packs.p)).toBe('[packs]\ng = { git = "https://x/y.git", version = "1.4.0" }  # git\n')
  })
})

describe('editProjectToml: [packs.id] sections', () => {
  const SUB = '[packs]\na = "1"\n\n# about b\n[packs.b]\nversion = "2" # c\noptional = true\n\n[other]\nx = 1\n'

  it('a changed field is edited inside the section', () => {
    expect(edit(SUB, (c) => (c.packs.b!.version = '3'))).toBe(SUB.replace('version = "2" # c', 'version = "3" # c'))
    expect(edit(SUB, (c) => (c.packs.b!.optional = false))).toBe(SUB.replace('optional = true\n', ''))
  })

  it('a removed pack takes its section and the comments directly above it', () => {
    expect(edit(SUB, (c) => delete c.packs.b)).toBe('[packs]\na = "1"\n\n[other]\nx = 1\n')
  })

  it('only sections and no [packs] header: a new key appends a [packs] table', () => {
    const out = edit('[packs.b]\nversion = "2"\n', (c) => (c.packs.c = req('1')))
    expect(out).toBe('[packs.b]\nversion = "2"\n\n[packs]\nc = "1"\n')
    expect(parseToml(out)).toEqual({packs: {b: {version: '2'}, c: '1'}})
  })
})

describe('editProjectToml: refusals', () => {
  it('layouts it does not edit are E_SCHEMA naming the field, with a hint', () => {
    const dotted = thrown(() => edit('[packs]\nb.version = "2"\n', (c) => (c.packs.b!.version = '3')))
    expect(dotted).toMatchObject({code: 'E_SCHEMA', exitCode: 3, file: FILE, field: 'packs.b'})
    expect(dotted.hint).toContain('[packs]')
    const inline = thrown(() => edit('packs = { a = "1" }\n', (c) => (c.packs.z = req('1'))))
    expect(inline).toMatchObject({code: 'E_SCHEMA', field: 'packs'})
    expect(inline.message).toContain('inline table')
  })

  it('an edit that would not read back as intended is refused (nothing returned)', () => {
    // a requirement that is not a range: the re-parse check refuses the text
    const e = thrown(() => edit('[packs]\na = "1"\n', (c) => (c.packs.a!.version = '^^1.x.garbage')))
    expect(e).toMatchObject({code: 'E_SCHEMA', field: 'packs.a'})
  })
})

describe('parseProjectToml: ranges and keys', () => {
  it('an invalid range is E_SCHEMA naming file, key and range (string and inline-table forms)', () => {
    for (const [text, field] of [
      ['[packs]\n"io.x.y" = "^^1.x.garbage"\n', 'packs.io.x.y'],
      ['[packs]\n"io.x.y" = { version = "^^1.x.garbage", optional = true }\n', 'packs.io.x.y.version'],
      ['[packs.io-x]\nversion = "banana"\n', 'packs.io-x.version'],
    ] as const) {
      const e = thrown(() => parseProjectToml(text, FILE))
      expect(e).toMatchObject({code: 'E_SCHEMA', exitCode: 3, file: FILE, field})
      expect(e.message).toContain(FILE)
      expect(e.message).toContain(field)
      expect(e.message).toMatch(/`(\^\^1\.x\.garbage|banana)`/)
    }
  })

  it('accepts the ranges the tool accepts; path/git specs carry no range', () => {
    const ok = ['*', 'latest', '1.2.3', '=1.2.3', 'v1.2.3', '^1.2', '~1.2.3', '>=1 <2', '1.x', '1.2.3-beta.1', '^1 || ^2', '1.0.0 - 2.0.0']
    const text = '[packs]\n' + ok.map((r, i) => `p${i} = "${r}"`).join('\n') + '\ng = { git = "https://x/y.git", version = "main" }\nl = { path = "../l", version = "whatever" }\n'
    const cfg = parseProjectToml(text, FILE)
    expect(Object.values(cfg.packs).map((r) => r.version)).toEqual([...ok, 'main', 'whatever'])
  })

  it('quoted ids with dots are ids; an unquoted dotted key is refused, naming the id meant', () => {
    expect(Object.keys(parseProjectToml('[packs]\n"io.x.y" = "1"\n\'io.x.z\' = "1"\n', FILE).packs)).toEqual(['io.x.y', 'io.x.z'])
    const e = thrown(() => parseProjectToml('[packs]\nio.x.y = "1"\n', FILE))
    expect(e).toMatchObject({code: 'E_SCHEMA', field: 'packs.io.x.y'})
    expect(e.hint).toContain('"io.x.y" = ')
    expect(thrown(() => parseProjectToml('[packs.io.x]\nversion = "1"\n', FILE)).field).toBe('packs.io.x')
  })
})

describe('property: random edits of a commented file', () => {
  const ids = ['a', 'b-c', 'io.x.y', 'io.x.z', 'q_1', 'mid#pack']
  const spec = fc.record({version: fc.constantFrom('1', '^1.2.0', '~2.0', '*', '>=1 <2'), optional: fc.boolean(), tier: fc.constantFrom('required', 'recommended' as const)})
  const packsArb = fc.dictionary(fc.constantFrom(...ids), spec, {maxKeys: 5})
  const style = fc.constantFrom('plain', 'comment-above', 'trailing', 'literal-key')
  const render = (id: string, r: {version: string; optional: boolean; tier: string}, s: string): string => {
    const key = s === 'literal-key' ? `'${id}'` : `"${id}"`
    const value = r.optional || r.tier !== 'required' ? `{ version = "${r.version}"${r.optional ? ', optional = true' : ''}${r.tier !== 'required' ? `, tier = "${r.tier}"` : ''} }` : `"${r.version}"`
    return `${s === 'comment-above' ? `# about ${id}\n` : ''}${key} = ${value}${s === 'trailing' ? '  # note = "#"' : ''}\n`
  }
  const HEAD = '# head\n[project]\nname = "shop"\nsecret_field = 42\n\n'
  const TAIL = '\n# tail of packs\n\n[generators]\nlist = [\n  "a", # one\n  "b",\n]\n'

  it('reads back as intended and keeps every byte outside [packs]', () => {
    fc.assert(
      fc.property(packsArb, packsArb, fc.array(style, {minLength: 6, maxLength: 6}), fc.boolean(), (before, after, styles, crlf) => {
        let text = HEAD + '[packs]\n' + Object.entries(before).map(([id, r], i) => render(id, r, styles[i]!)).join('') + TAIL
        if (crlf) text = text.replace(/\n/g, '\r\n')
        const cfg = parseProjectToml(text, FILE, 'shop')
        cfg.packs = Object.fromEntries(Object.entries(after).map(([id, r]) => [id, req(r.version, r)]))
        const out = editProjectToml(text, cfg, FILE)
        expect(parseProjectToml(out, FILE, 'shop').packs).toEqual(cfg.packs)
        const nl = crlf ? '\r\n' : '\n'
        expect(out.startsWith(HEAD.replace(/\n/g, nl) + '[packs]' + nl)).toBe(true)
        expect(out.endsWith(TAIL.replace(/\n/g, nl))).toBe(true)
        if (crlf) expect(out.replace(/\r\n/g, '')).not.toContain('\n')
        // untouched entries keep their exact lines
        for (const [id, r] of Object.entries(before)) {
          const line = render(id, r, styles[Object.keys(before).indexOf(id)]!).replace(/\n/g, nl).split(nl).at(-2)!
          if (JSON.stringify(after[id]) === JSON.stringify(r)) expect(out).toContain(line)
        }
      }),
      {numRuns: 300},
    )
  })
})

describe('editTomlTables: the top-level table and arrays of tables', () => {
  const text = ['# bundle of the payments team', 'id = "pay" # the file name', 'enforcement = "hard"', '', '# the web framework', '[[packages]]', 'id = "web"', 'version = "^1"', '', '# the database layer: keep at 0.6', '[[packages]]', 'id = "db"', 'version = "^0.6"', '', '[policy]', 'min_quality = 70 # agreed in Q3', ''].join('\n')

  it('changes and adds top-level keys in place, keeping every comment', () => {
    const out = editTomlTables(text, 'b.toml', [{path: [], before: {id: 'pay', enforcement: 'hard'}, after: {id: 'pay', enforcement: 'soft', updated_at: 'now'}}])
    expect(out).toBe(text.replace('enforcement = "hard"', 'enforcement = "soft"\nupdated_at = "now"'))
  })

  it('removes one element with the comments above it and appends a new one at the end', () => {
    const out = editTomlTables(text, 'b.toml', [], [{path: ['packages'], remove: [1], append: [{id: 'log', version: '*'}]}])
    expect(out).not.toContain('the database layer')
    expect(out).toContain('# the web framework\n[[packages]]\nid = "web"')
    expect(out).toContain('min_quality = 70 # agreed in Q3')
    expect(out.endsWith('[[packages]]\nid = "log"\nversion = "*"\n')).toBe(true)
    const parsed = parseToml(out) as {packages: {id: string}[]; policy: {min_quality: number}}
    expect(parsed.packages.map((p) => p.id)).toEqual(['web', 'log'])
    expect(parsed.policy.min_quality).toBe(70)
  })

  it('a top-level key in a file with no top-level keys goes first', () => {
    const out = editTomlTables('[[packages]]\nid = "a"\n', 'b.toml', [{path: [], before: {}, after: {id: 'x'}}])
    expect(parseToml(out)).toEqual({id: 'x', packages: [{id: 'a'}]})
  })
})
