/**
 * What changes bundles ($GGEN_HOME/bundles/<id>.toml, src/policy/store.ts): create, add, remove,
 * delete, import, and `bundle apply NAME --project P` (bring a project in line through the install
 * transaction). Every change appends an audit entry (bundle-create, bundle-add, bundle-remove,
 * bundle-delete, import, bundle-apply); a refused one is audited with result failure.
 */
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {appendAudit, audited as auditedRun} from '../audit/log.js'
import type {PacksContext} from '../core/context.js'
import {PacksError} from '../domain/errors.js'
import {readTextOrNull, removeFile} from '../formats/fs.js'
import {counting, evaluateProject, type Violation} from '../policy/evaluate.js'
import {Bundle, type BundlePackage, type Enforcement} from '../policy/model.js'
import {stateFromFiles} from '../policy/state.js'
import {bundleFile, bundleFormatOf, checkBundleName, lockBundles, parseBundleText, readBundle, readTeamPolicy, updateBundle, writeBundle} from '../policy/store.js'
import {satisfies} from '../resolve/versions.js'
import {readOneProject} from '../core/analysis/graph.js'
import type {BundleValidation} from '../core/bundle-check.js'
import {install, parseSpec, type ChangeResult} from './install.js'
import {factsFor} from './policy-gate.js'

export interface BundleChange {
  bundle: Bundle
  file: string
}

/** `bundle delete`: which bundle went, and its file */
export interface BundleDeleted {
  bundle: string
  file: string
}

/** `bundle apply`: the check of every project, or the fix of one (--project) */
export type BundleApplyOutput = BundleValidation | BundleApplyResult

/** `bundle import`: the bundle stored, and whether it replaced one of the same name */
export interface BundleImported extends BundleChange {
  replaced: boolean
}

/** run a bundle change and audit it (success or failure), through the one audit helper */
const audited = <T>(ctx: PacksContext, action: string, details: string, affected: string[], fn: () => Promise<T>): Promise<T> => auditedRun(ctx, {action, affected}, fn, () => details)

export interface CreateOptions {
  description?: string
  enforcement?: Enforcement
  teams?: string[]
  maintainer?: string
  /** a TOML file with a [policy] table to embed */
  policyFile?: string
}

export async function createBundle(ctx: PacksContext, name: string, o: CreateOptions = {}): Promise<BundleChange> {
  const id = checkBundleName(name)
  return audited(ctx, 'bundle-create', `bundle create ${id}${o.enforcement ? ` (${o.enforcement})` : ''}${o.teams?.length ? ` for ${o.teams.join(', ')}` : ''}`, [], () =>
    lockBundles(ctx.paths, async () => {
      if (existsSync(bundleFile(ctx.paths, id))) throw new PacksError('E_USAGE', `a bundle named ${id} exists already (${bundleFile(ctx.paths, id)})`, {hint: `Change it with \`ggen packs bundle add ${id} ID@RANGE\`, or remove it first with \`ggen packs bundle delete ${id}\`.`})
      const policy = o.policyFile ? readTeamPolicy(ctx.paths, o.policyFile)!.rules : undefined
      const bundle = Bundle.parse({
        id,
        name: id,
        description: o.description ?? '',
        packages: [],
        enforcement: o.enforcement ?? 'soft',
        teams: [...new Set(o.teams ?? [])].sort(),
        created_at: new Date().toISOString(),
        maintainer: o.maintainer ?? '',
        ...(policy ? {policy} : {}),
      })
      return {bundle, file: await writeBundle(ctx.paths, bundle)}
    }),
  )
}

const byId = (a: {id: string}, b: {id: string}) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export async function addToBundle(ctx: PacksContext, name: string, specs: string[], o: {optional?: boolean; tier?: BundlePackage['tier']} = {}): Promise<BundleChange> {
  const parsed = specs.map(parseSpec)
  return audited(ctx, 'bundle-add', `bundle add ${name} ${specs.join(' ')}`, parsed.map((s) => s.id), () =>
    updateBundle(ctx.paths, name, (b) => {
      const keep = b.packages.filter((p) => !parsed.some((s) => s.id === p.id))
      const added = parsed.map((s) => ({id: s.id, version: s.range ?? '*', optional: o.optional ?? false, tier: o.tier ?? (o.optional ? 'optional' : 'required')}))
      return {...b, packages: [...keep, ...added].sort(byId), updated_at: new Date().toISOString()}
    }),
  )
}

export async function removeFromBundle(ctx: PacksContext, name: string, ids: string[]): Promise<BundleChange> {
  return audited(ctx, 'bundle-remove', `bundle remove ${name} ${ids.join(' ')}`, ids, () =>
    updateBundle(ctx.paths, name, (b) => {
      const missing = ids.filter((id) => !b.packages.some((p) => p.id === id))
      if (missing.length) throw new PacksError('E_NOT_FOUND', `bundle ${name} does not list ${missing.join(', ')}`, {hint: `It lists: ${b.packages.map((p) => p.id).join(', ') || 'nothing'} (ggen packs bundle show ${name}).`})
      return {...b, packages: b.packages.filter((p) => !ids.includes(p.id)), updated_at: new Date().toISOString()}
    }),
  )
}

export async function deleteBundle(ctx: PacksContext, name: string): Promise<BundleDeleted> {
  return audited(ctx, 'bundle-delete', `bundle delete ${name}`, [], () =>
    lockBundles(ctx.paths, async () => {
      await readBundle(ctx.paths, name) // unknown: E_NOT_FOUND with "did you mean"
      const file = bundleFile(ctx.paths, name)
      removeFile(file)
      return {bundle: name, file}
    }),
  )
}

/** `bundle import FILE [--force]`: a shared bundle file (TOML, JSON or YAML by extension) */
export async function importBundle(ctx: PacksContext, file: string, o: {force?: boolean} = {}): Promise<BundleImported> {
  return audited(ctx, 'import', `bundle import ${file}`, [], () =>
    lockBundles(ctx.paths, async () => {
      const text = readTextOrNull(file)
      if (text === null) throw new PacksError('E_NOT_FOUND', `no bundle file at ${file}`, {file, hint: 'Pass the path of a file written by `ggen packs bundle export`.'})
      const bundle = await parseBundleText(text, file)
      const target = bundleFile(ctx.paths, checkBundleName(bundle.id))
      const replaced = existsSync(target)
      if (replaced && !o.force) throw new PacksError('E_USAGE', `a bundle named ${bundle.id} exists already (${target})`, {hint: `Compare with \`ggen packs bundle show ${bundle.id}\`; replace it with \`ggen packs bundle import ${file} --force\`.`})
      // a TOML file is kept as written (its comments too); JSON and YAML are stored as TOML
      return {bundle, file: await writeBundle(ctx.paths, bundle, bundleFormatOf(file) === 'toml' ? text : undefined), replaced}
    }),
  )
}

export interface BundleApplyResult {
  bundle: string
  project: string
  dryRun: boolean
  /** the packages installed or moved into the bundle's range (id@range) */
  requested: string[]
  /** the install transaction's result (null: nothing to change) */
  change: ChangeResult | null
  /** what bundle apply cannot fix (unapproved packages are never removed; transitive versions outside a range) */
  unfixed: Violation[]
  /** the project's remaining violations of the bundle after the change (dry run: before) */
  remaining: Violation[]
}

/**
 * `bundle apply NAME --project P [--dry-run]`: add the bundle's required packages the project
 * lacks (at the bundle's range) and move direct requirements whose locked version is outside the
 * bundle's range to that range, through the install transaction (audited as bundle-apply, gated
 * like any install). Unapproved packages are reported, never removed; a transitive version
 * outside a range is reported with the package that brings it in to move.
 */
export async function applyBundle(ctx: PacksContext, name: string, projectDir: string, o: {dryRun?: boolean} = {}): Promise<BundleApplyResult> {
  const bundle = await readBundle(ctx.paths, name)
  const dir = resolve(projectDir)
  const facts = factsFor(ctx, null)
  const evaluate = async () => {
    const sp = await readOneProject(dir)
    if (sp.error && !sp.config) throw new PacksError(sp.error.code === 'E_NO_PROJECT' ? 'E_NO_PROJECT' : 'E_PARSE', sp.error.message, {file: sp.error.file, hint: sp.error.hint ?? 'Fix the file named above, then run again.'})
    const state = stateFromFiles(sp)
    return {state, violations: counting(evaluateProject({...state, bundles: [bundle.id]}, {bundles: [bundle], facts})).filter((v) => v.source.kind === 'bundle')}
  }
  const before = await evaluate()
  const direct = new Set(before.state.direct.map((d) => d.id))
  const requested: string[] = []
  for (const p of bundle.packages) {
    const missing = p.tier === 'required' && !p.optional && !direct.has(p.id)
    const lock = before.state.locks.find((l) => l.id === p.id)
    const outside = direct.has(p.id) && lock !== undefined && !satisfies(lock.version, p.version)
    if (missing || outside) requested.push(p.version === '*' ? p.id : `${p.id}@${p.version}`)
  }
  const fixable = (v: Violation) => v.rule === 'missing-required' || (v.rule === 'out-of-range' && direct.has(v.package))
  const run = () => install(ctx, dir, requested, {dryRun: o.dryRun, action: 'bundle-apply', verb: `bundle apply ${bundle.id}`})
  const change = requested.length ? await run() : null
  if (!change && !o.dryRun) appendAudit(ctx.paths, {action: 'bundle-apply', details: `bundle apply ${bundle.id}: nothing to install${before.violations.length ? ` (${before.violations.length} left to fix by hand)` : ''}`, affected_packages: [], result: 'success', project: dir, machine: ctx.machine, ...(before.state.team ? {team: before.state.team} : {})})
  const after = o.dryRun || !change ? before : await evaluate()
  return {bundle: bundle.id, project: dir, dryRun: !!o.dryRun, requested, change, unfixed: before.violations.filter((v) => !fixable(v)), remaining: after.violations}
}
