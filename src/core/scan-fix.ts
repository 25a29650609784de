/**
 * The fix advice of the security scan: what to do about one vulnerable package version.
 * This minimal version answers `upgrade` (the smallest known version above the vulnerable one
 * that no advisory affects and that satisfies every requirer's range in the scanned projects;
 * when no newer one does - a regression nobody fixed yet - the newest such version below it) or
 * `none`; the full advice (moving a direct dependency, with what it breaks) replaces the body
 * behind the same signature.
 */
import type {FixAdvice} from '../domain/scan.js'
import type {GraphStore, ProjectScope} from '../graph/graph-store.js'
import {compareVersions, satisfies} from '../resolve/versions.js'

/** the graph the advice reads: the port, the scan's scope, and every version the tool knows of a package */
export interface FixGraph {
  /** the open GraphStore (requirers, why, impact questions) */
  store: GraphStore
  /** the projects the scan covers (a project key, a machine, or every project) */
  scope: ProjectScope
  /** every known version of a package (the graph snapshot's versions), any order */
  versions: (id: string) => string[]
}

export interface FixInput {
  /** the vulnerable package id */
  package: string
  /** the vulnerable version */
  version: string
  /** whether a version of the package is affected by any advisory (the advisory database and the graph's AFFECTS edges) */
  isAffected: (version: string) => boolean
  graph: FixGraph
}

/**
 * Advice for `package@version`: the smallest known, unaffected version above it that satisfies
 * every range on the package declared by the projects locking that version (their ggen.toml and
 * their locked requirers); else the newest such version below it; else `none`.
 */
export async function fixAdvice(input: FixInput): Promise<FixAdvice> {
  const uses = (await input.graph.store.requirers(input.package, input.graph.scope)).filter((u) => u.version === input.version)
  const ranges = [...new Set(uses.flatMap((u) => u.requirers.map((r) => r.range)))]
  const known = [...new Set(input.graph.versions(input.package))].filter((v) => v !== input.version && !input.isAffected(v)).sort(compareVersions)
  const fits = (v: string) => ranges.every((r) => satisfies(v, r))
  const newer = known.filter((v) => compareVersions(v, input.version) > 0)
  const ok = newer.find(fits) ?? known.filter((v) => compareVersions(v, input.version) < 0 && fits(v)).pop()
  const on = `it satisfies every range on it (${ranges.join(', ') || 'none'})`
  if (ok) {
    const up = compareVersions(ok, input.version) > 0
    return {kind: 'upgrade', version: ok, breaks: [], explanation: up ? `upgrade ${input.package} ${input.version} to ${ok}: not affected, and ${on}` : `no fixed release yet: go back to ${input.package} ${ok}, which is not affected, and ${on}`}
  }
  const fixed = newer
  const why = fixed.length
    ? `the unaffected versions (${fixed.slice(0, 3).join(', ')}${fixed.length > 3 ? ', …' : ''}) do not satisfy every range on it (${ranges.join(', ')})`
    : 'no newer version this tool knows is free of these advisories'
  return {kind: 'none', breaks: [], explanation: `no fix for ${input.package} ${input.version}: ${why}`}
}
