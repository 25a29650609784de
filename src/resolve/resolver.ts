/**
 * Dependency resolution: exactly one version per package id, newest satisfying versions first,
 * already-locked versions kept where they still satisfy, yanked versions skipped unless locked,
 * prereleases only when a range names them. Chronological backtracking finds a solution when one
 * exists; when none does, the error names every requirer with its range and the versions there are.
 */
import {PacksError} from '../domain/errors.js'
import {compareVersions, satisfies} from './versions.js'

export interface CandidateVersion {
  version: string
  dependencies: Record<string, string>
  yanked?: boolean
}

export interface VersionSource {
  /** all versions of a package (any order), or undefined when the package is unknown */
  versions(id: string): CandidateVersion[] | undefined
}

export interface Requirement {
  /** `project` for the root, else `id@version` */
  requirer: string
  range: string
}

export interface ResolveInput {
  /** the project's direct requirements: id -> range */
  roots: Record<string, string>
  /** optional roots that may be left out when unknown */
  optionalRoots?: Set<string>
  /** currently locked versions: id -> version (kept when still satisfying) */
  locked?: Record<string, string>
  /** ids whose locked version must not be preferred (update targets) */
  unlock?: Set<string>
  /** name of the root requirer in messages */
  rootName?: string
  maxSteps?: number
}

export interface ResolvedPackage {
  id: string
  version: string
  dependencies: Record<string, string>
  requiredBy: Requirement[]
}

export interface Resolution {
  packages: Record<string, ResolvedPackage>
  steps: number
}

interface Failure {
  id: string
  reqs: Requirement[]
  available: string[]
  /** versions that match every range but are yanked */
  yankedMatches: string[]
}

export function resolve(source: VersionSource, input: ResolveInput): Resolution {
  const rootName = input.rootName ?? 'project'
  const locked = input.locked ?? {}
  const unlock = input.unlock ?? new Set<string>()
  const maxSteps = input.maxSteps ?? 200_000
  const assigned = new Map<string, CandidateVersion>()
  const reqs = new Map<string, Requirement[]>()
  const order: string[] = []
  const failures = new Map<string, Failure & {count: number}>()
  let steps = 0

  const addReq = (id: string, r: Requirement) => {
    let list = reqs.get(id)
    if (!list) {
      list = []
      reqs.set(id, list)
      order.push(id)
    }
    list.push(r)
  }
  const removeReq = (id: string, r: Requirement) => {
    const list = reqs.get(id)!
    list.splice(list.lastIndexOf(r), 1)
    if (list.length === 0) {
      reqs.delete(id)
      order.splice(order.lastIndexOf(id), 1)
    }
  }

  for (const [id, range] of Object.entries(input.roots).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const known = source.versions(id)
    if (!known) {
      if (input.optionalRoots?.has(id)) continue
      throw new PacksError('E_NOT_FOUND', `package \`${id}\` is not in any configured registry (required by ${rootName} as ${range})`, {
        hint: 'Check the id with `ggen packs search`, or add the registry that has it (GGEN_REGISTRY_URL / --registry).',
      })
    }
    addReq(id, {requirer: rootName, range})
  }

  const candidates = (id: string): CandidateVersion[] => {
    const all = source.versions(id) ?? []
    const rs = reqs.get(id) ?? []
    const ok = all.filter((v) => rs.every((r) => satisfies(v.version, r.range)))
    const lockedV = unlock.has(id) ? undefined : locked[id]
    const usable = ok.filter((v) => !v.yanked || v.version === lockedV)
    // prereleases only when some range mentions one, or it is the locked version
    const allowPre = rs.some((r) => /-/.test(r.range))
    const filtered = usable.filter((v) => allowPre || !/-/.test(v.version) || v.version === lockedV)
    filtered.sort((a, b) => {
      if (a.version === lockedV) return -1
      if (b.version === lockedV) return 1
      return compareVersions(b.version, a.version)
    })
    if (filtered.length === 0) {
      const f = failures.get(id) ?? {id, reqs: [], available: [], yankedMatches: [], count: 0}
      f.count++
      f.reqs = [...rs]
      f.available = all.map((v) => v.version + (v.yanked ? ' (yanked)' : '')).sort((a, b) => compareVersions(b.split(' ')[0]!, a.split(' ')[0]!))
      f.yankedMatches = ok.filter((v) => v.yanked).map((v) => v.version)
      failures.set(id, f)
    }
    return filtered
  }

  const search = (): boolean => {
    if (++steps > maxSteps) {
      throw new PacksError('E_RESOLVE', `dependency resolution gave up after ${maxSteps} steps`, {
        hint: 'Pin some packages to exact versions in ggen.toml to narrow the search.',
      })
    }
    const next = order.find((id) => !assigned.has(id))
    if (next === undefined) return true
    for (const cand of candidates(next)) {
      // every already-assigned dependency must satisfy the new ranges
      const deps = Object.entries(cand.dependencies)
      let consistent = true
      for (const [dep, range] of deps) {
        const a = assigned.get(dep)
        if (a && !satisfies(a.version, range)) {
          consistent = false
          const f = failures.get(dep) ?? {id: dep, reqs: [], available: [], yankedMatches: [], count: 0}
          f.count++
          f.reqs = [...(reqs.get(dep) ?? []), {requirer: `${next}@${cand.version}`, range}]
          f.available = (source.versions(dep) ?? []).map((v) => v.version).sort((x, y) => compareVersions(y, x))
          failures.set(dep, f)
          break
        }
        if (!source.versions(dep)) {
          consistent = false
          const f = failures.get(dep) ?? {id: dep, reqs: [], available: [], yankedMatches: [], count: 0}
          f.count++
          f.reqs = [{requirer: `${next}@${cand.version}`, range}]
          failures.set(dep, f)
          break
        }
      }
      if (!consistent) continue
      assigned.set(next, cand)
      const added: [string, Requirement][] = deps.map(([dep, range]) => [dep, {requirer: `${next}@${cand.version}`, range}])
      for (const [dep, r] of added) addReq(dep, r)
      if (search()) return true
      for (const [dep, r] of added.reverse()) removeReq(dep, r)
      assigned.delete(next)
    }
    return false
  }

  if (!search()) throw explain([...failures.values()], source)

  const packages: Record<string, ResolvedPackage> = {}
  for (const id of [...assigned.keys()].sort()) {
    const v = assigned.get(id)!
    packages[id] = {id, version: v.version, dependencies: v.dependencies, requiredBy: [...(reqs.get(id) ?? [])]}
  }
  return {packages, steps}
}

function explain(failures: (Failure & {count: number})[], source: VersionSource): PacksError {
  failures.sort((a, b) => b.count - a.count || b.reqs.length - a.reqs.length)
  const f = failures[0]
  if (!f) return new PacksError('E_RESOLVE', 'no set of versions satisfies every requirement')
  if (!source.versions(f.id)) {
    const by = f.reqs.map((r) => `${r.requirer} (${r.range})`).join(', ')
    return new PacksError('E_NOT_FOUND', `package \`${f.id}\` is required by ${by} but is not in any configured registry`, {
      hint: 'The requiring package depends on something the registry does not carry: add the registry that has it, or choose another version of the requirer.',
      details: {package: f.id, requirers: f.reqs},
    })
  }
  const lines = [`cannot find a version of \`${f.id}\` that satisfies every requirement:`]
  for (const r of dedupeReqs(f.reqs)) lines.push(`  ${r.requirer} requires ${f.id} ${r.range}`)
  lines.push(`  available: ${f.available.length ? f.available.join(', ') : '(none)'}`)
  if (f.yankedMatches.length) lines.push(`  (${f.yankedMatches.join(', ')} would match but ${f.yankedMatches.length > 1 ? 'are' : 'is'} yanked)`)
  const others = failures.slice(1, 3).filter((o) => o.reqs.length > 0)
  for (const o of others) lines.push(`also: ${o.id} — ${dedupeReqs(o.reqs).map((r) => `${r.requirer} wants ${r.range}`).join('; ')}`)
  return new PacksError('E_RESOLVE', lines.join('\n'), {
    hint: `Relax one of the ranges above (in ggen.toml or by choosing another version of a requirer), or run \`ggen packs resolve ${f.id}\` for the ways out. Nothing was written.`,
    details: {package: f.id, requirers: dedupeReqs(f.reqs), available: f.available},
  })
}

function dedupeReqs(rs: Requirement[]): Requirement[] {
  const seen = new Set<string>()
  return rs.filter((r) => {
    const k = `${r.requirer}|${r.range}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}
