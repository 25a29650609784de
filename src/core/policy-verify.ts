/**
 * `packs verify --policy [FILE]`: every project in scope (verify's own rules: --project DIR, the
 * current folder when it is a project, else --all) against the team policy (FILE, default
 * $GGEN_HOME/policy.toml) and the bundles bound to it (`[project] bundles`, its team). Read from
 * the project files on this machine; version facts from the registries when configured, else what
 * the store recorded at install. Waived violations are listed as waived and do not count.
 */
import {resolve} from 'node:path'
import {evaluateProject} from '../policy/evaluate.js'
import {stateFromFiles} from '../policy/state.js'
import {listBundles, readTeamPolicy} from '../policy/store.js'
import {factsFor} from './policy-facts.js'
import {scanWorkspace} from '../workspace/projects.js'
import {complianceOf, summarize, type BundleValidation, type ProjectCompliance} from './bundle-check.js'
import {isProjectDir, readOneProject} from './analysis/graph.js'
import {optionalCatalog} from './impact.js'
import type {PacksContext} from './context.js'

export interface PolicyVerifyResult {
  policy: string
  mode: 'project' | 'all'
  ok: boolean
  projects: ProjectCompliance[]
  summary: BundleValidation['summary']
}

export async function verifyPolicy(ctx: PacksContext, o: {file: string; project?: string; all?: boolean; roots?: string[]}): Promise<PolicyVerifyResult> {
  const policy = readTeamPolicy(ctx.paths, o.file)!
  const {bundles, problems} = await listBundles(ctx.paths)
  for (const p of problems) ctx.warn(`bundle file skipped: ${p.message}`)
  const all = o.all === true || (o.project === undefined && !isProjectDir(resolve('.')))
  const scanned = all ? scanWorkspace(ctx.paths, o.roots).projects.filter((p) => p.config || p.lock) : [await readOneProject(resolve(o.project ?? '.'))]
  const catalog = ctx.registries.length ? await optionalCatalog(ctx, 'policy facts are those recorded at install time') : null
  const facts = factsFor(ctx, catalog)
  const projects = scanned.map((sp) => complianceOf(evaluateProject(stateFromFiles(sp), {bundles, policy, facts}), ctx.machine))
  const summary = summarize(projects)
  return {policy: policy.file, mode: all ? 'all' : 'project', ok: summary.violating === 0, projects, summary}
}
