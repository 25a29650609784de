/**
 * Evaluate one project's packages against the bundles bound to it and the team policy: pure,
 * deterministic, the same answer for `bundle apply --validate-all-projects`, `verify --policy` and
 * the enforcement check before install/update/manifest apply/import commit.
 *
 * Bundle semantics (issue 10): "unapproved" concerns the project's direct requirements — a
 * package is approved when any bound bundle lists it; every locked version (direct or transitive)
 * of a package a bundle lists must satisfy every bound bundle's constraint on it; a required-tier
 * package of a bundle must be required by the project; bundle rules are hard when any bound
 * bundle is hard. Policy rules (a bundle's own [policy] and the team policy) apply to every
 * locked version; waivers silence one rule for one package until they expire.
 */
import {satisfies} from '../resolve/versions.js'
import {evaluateLicense} from './licenses.js'
import {SEVERITIES, type Bundle, type Enforcement, type PolicyRules, type Rule, type Severity, type Waiver} from './model.js'

export interface ProjectState {
  path: string
  name: string
  team?: string
  /** `[project] bundles` of ggen.toml */
  bundles?: string[]
  /** ggen.toml [packs]: id -> range */
  direct: {id: string; range: string}[]
  /** the lockfile (or the state about to be written) */
  locks: {id: string; version: string; direct?: boolean}[]
}

/** what policy rules look at, per version (registry/store metadata; advisories from the scan) */
export interface VersionFacts {
  quality_score?: number | null
  production_ready?: boolean | null
  license?: string | null
  deprecated?: string | null
  yanked?: boolean | null
  /** the highest severity of the advisories affecting it */
  max_severity?: Severity | null
}

export interface PolicySource {
  kind: 'bundle' | 'policy'
  /** bundle id, or the policy file's path */
  name: string
}

export interface Violation {
  source: PolicySource
  rule: Rule
  package: string
  version?: string
  message: string
  enforcement: Enforcement
  /** set when a waiver covers it: it does not count */
  waived?: {reason: string; expires?: string}
}

export interface Evaluation {
  project: {path: string; name: string; team?: string}
  /** the bundles that bind this project (by [project] bundles or by team), by id */
  bundles: string[]
  violations: Violation[]
  /** expired waivers (they count again), and license strings spdx-correct had to fix */
  notes: string[]
}

export interface TeamPolicy {
  file: string
  rules: PolicyRules
}

/** the bundles binding a project: named in its ggen.toml, or naming its team; unknown names are a note */
export function boundBundles(p: Pick<ProjectState, 'bundles' | 'team'>, all: Bundle[], notes: string[] = []): Bundle[] {
  const byId = new Map(all.map((b) => [b.id, b]))
  const out = new Map<string, Bundle>()
  for (const name of p.bundles ?? []) {
    const b = byId.get(name)
    if (b) out.set(b.id, b)
    else notes.push(`ggen.toml names bundle "${name}", which is not known here (ggen packs bundle list)`)
  }
  if (p.team) for (const b of all) if (b.teams.includes(p.team)) out.set(b.id, b)
  return [...out.values()].sort((a, b) => a.id.localeCompare(b.id))
}

const rank = (s: Severity) => SEVERITIES.indexOf(s)

function waiverFor(waivers: Waiver[], rule: Rule, id: string, version: string | undefined, now: number, notes: string[]): Waiver | undefined {
  for (const w of waivers) {
    if (w.rule !== '*' && w.rule !== rule) continue
    const at = w.package.lastIndexOf('@')
    const wid = at > 0 ? w.package.slice(0, at) : w.package
    const range = at > 0 ? w.package.slice(at + 1) : undefined
    if (wid !== id) continue
    if (range && version && !satisfies(version, range)) continue
    if (w.expires && Date.parse(w.expires) < now) {
      notes.push(`waiver for ${w.package} (${w.rule}) expired on ${w.expires}: it counts again`)
      continue
    }
    return w
  }
  return undefined
}

/** the policy rules on every locked version */
function policyViolations(rules: PolicyRules, source: PolicySource, enforcement: Enforcement, p: ProjectState, facts: (id: string, version: string) => VersionFacts | undefined, notes: string[]): Omit<Violation, 'waived'>[] {
  const out: Omit<Violation, 'waived'>[] = []
  const add = (rule: Rule, id: string, version: string, message: string) => out.push({source, rule, package: id, version, message, enforcement})
  for (const l of p.locks) {
    const f = facts(l.id, l.version) ?? {}
    const at = `${l.id}@${l.version}`
    if (rules.min_quality !== undefined && (f.quality_score ?? -1) < rules.min_quality)
      add('min-quality', l.id, l.version, `${at} has quality score ${f.quality_score ?? 'none'}, below the minimum ${rules.min_quality}`)
    if (rules.production_ready && !f.production_ready) add('production-ready', l.id, l.version, `${at} is not marked production-ready`)
    if (rules.deny_deprecated && f.deprecated) add('deprecated', l.id, l.version, `${at} is deprecated: ${f.deprecated}`)
    if (rules.deny_yanked && f.yanked) add('yanked', l.id, l.version, `${at} is yanked`)
    if (rules.max_severity && f.max_severity && rank(f.max_severity) > rank(rules.max_severity))
      add('severity', l.id, l.version, `${at} has a ${f.max_severity} advisory, above the allowed ${rules.max_severity}`)
    if (rules.licenses && (rules.licenses.allow?.length || rules.licenses.deny?.length)) {
      const v = evaluateLicense(f.license, rules.licenses)
      if (v.corrected) notes.push(`${at}: license "${f.license}" is not valid SPDX; read as ${v.expression}`)
      if (!v.ok) add('license', l.id, l.version, `${at} ${v.message}`)
    }
  }
  return out
}

/** the bundle rules of the bundles binding a project */
function bundleViolations(bundles: Bundle[], p: ProjectState): Omit<Violation, 'waived'>[] {
  if (bundles.length === 0) return []
  const enforcement: Enforcement = bundles.some((b) => b.enforcement === 'hard') ? 'hard' : 'soft'
  const names = bundles.map((b) => b.id).join(', ')
  const out: Omit<Violation, 'waived'>[] = []
  const listed = new Map<string, {bundle: Bundle; range: string}[]>()
  for (const b of bundles) for (const pk of b.packages) (listed.get(pk.id) ?? listed.set(pk.id, []).get(pk.id)!).push({bundle: b, range: pk.version})
  for (const d of p.direct) {
    if (!listed.has(d.id)) out.push({source: {kind: 'bundle', name: names}, rule: 'unapproved', package: d.id, message: `${d.id} is not approved by ${bundles.length === 1 ? 'bundle' : 'any of the bundles'} ${names}`, enforcement})
  }
  for (const l of p.locks) {
    for (const c of listed.get(l.id) ?? []) {
      if (!satisfies(l.version, c.range)) out.push({source: {kind: 'bundle', name: c.bundle.id}, rule: 'out-of-range', package: l.id, version: l.version, message: `${l.id}@${l.version} is outside bundle ${c.bundle.id}'s constraint ${c.range}`, enforcement})
    }
  }
  const required = new Set(p.direct.map((d) => d.id))
  for (const b of bundles) {
    for (const pk of b.packages) {
      if (pk.tier === 'required' && !pk.optional && !required.has(pk.id)) out.push({source: {kind: 'bundle', name: b.id}, rule: 'missing-required', package: pk.id, message: `bundle ${b.id} requires ${pk.id} ${pk.version}, which the project does not require`, enforcement})
    }
  }
  return out
}

export function evaluateProject(p: ProjectState, o: {bundles: Bundle[]; policy?: TeamPolicy | null; facts: (id: string, version: string) => VersionFacts | undefined; now?: number}): Evaluation {
  const notes: string[] = []
  const now = o.now ?? Date.now()
  const bound = boundBundles(p, o.bundles, notes)
  const raw: {v: Omit<Violation, 'waived'>; waivers: Waiver[]}[] = []
  for (const v of bundleViolations(bound, p)) raw.push({v, waivers: bound.flatMap((b) => b.policy?.waivers ?? [])})
  for (const b of bound) {
    if (b.policy) for (const v of policyViolations(b.policy, {kind: 'bundle', name: b.id}, b.policy.enforcement ?? b.enforcement, p, o.facts, notes)) raw.push({v, waivers: b.policy.waivers ?? []})
  }
  if (o.policy) for (const v of policyViolations(o.policy.rules, {kind: 'policy', name: o.policy.file}, o.policy.rules.enforcement ?? 'soft', p, o.facts, notes)) raw.push({v, waivers: o.policy.rules.waivers ?? []})
  const violations = raw.map(({v, waivers}) => {
    const w = waiverFor(waivers, v.rule, v.package, v.version, now, notes)
    return w ? {...v, waived: {reason: w.reason, ...(w.expires ? {expires: w.expires} : {})}} : v
  })
  violations.sort((a, b) => a.package.localeCompare(b.package) || a.rule.localeCompare(b.rule) || (a.version ?? '').localeCompare(b.version ?? '') || a.source.name.localeCompare(b.source.name))
  return {project: {path: p.path, name: p.name, ...(p.team ? {team: p.team} : {})}, bundles: bound.map((b) => b.id), violations, notes: [...new Set(notes)]}
}

/** the violations that count (not waived) */
export const counting = (e: Evaluation): Violation[] => e.violations.filter((v) => !v.waived)

/** a stable key: the same breach before and after a change compares equal */
export const violationKey = (v: Violation): string => `${v.source.kind}:${v.source.name}:${v.rule}:${v.package}@${v.version ?? ''}`

/** what a change would add: violations of `after` that `before` did not have (both counting only) */
export function introduced(before: Evaluation | null, after: Evaluation): Violation[] {
  const had = new Set((before ? counting(before) : []).map(violationKey))
  return counting(after).filter((v) => !had.has(violationKey(v)))
}
