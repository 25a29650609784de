/**
 * `packs info <id[@version]>`: package metadata, every version with its state, the chosen
 * version's dependencies, and (with includeDependents) the projects using it and which version.
 */
import {splitAt} from '../domain/spec.js'
import {PacksError} from '../domain/errors.js'
import type {ProjectDependent} from '../graph/graph-store.js'
import {chooseBackend} from '../graph/open.js'
import {deprecationDetails, holdsDeprecations, keepTeamRecords, type DeprecationDetails} from '../registry/deprecations.js'
import {satisfies} from '../resolve/versions.js'
import type {SecurityStatus} from '../domain/scan.js'
import {versionKey} from '../graph/model.js'
import {installedVersions, loadCatalog, type PacksContext} from './context.js'
import {readLastScan, statusOf} from './security-status.js'
import {resolvePackageName} from './package-name.js'
import {openWorkspaceGraph} from './workspace-graph.js'

export interface InfoResult {
  id: string
  name: string
  description: string
  author: string | null
  license: string | null
  category: string | null
  keywords: string[]
  homepage: string | null
  repository: string | null
  registry: string
  latest: string | null
  version: string
  versions: ({version: string; published_at: string | null; yanked: boolean; deprecated: string | null} & DeprecationDetails & {quality_score: number | null; production_ready: boolean; integrity: string | null; signed: boolean; size: number | null} & {
    /** from the last security scan: found vulnerable, or clean when installed here; null when neither (or no scan has run) */
    security: SecurityStatus | null
  })[]
  dependencies: {id: string; range: string}[]
  dependents?: {project: {name: string; path: string; team: string | null; owner: string | null; machine: string}; version: string; direct: boolean}[]
  dependent_packages?: {id: string; version: string; range: string}[]
}

/** `info --backend neo4j`: the team graph's deprecation records (every machine's overlay) become the local copy first */
async function refreshTeamRecords(ctx: PacksContext): Promise<void> {
  const g = await openWorkspaceGraph(ctx, {backend: 'neo4j'})
  try {
    if (holdsDeprecations(g.store)) await keepTeamRecords(ctx.paths, ctx.machine, g.store)
  } finally {
    await g.store.close()
  }
}

/** `spec` is `id[@version|@range]`; the id may be a short name (`react`: see package-name.ts) */
export async function packageInfo(ctx: PacksContext, spec: string, o: {includeDependents?: boolean; backend?: string; machine?: string; roots?: string[]} = {}): Promise<InfoResult> {
  const {id: asked, rest: wanted} = splitAt(spec)
  if (chooseBackend(o.backend, ctx.config) === 'neo4j') await refreshTeamRecords(ctx)
  const catalog = await loadCatalog(ctx)
  const id = catalog.has(asked) ? asked : resolvePackageName(asked, catalog.all())
  const pkg = catalog.get(id)!
  const versions = catalog.versions(id)
  const latest = catalog.latest(id)
  let chosen = latest ?? versions[0]
  if (wanted) {
    chosen = pkg.versions[wanted] ?? versions.find((v) => satisfies(v.version, wanted))
    if (!chosen) throw new PacksError('E_VERSION_NOT_FOUND', `\`${id}\` has no version matching ${wanted}`, {hint: `Available: ${versions.map((v) => v.version).join(', ')}`})
  }
  const last = readLastScan(ctx)
  const installed = last ? new Set(installedVersions(ctx).map((v) => versionKey(v.id, v.version))) : new Set<string>()
  const result: InfoResult = {
    id,
    name: pkg.name,
    description: pkg.description,
    author: pkg.author ?? null,
    license: chosen?.license ?? pkg.license ?? null,
    category: pkg.category ?? null,
    keywords: pkg.keywords,
    homepage: pkg.homepage ?? null,
    repository: pkg.repository ?? null,
    registry: pkg.registry.location.url,
    latest: latest?.version ?? null,
    version: chosen!.version,
    versions: versions.map((v) => ({
      version: v.version,
      published_at: v.published_at ?? null,
      yanked: v.yanked,
      deprecated: v.deprecated ?? null,
      ...deprecationDetails(v),
      quality_score: v.quality_score ?? null,
      production_ready: v.production_ready,
      integrity: v.integrity ?? null,
      signed: !!v.signature,
      size: v.size ?? null,
      security: last?.vulnerable.get(versionKey(id, v.version)) ?? (installed.has(versionKey(id, v.version)) ? statusOf(last, id, v.version) : null),
    })),
    dependencies: Object.entries(chosen!.dependencies)
      .map(([d, range]) => ({id: d, range}))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  }
  if (o.includeDependents) {
    const g = await openWorkspaceGraph(ctx, {backend: o.backend, roots: o.roots, withProjects: false})
    try {
      const d = await g.store.dependents(id, {transitive: true, machine: o.machine})
      result.dependents = d.projects.map((p: ProjectDependent) => ({
        project: {name: p.project.name, path: p.project.path, team: p.project.team ?? null, owner: p.project.owner ?? null, machine: p.project.machine},
        version: p.version,
        direct: p.direct,
      }))
      result.dependent_packages = d.packages
    } finally {
      await g.store.close()
    }
  }
  return result
}
