/**
 * `packs why <id>`: through which paths a package comes into a project (or into every project),
 * and the one-line summary that matters: "comes in through io.x.web 1.5.0 -> io.x.util 1.3.0".
 * The graph enumerates the simple paths from the project's direct dependencies, shortest first
 * (AnalysisQueries.why); this adds the summaries.
 */
import {count} from '../util/text.js'
import {PacksError} from '../domain/errors.js'
import type {VersionRef, WhyProject} from '../graph/graph-store.js'
import type {PacksContext} from './context.js'
import {lockedIds, machineNote, nearest, projectOut, withAnalysisGraph, type ProjectOut} from './analysis/graph.js'

export interface WhyRow {
  project: ProjectOut
  /** the version of the package this project locks */
  version: string
  /** the project's ggen.toml requires it */
  direct: boolean
  summary: string
  /** direct dependencies it comes in through (first step of every path), sorted by id */
  via: VersionRef[]
  /** from a direct dependency to the package, both included; shortest first */
  paths: VersionRef[][]
  /** number of paths (may exceed paths.length) */
  count: number
  truncated: boolean
}

export interface WhyResult {
  package: string
  projects: WhyRow[]
}

export interface WhyOptions {
  /** one project directory; every known project when absent */
  project?: string
  machine?: string
  /** at most this many paths per project */
  limit?: number
  backend?: string
  roots?: string[]
}

export const renderPath = (path: VersionRef[]): string => path.map((s) => `${s.id} ${s.version}`).join(' -> ')

/** the summary line of one project's answer; pure */
export function summarize(w: Pick<WhyProject, 'direct' | 'paths' | 'count'>): string {
  const indirect = w.paths.filter((p) => p.length > 1)
  const vias = [...new Set(indirect.map((p) => p[0]!.id))]
  if (w.direct) {
    if (w.count <= 1) return 'direct dependency (ggen.toml)'
    return `direct dependency (ggen.toml); also through ${vias.length ? vias.join(', ') : count(w.count - 1, 'other path')}`
  }
  const first = w.paths[0]
  if (!first) return 'locked, but no path from the ggen.toml requirements reaches it (unreachable)'
  const more = w.count - 1
  const others = vias.filter((v) => v !== first[0]!.id)
  return `comes in through ${renderPath(first)}${more > 0 ? ` (+${count(more, 'more path')}${others.length ? `, also via ${others.join(', ')}` : ''})` : ''}`
}

export async function whyPackage(ctx: PacksContext, id: string, o: WhyOptions = {}): Promise<WhyResult> {
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 1)) throw new PacksError('E_USAGE', `--limit must be at least 1 (got ${o.limit})`)
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots, project: o.project, only: true}, async (g) => {
    const rows = await g.store.why(id, g.projectKey ? {projectKey: g.projectKey, limit: o.limit} : {machine: o.machine, limit: o.limit})
    if (rows.length === 0) {
      if (g.projectKey) {
        const use = await g.store.requirers(id, {projectKey: g.projectKey})
        const own = use[0]?.requirers.find((r) => r.requirer === 'ggen.toml')
        throw new PacksError('E_NOT_FOUND', own ? `${id} is required by ${g.projectPath}/ggen.toml (${own.range}) but is not installed` : `${id} is not in the lockfile of ${g.projectPath}`, {
          hint: own ? `Install it: ggen packs install --project ${g.projectPath}` : `See every project that uses it: ggen packs why ${id}`,
        })
      }
      const note = await machineNote(g, o.machine)
      if (note) throw new PacksError('E_NOT_FOUND', note, {hint: 'Name one of those machines with --machine, or leave --machine out to ask about every project.'})
      const locked = lockedIds(g)
      if (o.machine && locked.has(id)) throw new PacksError('E_NOT_FOUND', `no project of machine "${o.machine}" locks ${id}`, {hint: `Projects of other machines do: ggen packs why ${id}`})
      const near = nearest(id, locked).filter((x) => x !== id)
      throw new PacksError('E_NOT_FOUND', `no known project locks ${id}`, {
        hint: near.length ? `Did you mean ${near.join(', ')}?` : 'See what is installed with `ggen packs list`; scan more folders with --root DIR.',
      })
    }
    const multi = g.store.capabilities.scope === 'team'
    return {
      package: id,
      projects: rows.map((w) => {
        const seen = new Map<string, VersionRef>()
        for (const p of w.paths) if (p.length > 1 && !seen.has(p[0]!.id)) seen.set(p[0]!.id, p[0]!)
        return {
          project: projectOut(w.project, multi),
          version: w.version,
          direct: w.direct,
          summary: summarize(w),
          via: [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
          paths: w.paths,
          count: w.count,
          truncated: w.truncated,
        }
      }),
    }
  })
}
