/**
 * `packs export --what …`: gathers what is exported, through the same use-cases the other
 * commands answer with (list, dependents, manifest generation, bundles, graph export), plus
 * the CycloneDX SBOM of each project (./sbom.ts). Reads only: the renderers (src/cli/views) turn
 * the data into files, written by the command.
 */
import {join, resolve} from 'node:path'
import {PacksError} from '../../domain/errors.js'
import type {Manifest} from '../../domain/schemas.js'
import type {ScanResult} from '../../domain/scan.js'
import {readTextOrNull} from '../../formats/fs.js'
import {LAST_SCAN_FILE} from '../../formats/last-scan.js'
import {GGEN_VERSION} from '../../formats/lockfile.js'
import type {GraphExport} from '../../graph/export/index.js'
import {projectKey, type ProjectRow} from '../../graph/model.js'
import type {Bundle} from '../../policy/model.js'
import {requireProjectDir} from '../../workspace/project-dir.js'
import {readProjectState, scanWorkspace} from '../../workspace/projects.js'
import {currentUser} from '../../audit/log.js'
import type {PacksContext} from '../context.js'
import {findDependents, type DependentsResult} from '../dependents.js'
import {exportWorkspaceGraph} from '../graph-export.js'
import {listInstalled, type ListRow} from '../list.js'
import {buildManifest} from '../manifest.js'
import {isProjectDir} from '../analysis/graph.js'
import {workspaceSnapshot} from '../workspace-graph.js'
import {bundleList} from '../bundle-check.js'
import {buildSbom, type Sbom} from './sbom.js'

export const EXPORT_WHATS = ['sbom', 'graph', 'list', 'dependents', 'manifests', 'bundles'] as const
export type ExportWhat = (typeof EXPORT_WHATS)[number]

export interface ExportOptions {
  what: ExportWhat
  /** one project folder (--project) */
  project?: string
  /** every known project (--all); neither: the current folder when it is a project, else every project */
  all?: boolean
  /** a package id: dependents' subject, the graph's scope */
  package?: string
  backend?: string
  machine?: string
  roots?: string[]
  /** graph: the export format */
  graphFormat?: GraphExport['format']
}

export interface ProjectDoc<T> {
  project: string
  path: string
  value: T
}

export type ExportData =
  | {what: 'list'; rows: ListRow[]}
  | {what: 'dependents'; result: DependentsResult}
  | {what: 'manifests'; manifests: ProjectDoc<Manifest>[]}
  | {what: 'bundles'; bundles: Bundle[]}
  | {what: 'graph'; graph: GraphExport}
  | {what: 'sbom'; sboms: ProjectDoc<Sbom>[]}

/** a file the export wrote */
export interface ExportFile {
  file: string
  bytes: number
  /** the project it describes (one file per project) */
  project?: string
}

/** `packs export --json`: what was written and how much it holds */
export interface ExportResult {
  what: ExportWhat
  format: string
  /** files written (none when the export went to stdout) */
  files: ExportFile[]
  counts: ExportCounts
}

/** how much an export holds (the --json summary) */
export interface ExportCounts {
  rows?: number
  projects?: number
  bundles?: number
  components?: number
  dependencies?: number
  vulnerabilities?: number
  nodes?: number
  relationships?: number
}

export function exportCounts(d: ExportData): ExportCounts {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  if (d.what === 'list') return {rows: d.rows.length}
  if (d.what === 'dependents') return {rows: d.result.projects.length, projects: d.result.projects.length}
  if (d.what === 'manifests') return {rows: sum(d.manifests.map((m) => m.value.packages.length)), projects: d.manifests.length}
  if (d.what === 'bundles') return {bundles: d.bundles.length, rows: d.bundles.reduce((n, b) => n + b.packages.length, 0)}
  if (d.what === 'graph') return {nodes: d.graph.nodes, relationships: d.graph.relationships}
  return {projects: d.sboms.length, components: sum(d.sboms.map((s) => s.value.components)), dependencies: sum(d.sboms.map((s) => s.value.dependencies)), vulnerabilities: sum(d.sboms.map((s) => s.value.vulnerabilities))}
}

/** --project's folder (checked), or null for every project */
function chosenProject(o: ExportOptions): string | null {
  if (o.project) return requireProjectDir(o.project)
  if (o.all || !isProjectDir(resolve('.'))) return null
  return resolve('.')
}

const noProject = (dir: string) =>
  new PacksError('E_NO_PROJECT', `${dir} is not a project ggen packs knows (no ggen.toml or lockfile there)`, {file: dir, hint: `Install into it first (ggen packs install --project ${dir}), or use --all.`})

/** the last security scan, read defensively: missing or unreadable means no vulnerabilities section */
export function readLastScan(ctx: PacksContext): ScanResult | null {
  const file = join(ctx.paths.advisories, LAST_SCAN_FILE)
  const text = readTextOrNull(file)
  if (text === null) return null
  try {
    const scan = JSON.parse(text) as ScanResult
    const ok = Array.isArray(scan?.findings) && scan.findings.every((f) => typeof f?.package === 'string' && typeof f.version === 'string' && Array.isArray(f.advisories) && f.advisories.every((a) => typeof a?.id === 'string' && Array.isArray(a.aliases) && Array.isArray(a.references)))
    if (ok) return scan
  } catch {
    // reported below
  }
  ctx.warn(`${file} is not a readable scan result; the SBOM has no vulnerabilities section (run \`ggen packs security scan\` again)`)
  return null
}

async function sboms(ctx: PacksContext, o: ExportOptions): Promise<ProjectDoc<Sbom>[]> {
  const dir = chosenProject(o)
  const ws = await workspaceSnapshot(ctx, [...(o.roots ?? []), ...(dir ? [dir] : [])])
  for (const p of ws.problems) ctx.warn(`${p.path}: ${p.message} (skipped)`)
  const s = ws.snapshot
  const projects: ProjectRow[] = dir ? s.projects.filter((p) => p.key === projectKey(s.machine, dir)) : s.projects
  if (dir && projects.length === 0) throw noProject(dir)
  const versions = new Map(s.versions.map((v) => [`${v.id}@${v.version}`, v]))
  const packages = new Map(s.packages.map((p) => [p.id, p]))
  const scan = readLastScan(ctx)
  const out: ProjectDoc<Sbom>[] = []
  for (const project of projects) {
    const value = await buildSbom({project, versions, packages, scan, now: ctx.env.fixedTime ?? new Date().toISOString(), deterministic: ctx.env.fixedTime !== undefined, tool: {name: 'ggen-packs', version: GGEN_VERSION.replace(/^ggen-packs\//, '')}})
    out.push({project: project.name, path: project.path, value})
  }
  return out
}

/** one manifest per project (its `[project] environment`, else `default`), as `manifest generate` builds it */
function manifests(ctx: PacksContext, o: ExportOptions): ProjectDoc<Manifest>[] {
  const dir = chosenProject(o)
  const found = dir ? [{path: dir, ...readProjectState(dir)}] : scanWorkspace(ctx.paths, o.roots ?? []).projects.filter((p) => !p.error)
  if (dir && !found[0]!.lock) throw noProject(dir)
  return found
    .filter((p) => p.lock)
    .map((p) => {
      const environment = p.config?.project.environment ?? 'default'
      const manifest = buildManifest([{path: p.path, config: p.config, lock: p.lock!}], {environment, lockAll: false, createdBy: currentUser(), team: p.config?.project.team ?? null, description: null, now: ctx.env.fixedTime})
      return {project: p.config?.project.name ?? p.path.split('/').pop() ?? p.path, path: p.path, value: manifest}
    })
}

async function bundles(ctx: PacksContext, o: ExportOptions): Promise<Bundle[]> {
  const r = await bundleList(ctx, {backend: o.backend})
  for (const p of r.problems) ctx.warn(`bundle skipped: ${p.file}: ${p.message}`)
  return r.bundles
}

async function graph(ctx: PacksContext, o: ExportOptions): Promise<GraphExport> {
  const dir = o.project ? requireProjectDir(o.project) : undefined
  const scope = {projects: dir ? [projectKey(ctx.machine, dir)] : [], packages: o.package ? [o.package] : []}
  const r = await exportWorkspaceGraph(ctx, {format: o.graphFormat ?? 'json', backend: o.backend, machine: o.machine, roots: [...(o.roots ?? []), ...(dir ? [dir] : [])], scope})
  for (const p of r.problems) ctx.warn(`${p.path}: ${p.message} (skipped)`)
  return {format: r.result.format, content: r.content, nodes: r.result.nodes, relationships: r.result.relationships, machines: r.result.machines}
}

export async function collectExport(ctx: PacksContext, o: ExportOptions): Promise<ExportData> {
  switch (o.what) {
    case 'sbom':
      return {what: 'sbom', sboms: await sboms(ctx, o)}
    case 'graph':
      return {what: 'graph', graph: await graph(ctx, o)}
    case 'manifests':
      return {what: 'manifests', manifests: manifests(ctx, o)}
    case 'bundles':
      return {what: 'bundles', bundles: await bundles(ctx, o)}
    case 'dependents': {
      if (!o.package) throw new PacksError('E_USAGE', '--what dependents needs --package ID', {hint: 'ggen packs export --what dependents --package io.ggen.core.util --format csv --output users.csv'})
      return {what: 'dependents', result: await findDependents(ctx, o.package, {backend: o.backend, machine: o.machine, roots: o.roots})}
    }
    case 'list': {
      const r = await listInstalled(ctx, {backend: o.backend, machine: o.machine, roots: o.roots, project: o.project ? resolve(o.project) : undefined})
      for (const p of r.problems) ctx.warn(`${p.path}: ${p.message}`)
      return {what: 'list', rows: r.rows}
    }
  }
}
