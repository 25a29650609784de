import {parse as parseToml} from 'smol-toml'
import {describe, expect, it} from 'vitest'
import {parseProjectToml, serializeProjectToml} from '../../../src/formats/project-toml.js'
import {thrown} from '../../support/errors.js'

const FILE = '/work/p/ggen.toml'


const SAMPLE = `[project]
name = "shop"
team = "payments"
owner = "ana"

[packs]
"io.ggen.rust.cli" = "^1.2.0"
web-api = { version = "~2.0", optional = true, tier = "recommended", env = ["dev"] }
local-pack = { path = "../../packs/local-pack" }
git-pack = { git = "https://github.com/org/repo.git", version = "1.4.0" }

[ontology]
source = "schema/domain.ttl"

[ontology.prefixes]
ex = "http://example.org/"

[templates]
dir = "templates"
`

describe('ggen.toml', () => {
  it('reads ranges, tables and real ggen path/git specs', () => {
    const cfg = parseProjectToml(SAMPLE, FILE)
    expect(cfg.project).toEqual({name: 'shop', team: 'payments', owner: 'ana'})
    expect(cfg.packs).toEqual({
      'io.ggen.rust.cli': {version: '^1.2.0', optional: false, tier: 'required'},
      'web-api': {version: '~2.0', optional: true, tier: 'recommended', env: ['dev']},
      'local-pack': {version: '*', optional: false, tier: 'required'},
      'git-pack': {version: '1.4.0', optional: false, tier: 'required'},
    })
    expect(cfg.extra.templates).toEqual({dir: 'templates'})
  })

  it('round trips: other tables and { path } / { git } packs are preserved, and a second write is identical', () => {
    const cfg = parseProjectToml(SAMPLE, FILE)
    const out = serializeProjectToml(cfg)
    const raw = parseToml(out) as Record<string, Record<string, unknown>>
    expect(raw.packs!['local-pack']).toEqual({path: '../../packs/local-pack'})
    expect(raw.packs!['git-pack']).toEqual({git: 'https://github.com/org/repo.git', version: '1.4.0'})
    expect(raw.packs!['io.ggen.rust.cli']).toBe('^1.2.0')
    expect(raw.ontology).toEqual({source: 'schema/domain.ttl', prefixes: {ex: 'http://example.org/'}})
    expect(raw.templates).toEqual({dir: 'templates'})
    const again = parseProjectToml(out, FILE)
    expect(again).toEqual(cfg)
    expect(serializeProjectToml(again)).toBe(out)
  })

  it('a changed version of a git pack is written (not lost behind the raw spec)', () => {
    const cfg = parseProjectToml(SAMPLE, FILE)
    cfg.packs['git-pack']!.version = '1.5.0'
    const raw = parseToml(serializeProjectToml(cfg)) as Record<string, Record<string, unknown>>
    expect(raw.packs!['git-pack']).toEqual({git: 'https://github.com/org/repo.git', version: '1.5.0'})
    delete cfg.packs['local-pack']
    expect(parseProjectToml(serializeProjectToml(cfg), FILE).packs['local-pack']).toBeUndefined()
  })

  it('takes the project name from the directory when [project] has none', () => {
    expect(parseProjectToml('[packs]\na = "1"\n', FILE, 'dir-name').project.name).toBe('dir-name')
  })

  it('schema errors name the file and the field', () => {
    const e = thrown(() => parseProjectToml('[project]\nname = "x"\n[packs]\na = 3\n', FILE))
    expect(e).toMatchObject({code: 'E_SCHEMA', file: FILE, field: 'packs.a'})
    const v = thrown(() => parseProjectToml('[project]\nname = "x"\n[packs]\na = { version = 2 }\n', FILE))
    expect(v).toMatchObject({code: 'E_SCHEMA', file: FILE, field: 'packs.a.version'})
    expect(v.message).toContain(FILE)
    const t = thrown(() => parseProjectToml('[project]\nname = "x"\n[packs]\na = { version = "1", tier = "gold" }\n', FILE))
    expect(t.field).toBe('packs.a.tier')
  })

  it('broken TOML is E_PARSE with the line', () => {
    const e = thrown(() => parseProjectToml('[project]\nname = "x"\n[packs\n', FILE))
    expect(e).toMatchObject({code: 'E_PARSE', file: FILE})
    expect(e.message).toMatch(/line 3/)
  })
})
