/**
 * Shared plumbing of the analysis use-cases (tree, why, dependents, impact, verify, resolve):
 * open the workspace graph with the analysis questions, turn a `--project DIR` into the project's
 * graph key (scanning the directory when it is not registered yet), and small helpers for
 * messages ("did you mean", project references for JSON).
 */
import {count} from '../../util/text.js'
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {isErrorCode, PacksError} from '../../domain/errors.js'
import {parsePackSpec} from '../../domain/spec.js'
import type {GraphStore, ProjectRef} from '../../graph/graph-store.js'
import {projectKey} from '../../graph/model.js'
import {chooseBackend} from '../../graph/open.js'
import {MemoryGraphStore} from '../../graph/memory/memory-store.js'
import {buildSnapshot} from '../../graph/snapshot.js'
import {LEGACY_LOCKFILE, lockfilePath, PROJECT_FILE} from '../../formats/paths.js'
import {readProjectsFile} from '../../workspace/project-index.js'
import type {ScannedProject} from '../../workspace/projects.js'
import type {PacksContext} from '../context.js'
import {openWorkspaceGraph, type WorkspaceGraph} from '../workspace-graph.js'
import type {WorkspaceStats} from '../workspace-stat.js'

/** a store answering the analysis questions: every GraphStore does (the port extends AnalysisQueries) */
export type AnalysisStore = GraphStore

export interface AnalysisGraph extends WorkspaceGraph {
  store: AnalysisStore
  /** the key of the project named with `project`, when one was */
  projectKey?: string
  /** its absolute path */
  projectPath?: string
}

export interface OpenOptions {
  backend?: string
  roots?: string[]
  /** a project directory the question is about (scanned even when not registered) */
  project?: string
  /** the caller reads `projects` (the parsed files); otherwise a cached snapshot is enough */
  withProjects?: boolean
  /** the workspace's stats, when the caller took them just before (without `project` only) */
  stats?: WorkspaceStats
}

/** a folder holding ggen.toml or a lockfile (.ggen/packs.lock, or a legacy ggen.lock), as the workspace scan decides */
export const isProjectDir = (dir: string): boolean => existsSync(join(dir, PROJECT_FILE)) || existsSync(lockfilePath(dir)) || existsSync(join(dir, LEGACY_LOCKFILE))

function notAProject(path: string): PacksError {
  return new PacksError('E_NO_PROJECT', `${path} is not a ggen project (no ${PROJECT_FILE} or .ggen/packs.lock)`, {
    hint: 'Run the command inside a project, or name one with --project DIR (`ggen packs list` shows the projects in use).',
  })
}

export async function openAnalysisGraph(ctx: PacksContext, o: OpenOptions = {}): Promise<AnalysisGraph> {
  const roots = [...(o.roots ?? [])]
  let projectPath: string | undefined
  if (o.project !== undefined) {
    projectPath = resolve(o.project)
    if (!isProjectDir(projectPath)) throw notAProject(projectPath)
    // a project nobody installed into yet is not in projects.json: scan it as well
    const registered = !!readProjectsFile(ctx.paths).projects[projectPath]
    if (!registered && !roots.some((r) => projectPath!.startsWith(resolve(r)))) roots.push(projectPath)
  }
  const g = await openWorkspaceGraph(ctx, {backend: o.backend, roots, withProjects: o.withProjects === true, ...(o.project === undefined && o.stats ? {stats: o.stats} : {})})
  const store = g.store
  // keep `projects` lazy (reading it parses every project file)
  const out: AnalysisGraph = {
    store,
    get projects() {
      return g.projects
    },
    problems: g.problems,
    gone: g.gone,
    snapshot: g.snapshot,
    snapshotId: g.snapshotId,
  }
  if (projectPath !== undefined) {
    out.projectPath = projectPath
    out.projectKey = projectKey(ctx.machine, projectPath)
    // a project whose files cannot be read cannot be analysed: say why, naming the file
    const problem = g.problems.find((p) => p.path === projectPath)
    const row = g.snapshot?.projects.find((p) => p.path === projectPath)
    if (problem && !row) {
      await store.close()
      throw new PacksError(isErrorCode(problem.code) ? problem.code : 'E_PARSE', problem.message, {file: problem.file, field: problem.field, hint: problem.hint ?? 'Fix the file named above (or restore it from version control), then run again.'})
    }
  }
  return out
}

/** one project's committed files as the workspace scan reports them: what could be read, and the first problem */
export async function readOneProject(path: string): Promise<ScannedProject> {
  return {path, ...(await import('../../workspace/projects.js')).readProjectForScan(path)}
}

/** `id` or `id@range`, checked without loading the schemas */
export async function parsePackageSpec(spec: string): Promise<{id: string; range?: string}> {
  const {validRange} = await import('../../resolve/versions.js')
  const {id, range} = parsePackSpec(spec, validRange, 'ggen packs dependents io.ggen.core.util@^1.2')
  return range === undefined ? {id} : {id, range}
}

/**
 * The graph of one project, for questions about that project alone (tree, why --project, resolve).
 * On the embedded backend it is built from the project's own files - not from the whole
 * workspace - so it costs the same with 10 projects or 10,000. A file that cannot be read is an
 * error naming it. On neo4j, the team graph.
 */
export async function openProjectGraph(ctx: PacksContext, o: OpenOptions & {project: string}): Promise<AnalysisGraph> {
  if (chooseBackend(o.backend, ctx.config, ctx.env) !== 'memory') return openAnalysisGraph(ctx, o)
  const path = resolve(o.project)
  if (!isProjectDir(path)) throw notAProject(path)
  const sp: ScannedProject = {path, ...(await import('../../workspace/projects.js')).readProjectState(path)}
  const snapshot = buildSnapshot({machine: ctx.machine, projects: [sp]})
  const store = new MemoryGraphStore()
  await store.load(snapshot)
  return {store, projects: [sp], problems: [], gone: [], snapshot, projectKey: projectKey(ctx.machine, path), projectPath: path}
}

/** run `fn` with an open analysis graph and always close it; `only`: the question concerns `project` alone (openProjectGraph) */
export async function withAnalysisGraph<T>(ctx: PacksContext, o: OpenOptions & {only?: boolean}, fn: (g: AnalysisGraph) => Promise<T>): Promise<T> {
  const g = o.only && o.project !== undefined ? await openProjectGraph(ctx, {...o, project: o.project}) : await openAnalysisGraph(ctx, o)
  try {
    return await fn(g)
  } finally {
    await g.store.close()
  }
}

/** the project fields analysis JSON shows: name and path (machine too on a multi-machine backend) */
export interface ProjectOut {
  name: string
  path: string
  machine?: string
}

export const projectOut = (p: ProjectRef, withMachine: boolean): ProjectOut => (withMachine ? {name: p.name, path: p.path, machine: p.machine} : {name: p.name, path: p.path})

export {nearest} from '../../util/nearest.js'

/** package ids a project in the graph locks (for hints) */
export function lockedIds(g: WorkspaceGraph): Set<string> {
  const ids = new Set<string>()
  for (const p of g.snapshot?.projects ?? []) for (const l of p.locks) ids.add(l.id)
  return ids
}



export interface MachineCount {
  name: string
  projects: number
}

/** the machines the graph holds projects of, by name (the machine a local snapshot was built for counts even with none) */
export async function knownMachines(g: Pick<WorkspaceGraph, 'store' | 'snapshot'>): Promise<MachineCount[]> {
  const counts = new Map<string, number>()
  if (g.snapshot) counts.set(g.snapshot.machine, 0)
  for (const p of await g.store.projects()) counts.set(p.machine, (counts.get(p.machine) ?? 0) + 1)
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, projects]) => ({name, projects}))
}

export const machinesText = (ms: MachineCount[]): string => (ms.length ? ms.map((m) => `${m.name} (${count(m.projects, 'project')})`).join(', ') : 'none')

/**
 * `--machine NAME` filters by machine. When the graph holds no project of that machine, the text
 * saying so and naming the machines it knows (ask only once a filtered answer came back empty);
 * null when the machine has projects (or none was named).
 */
export async function machineNote(g: Pick<WorkspaceGraph, 'store' | 'snapshot'>, machine: string | undefined): Promise<string | null> {
  if (!machine) return null
  const ms = await knownMachines(g)
  if (ms.some((m) => m.name === machine && m.projects > 0)) return null
  return `no known project comes from machine "${machine}"; machines known: ${machinesText(ms)}`
}
