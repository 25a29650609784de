/**
 * Enforcement: the check every change of a project's packages passes before it is committed
 * (runTransaction calls it once the after-state is known, before the journal: install, uninstall,
 * update, manifest apply, bundle apply; rollback and undo record only).
 *
 * The state about to be written is evaluated against the bundles binding the project (`[project]
 * bundles` in its ggen.toml and the bundles naming its team) and the team policy
 * ($GGEN_HOME/policy.toml), and compared with the state before: only what the change introduces
 * counts, so a project already out of line can still be brought closer. A hard breach refuses
 * with E_POLICY (exit 9) naming bundle, rule and package: nothing is written, and the transaction
 * audits the refusal (result failure). A soft breach is a warning with the same message; the
 * change proceeds and its audit entry records the breach. There is no override flag: change the
 * bundle or the binding (both audited). `record` (rollback, undo) never refuses: a restored state
 * that violates is warned about and audited as a breach.
 */
import {basename} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {ProjectConfig} from '../domain/schemas.js'
import {emptyLockfile, lockfilePath, parseLockfile} from '../formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import {evaluateProject, introduced, type ProjectState, type Violation} from '../policy/evaluate.js'
import {listBundles, readTeamPolicy} from '../policy/store.js'
import type {Catalog} from '../registry/catalog.js'
import {count} from '../util/text.js'
import type {PacksContext} from '../core/context.js'
import {stateFromFiles} from '../policy/state.js'
import type {ProjectFiles} from '../workspace/history.js'

/** what runTransaction hands the gate; it returns what the audit entry adds (null: nothing to record) */
export type TxnGate = (t: {dir: string; before: ProjectFiles; after: ProjectFiles}) => Promise<string | null>

export interface GateOptions {
  /** enforce: hard breaches refuse; record: never refuse (rollback, undo) */
  mode: 'enforce' | 'record'
  /** the registries' word on versions (install/update have it loaded); the store index otherwise */
  catalog?: () => Promise<Catalog>
}

function stateOf(dir: string, files: ProjectFiles): ProjectState | null {
  if (files.toml === null && files.lock === null) return null
  const config = files.toml === null ? null : parseProjectToml(files.toml, projectFilePath(dir), basename(dir))
  const lock = files.lock === null ? emptyLockfile() : parseLockfile(files.lock, lockfilePath(dir))
  return stateFromFiles({path: dir, config: config as ProjectConfig | null, lock})
}

export {factsFor} from '../core/policy-facts.js'
import {factsFor} from '../core/policy-facts.js'

const where = (v: Violation) => `${v.source.kind === 'bundle' ? `bundle ${v.source.name}` : `policy ${v.source.name}`} (${v.enforcement})`

export const breachText = (v: Violation): string => `${where(v)}: rule ${v.rule}: ${v.message}`

function refusal(hard: Violation[]): PacksError {
  const first = hard[0]!
  const more = hard.length > 1 ? ` (and ${count(hard.length - 1, 'more breach', 'more breaches')}: ${hard.slice(1).map((v) => `${v.rule} ${v.package}`).join(', ')})` : ''
  const fix =
    first.source.kind === 'bundle'
      ? `Change the bundle (\`ggen packs bundle add ${first.source.name.split(', ')[0]} ${first.package}@RANGE\`, \`bundle show ${first.source.name.split(', ')[0]}\`) or the binding (\`[project] bundles\` in ggen.toml, the bundle's teams); both are audited. A hard bundle has no override flag.`
      : `Change the team policy ${first.source.name} (a waiver: [[policy.waivers]] package, rule, reason, expires) or pick another version; a hard policy has no override flag.`
  return new PacksError('E_POLICY', `refused by ${breachText(first)}${more}; nothing was written`, {hint: fix, details: {breaches: hard.map((v) => ({source: v.source, rule: v.rule, package: v.package, ...(v.version ? {version: v.version} : {})}))}})
}

/** the gate a transaction runs before it commits */
export function policyGate(ctx: PacksContext, o: GateOptions): TxnGate {
  return async ({dir, before, after}) => {
    const {bundles, problems} = await listBundles(ctx.paths)
    const policy = readTeamPolicy(ctx.paths)
    if (bundles.length === 0 && !policy) return null
    for (const p of problems) ctx.warn(`bundle file skipped: ${p.message}`)
    const facts = factsFor(ctx, o.catalog ? await o.catalog() : undefined)
    const next = stateOf(dir, after)
    if (!next) return null
    const prev = stateOf(dir, before)
    const evalOpts = {bundles, policy, facts}
    const added = introduced(prev ? evaluateProject(prev, evalOpts) : null, evaluateProject(next, evalOpts))
    if (added.length === 0) return null
    const hard = added.filter((v) => v.enforcement === 'hard')
    if (o.mode === 'enforce' && hard.length) throw refusal(hard)
    for (const v of added) ctx.warn(`policy breach: ${breachText(v)}`)
    return `policy breach${o.mode === 'record' ? ' (restored state)' : ''}: ${added.map(breachText).join('; ')}`
  }
}
