/** Small builders for GraphSnapshot rows used by the contract, property and two-machine tests. */
import {projectKey, type GraphSnapshot, type PackageRow, type ProjectLock, type ProjectRequire, type ProjectRow, type VersionRow} from '../../src/graph/model.js'

export const v = (id: string, version: string, extra: Partial<VersionRow> = {}): VersionRow => ({id, version, requires: {}, ...extra})

export const lock = (id: string, version: string, extra: Partial<ProjectLock> = {}): ProjectLock => ({id, version, direct: true, dependencies: [], ...extra})

export const req = (id: string, range: string, extra: Partial<ProjectRequire> = {}): ProjectRequire => ({id, range, ...extra})

export function project(machine: string, path: string, extra: Partial<Omit<ProjectRow, 'key' | 'machine' | 'path'>> = {}): ProjectRow {
  return {key: projectKey(machine, path), path, machine, name: extra.name ?? path.split('/').pop() ?? path, requires: [], locks: [], ...extra}
}

/** a snapshot whose package rows are derived from the ids it mentions */
export function snap(machine: string, parts: {versions?: VersionRow[]; projects?: ProjectRow[]; packages?: PackageRow[]}): GraphSnapshot {
  const versions = parts.versions ?? []
  const projects = parts.projects ?? []
  const pk = new Map<string, PackageRow>()
  for (const p of parts.packages ?? []) pk.set(p.id, p)
  const add = (id: string) => {
    if (!pk.has(id)) pk.set(id, {id, name: id})
  }
  for (const x of versions) {
    add(x.id)
    for (const d of Object.keys(x.requires)) add(d)
  }
  for (const p of projects) {
    for (const r of p.requires) add(r.id)
    for (const l of p.locks) add(l.id)
  }
  return {machine, versions, projects, packages: [...pk.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))}
}
