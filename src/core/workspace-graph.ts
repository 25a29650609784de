/**
 * Open the graph for read commands: scan this machine's projects (cached), build the snapshot,
 * load the chosen backend. Shared by list, info, dependents and the analysis commands.
 */
import {buildSnapshot} from '../graph/snapshot.js'
import type {GraphStore} from '../graph/graph-store.js'
import type {GraphSnapshot} from '../graph/model.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import {Store} from '../store/store.js'
import {scanWorkspace, type ScannedProject} from '../workspace/projects.js'
import type {PacksContext} from './context.js'

export interface ProjectProblem {
  path: string
  code: string
  message: string
  file?: string
  field?: string
}

export interface WorkspaceGraph {
  store: GraphStore
  projects: ScannedProject[]
  problems: ProjectProblem[]
  snapshot?: GraphSnapshot
}

export function workspaceSnapshot(ctx: PacksContext, roots: string[] = []): {snapshot: GraphSnapshot; projects: ScannedProject[]; problems: ProjectProblem[]} {
  const scan = scanWorkspace(ctx.paths, roots)
  const problems = scan.projects.filter((p) => p.error).map((p) => ({path: p.path, ...p.error!}))
  const snapshot = buildSnapshot({machine: ctx.machine, projects: scan.projects, store: new Store(ctx.paths).readIndex()})
  return {snapshot, projects: scan.projects, problems}
}

export async function openWorkspaceGraph(ctx: PacksContext, opts: {backend?: string; roots?: string[]} = {}): Promise<WorkspaceGraph> {
  const backend = chooseBackend(opts.backend, ctx.config)
  if (backend === 'neo4j') {
    const store = await openGraphStore('neo4j', ctx.config, () => {
      throw new Error('unreachable')
    })
    return {store, projects: [], problems: []}
  }
  const ws = workspaceSnapshot(ctx, opts.roots)
  const store = await openGraphStore('memory', ctx.config, () => ws.snapshot)
  return {store, projects: ws.projects, problems: ws.problems, snapshot: ws.snapshot}
}
