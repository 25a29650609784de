/**
 * A project's state as the policy evaluation reads it (src/policy/evaluate.ts ProjectState), built
 * from its files (ggen.toml + lockfile: the enforcement gate, verify --policy) or from the graph
 * (GraphStore.projectLocks: bundle apply --validate-all-projects on either backend), and the
 * version facts from the graph's installed versions.
 */
import type {InstalledVersion, ProjectLocks} from '../graph/graph-store.js'
import {versionKey} from '../graph/model.js'
import type {Lockfile, ProjectConfig} from '../domain/schemas.js'
import type {ProjectState, VersionFacts} from './evaluate.js'

/** version facts policy rules look at, from the graph's installed versions */
export function factsFrom(installed: InstalledVersion[]): (id: string, version: string) => VersionFacts | undefined {
  const m = new Map(installed.map((v) => [versionKey(v.id, v.version), {quality_score: v.quality_score ?? null, production_ready: v.production_ready ?? null, license: v.license ?? null, deprecated: v.deprecated ?? null, yanked: v.yanked ?? null}]))
  return (id, version) => m.get(versionKey(id, version))
}

/** a project as the graph knows it: direct requirements are the locks flagged direct (their range does not matter here) */
export const stateFromLocks = (pl: ProjectLocks): ProjectState => ({
  path: pl.project.path,
  name: pl.project.name,
  ...(pl.project.team ? {team: pl.project.team} : {}),
  direct: pl.locks.filter((l) => l.direct).map((l) => ({id: l.id, range: '*'})),
  locks: pl.locks,
})

/** a project as its files say: ggen.toml requirements and bindings, the lockfile's versions */
export function stateFromFiles(sp: {path: string; config: ProjectConfig | null; lock: Lockfile | null}): ProjectState {
  const packs = sp.config?.packs ?? {}
  const project = sp.config?.project
  return {
    path: sp.path,
    name: project?.name ?? sp.path.split('/').pop() ?? sp.path,
    ...(project?.team ? {team: project.team} : {}),
    ...(project?.bundles ? {bundles: project.bundles} : {}),
    direct: Object.entries(packs).map(([id, r]) => ({id, range: r.version})),
    locks: Object.entries(sp.lock?.packs ?? {}).map(([id, e]) => ({id, version: e.version, direct: id in packs})),
  }
}

