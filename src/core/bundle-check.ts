/**
 * The read-only compliance questions: which bundles there are (this machine's $GGEN_HOME/bundles,
 * or the team graph's with `--backend neo4j`), one bundle, and `bundle apply NAME
 * --validate-all-projects`: would each known project (or a team's) comply with NAME?
 *
 * Validation checks the named bundle only (its packages and its own [policy]), not the other
 * bundles that bind a project nor the team policy file: the question is "does this project
 * comply with NAME", so a team can try a bundle before binding it (`verify --policy` checks what
 * binds). Both backends answer from the same port question (GraphStore.projectLocks: each project
 * with its locks and their direct flag) and take version facts (quality, production-ready,
 * license, deprecated, yanked) from listInstalled(), so their answers are the same.
 */
import {chooseBackend} from '../graph/open.js'
import {counting, evaluateProject, type Evaluation, type Violation} from '../policy/evaluate.js'
import {factsFrom, stateFromLocks} from '../policy/state.js'
import type {Bundle, Enforcement, Rule} from '../policy/model.js'
import {listBundles, readBundle, type BundleList} from '../policy/store.js'
import {PacksError} from '../domain/errors.js'
import {nearest} from '../util/nearest.js'
import type {PacksContext} from './context.js'
import {withAnalysisGraph} from './analysis/graph.js'

export interface BundleListResult extends BundleList {
  backend: 'memory' | 'neo4j'
  /** neo4j: the machine that synced each bundle */
  owners?: Record<string, string>
}

/** the team graph's bundles (Bundle nodes written by `graph sync`) */
async function teamBundles(ctx: PacksContext): Promise<BundleListResult> {
  const {openGraphStore} = await import('../graph/open.js')
  const {Bundle} = await import('../policy/model.js')
  // the Neo4j store keeps team bundles (src/core/graph-sync.ts TeamBundleStore)
  const store = (await openGraphStore('neo4j', ctx)) as Awaited<ReturnType<typeof openGraphStore>> & {teamBundles(): Promise<{name: string; json: string; machine: string}[]>}
  try {
    const out: BundleListResult = {backend: 'neo4j', bundles: [], problems: [], owners: {}}
    for (const row of await store.teamBundles()) {
      const where = `Neo4j Bundle ${row.name} (synced from ${row.machine})`
      try {
        const parsed = Bundle.safeParse(JSON.parse(row.json))
        if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
        out.bundles.push(parsed.data)
        out.owners![row.name] = row.machine
      } catch (error) {
        out.problems.push({file: where, message: (error as Error).message})
      }
    }
    return out
  } finally {
    await store.close()
  }
}

export async function bundleList(ctx: PacksContext, o: {backend?: string} = {}): Promise<BundleListResult> {
  if (chooseBackend(o.backend, ctx.config) === 'neo4j') return teamBundles(ctx)
  return {backend: 'memory', ...(await listBundles(ctx.paths))}
}

/** one bundle: this machine's, or the team graph's with --backend neo4j */
export async function bundleShow(ctx: PacksContext, name: string, o: {backend?: string} = {}): Promise<Bundle> {
  if (chooseBackend(o.backend, ctx.config) !== 'neo4j') return readBundle(ctx.paths, name)
  const team = await teamBundles(ctx)
  const b = team.bundles.find((x) => x.id === name)
  if (b) return b
  const near = nearest(name, team.bundles.map((x) => x.id))
  throw new PacksError('E_NOT_FOUND', `the team graph holds no bundle named ${name}`, {
    hint: near.length ? `Did you mean ${near.join(', ')}?` : 'The machine that holds it shares it with `ggen packs graph sync` (`ggen packs bundle list --backend neo4j` shows what the team graph has).',
  })
}

export interface ProjectCompliance {
  project: {name: string; path: string; machine: string; team?: string}
  ok: boolean
  /** every violation, waived ones too (marked `waived`) */
  violations: Violation[]
  notes: string[]
}

export interface BundleValidation {
  bundle: string
  enforcement: Enforcement
  backend: 'memory' | 'neo4j'
  team?: string
  ok: boolean
  projects: ProjectCompliance[]
  summary: {projects: number; violating: number; violations: number; waived: number; by_rule: Partial<Record<Rule, number>>}
}

export function complianceOf(e: Evaluation, machine: string): ProjectCompliance {
  return {project: {name: e.project.name, path: e.project.path, machine, ...(e.project.team ? {team: e.project.team} : {})}, ok: counting(e).length === 0, violations: e.violations, notes: e.notes}
}

export function summarize(projects: ProjectCompliance[]): BundleValidation['summary'] {
  const by: Partial<Record<Rule, number>> = {}
  let violations = 0
  let waived = 0
  for (const p of projects) {
    for (const v of p.violations) {
      if (v.waived) waived++
      else {
        violations++
        by[v.rule] = (by[v.rule] ?? 0) + 1
      }
    }
  }
  return {projects: projects.length, violating: projects.filter((p) => !p.ok).length, violations, waived, by_rule: by}
}

/** `bundle apply NAME --validate-all-projects [--team T]` */
export async function validateBundle(ctx: PacksContext, name: string, o: {team?: string; backend?: string; roots?: string[]} = {}): Promise<BundleValidation> {
  const bundle = await bundleShow(ctx, name, o)
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots}, async (g) => {
    ctx.progress.step(`Checking projects against bundle ${bundle.id}`)
    const [rows, installed] = [await g.store.projectLocks(o.team ? {team: o.team} : {}), await g.store.listInstalled()]
    ctx.progress.stop()
    const facts = factsFrom(installed)
    // the named bundle binds every project in scope, whatever binds it today
    const projects = rows.map((pl) => complianceOf(evaluateProject({...stateFromLocks(pl), bundles: [bundle.id]}, {bundles: [bundle], facts}), pl.project.machine))
    const summary = summarize(projects)
    return {bundle: bundle.id, enforcement: bundle.enforcement, backend: g.store.name, ...(o.team ? {team: o.team} : {}), ok: summary.violating === 0, projects, summary}
  })
}
