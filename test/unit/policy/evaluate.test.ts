/** issue 10: the policy engine (licenses on real SPDX expressions, bundle semantics, waivers) */
import {describe, expect, it} from 'vitest'
import {evaluateLicense, normaliseLicense} from '../../../src/policy/licenses.js'
import {counting, evaluateProject, introduced, type ProjectState, type VersionFacts} from '../../../src/policy/evaluate.js'
import {Bundle, type Bundle as BundleT} from '../../../src/policy/model.js'

describe('licenses', () => {
  const allowMit = {allow: ['MIT']}
  it('OR satisfies the allow list when one side does; AND needs both', () => {
    expect(evaluateLicense('MIT OR GPL-3.0-only', allowMit).ok).toBe(true)
    expect(evaluateLicense('MIT AND GPL-3.0-only', allowMit)).toMatchObject({ok: false, finding: 'not-allowed'})
    expect(evaluateLicense('(MIT OR Apache-2.0) AND BSD-3-Clause', {allow: ['MIT', 'BSD-3-Clause']}).ok).toBe(true)
  })

  it('deny: denied only when every way to satisfy the expression needs a denied license', () => {
    const deny = {deny: ['GPL-3.0-only']}
    expect(evaluateLicense('MIT OR GPL-3.0-only', deny).ok).toBe(true)
    expect(evaluateLicense('MIT AND GPL-3.0-only', deny)).toMatchObject({ok: false, finding: 'denied'})
    expect(evaluateLicense('GPL-3.0-only', {allow: ['GPL-3.0-only'], deny: ['GPL-3.0-only']}).finding).toBe('denied')
  })

  it('missing and unparseable licenses are their own findings; LicenseRef-* are custom ids', () => {
    expect(evaluateLicense(undefined, allowMit).finding).toBe('missing')
    expect(evaluateLicense('  ', allowMit).finding).toBe('missing')
    expect(evaluateLicense('not a license at all ((', allowMit).finding).toBe('unparseable')
    expect(evaluateLicense('LicenseRef-Acme-Internal', {allow: ['LicenseRef-Acme-Internal']}).ok).toBe(true)
    expect(evaluateLicense('LicenseRef-Acme-Internal', allowMit).finding).toBe('not-allowed')
  })

  it('sloppy strings are corrected by spdx-correct, and say so', () => {
    expect(normaliseLicense('Apache 2')).toEqual({expression: 'Apache-2.0', corrected: true})
    expect(normaliseLicense('MIT')).toEqual({expression: 'MIT', corrected: false})
    expect(evaluateLicense('mit', allowMit)).toMatchObject({ok: true, corrected: true, expression: 'MIT'})
  })
})

const bundle = (b: Partial<BundleT> & {id: string}): BundleT => Bundle.parse({name: b.id, created_at: '2026-01-01T00:00:00Z', ...b})
const project = (p: Partial<ProjectState> = {}): ProjectState => ({
  path: '/w/api',
  name: 'api',
  team: 'web',
  direct: [
    {id: 'io.x.web', range: '^1.0.0'},
    {id: 'io.x.extra', range: '^1.0.0'},
  ],
  locks: [
    {id: 'io.x.web', version: '1.5.0', direct: true},
    {id: 'io.x.util', version: '1.3.0'},
    {id: 'io.x.extra', version: '1.0.0', direct: true},
  ],
  ...p,
})
const facts = (m: Record<string, VersionFacts>) => (id: string, v: string) => m[`${id}@${v}`] ?? m[id]

describe('bundles', () => {
  const std = bundle({id: 'team-standard', teams: ['web'], packages: [{id: 'io.x.web', version: '^1.2.0'}, {id: 'io.x.util', version: '^2.0.0', tier: 'recommended'}, {id: 'io.x.log', version: '*'}] as never})

  it('unapproved direct packages, out-of-range locked versions (transitive too), missing required ones', () => {
    const e = evaluateProject(project(), {bundles: [std], facts: facts({})})
    expect(e.bundles).toEqual(['team-standard'])
    expect(e.violations.map((v) => `${v.rule} ${v.package}${v.version ? '@' + v.version : ''} ${v.enforcement}`)).toEqual([
      'unapproved io.x.extra soft',
      'missing-required io.x.log soft',
      'out-of-range io.x.util@1.3.0 soft',
    ])
  })

  it('bound by [project] bundles or by team; several bundles: approved by any, every constraint holds, hard when any is hard', () => {
    const extra = bundle({id: 'extras', enforcement: 'hard', packages: [{id: 'io.x.extra', version: '^1.0.0'}, {id: 'io.x.web', version: '<1.5.0'}] as never})
    expect(evaluateProject(project({bundles: []}), {bundles: [extra], facts: facts({})}).bundles).toEqual([])
    const e = evaluateProject(project({bundles: ['extras']}), {bundles: [std, extra], facts: facts({})})
    expect(e.bundles).toEqual(['extras', 'team-standard'])
    const rules = e.violations.map((v) => `${v.rule} ${v.package} ${v.source.name} ${v.enforcement}`)
    expect(rules).not.toContain(expect.stringMatching(/^unapproved io.x.extra/))
    expect(rules).toContain('out-of-range io.x.web extras hard')
    expect(e.violations.every((v) => v.enforcement === 'hard')).toBe(true)
    expect(evaluateProject(project({bundles: ['nosuch'], team: undefined}), {bundles: [std], facts: facts({})}).notes[0]).toMatch(/bundle "nosuch", which is not known/)
  })
})

describe('policy rules and waivers', () => {
  const f = facts({'io.x.web': {quality_score: 90, production_ready: true, license: 'MIT'}, 'io.x.util': {quality_score: 40, production_ready: false, license: 'MIT AND GPL-3.0-only', deprecated: 'use io.x.util2'}, 'io.x.extra': {quality_score: 80, production_ready: true, license: 'MIT OR GPL-3.0-only', yanked: true, max_severity: 'critical'}})
  const rules = {enforcement: 'hard' as const, min_quality: 70, production_ready: true, deny_deprecated: true, deny_yanked: true, max_severity: 'high' as const, licenses: {allow: ['MIT', 'Apache-2.0'], deny: ['GPL-3.0-only']}}

  it('every rule on every locked version, with the policy\'s enforcement', () => {
    const e = evaluateProject(project(), {bundles: [], policy: {file: '/h/policy.toml', rules}, facts: f})
    expect(e.violations.map((v) => `${v.rule} ${v.package}`)).toEqual(['severity io.x.extra', 'yanked io.x.extra', 'deprecated io.x.util', 'license io.x.util', 'min-quality io.x.util', 'production-ready io.x.util'])
    expect(e.violations.every((v) => v.enforcement === 'hard' && v.source.kind === 'policy')).toBe(true)
  })

  it('a waiver silences one rule for one package until it expires', () => {
    const now = Date.parse('2026-06-01T00:00:00Z')
    const waived = {...rules, waivers: [{package: 'io.x.util', rule: 'license' as const, reason: 'legal approved', expires: '2026-12-31'}, {package: 'io.x.extra@1.x', rule: '*' as const, reason: 'migration', expires: '2026-01-01'}]}
    const e = evaluateProject(project(), {bundles: [], policy: {file: 'p', rules: waived}, facts: f, now})
    expect(e.violations.find((v) => v.rule === 'license')!.waived).toEqual({reason: 'legal approved', expires: '2026-12-31'})
    expect(counting(e).map((v) => v.rule)).not.toContain('license')
    // the expired one counts again, with a note
    expect(counting(e).filter((v) => v.package === 'io.x.extra')).toHaveLength(2)
    expect(e.notes.join('\n')).toMatch(/expired on 2026-01-01/)
  })

  it('introduced: only what a change adds counts against it', () => {
    const before = evaluateProject(project(), {bundles: [], policy: {file: 'p', rules}, facts: f})
    const after = evaluateProject(project({locks: [...project().locks, {id: 'io.x.new', version: '1.0.0'}]}), {bundles: [], policy: {file: 'p', rules}, facts: f})
    expect(introduced(before, after).map((v) => `${v.rule} ${v.package}`)).toEqual(['license io.x.new', 'min-quality io.x.new', 'production-ready io.x.new'])
  })
})
