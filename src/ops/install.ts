/**
 * install / uninstall / update: one planner (requirements -> resolution -> fetch into the store
 * -> new ggen.toml + lockfile) run inside the transaction helper. `--dry-run` runs the same
 * planner without fetching or writing and reports before -> after.
 */
import {basename} from 'node:path'
import {loadCatalog, openStore, type PacksContext} from '../core/context.js'
import {deprecationText} from '../registry/deprecations.js'
import {PacksError} from '../domain/errors.js'
import type {LockEntry, Lockfile, ProjectConfig, RegistryVersion} from '../domain/schemas.js'
import {readAdvisoryDb} from '../advisories/db.js'
import {count} from '../util/text.js'
import {emptyLockfile, GGEN_VERSION, lockfilePath, parseLockfile, serializeLockfile} from '../formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import {editProjectToml} from '../formats/project-toml-edit.js'
import type {Catalog, CatalogPackage} from '../registry/catalog.js'
import {fetchTarball} from '../registry/source.js'
import {resolve as resolveDeps, type CandidateVersion} from '../resolve/resolver.js'
import {compareVersions, semver, validRange} from '../resolve/versions.js'
import {checkIntegrity, computeIntegrity, isValidIntegrity} from '../store/integrity.js'
import type {StorePin} from '../store/store.js'
import {checkPinned, lockedMismatch, offeredIntegrity, TrustGate} from './package-trust.js'
import {policyGate} from './policy-gate.js'
import {runTransaction, type TxnContext} from './transaction.js'
import {parsePackSpec} from '../domain/spec.js'
import {now as clock} from '../util/environment.js'

import type {ChangeResult, PackageChange} from '../domain/changes.js'
export type {ChangeResult, PackageChange} from '../domain/changes.js'

export type {PackSpec} from '../domain/spec.js'

export const parseSpec = (spec: string) => parsePackSpec(spec, validRange)

function readState(ctx: TxnContext): {cfg: ProjectConfig; lock: Lockfile; hadToml: boolean} {
  const tomlFile = projectFilePath(ctx.dir)
  const cfg = ctx.before.toml === null ? {project: {name: basename(ctx.dir)}, packs: {}, extra: {}} : parseProjectToml(ctx.before.toml, tomlFile, basename(ctx.dir))
  // a broken lockfile is an error naming it; it is never overwritten
  const lock = ctx.before.lock === null ? emptyLockfile() : parseLockfile(ctx.before.lock, lockfilePath(ctx.dir))
  return {cfg: cfg as ProjectConfig, lock, hadToml: ctx.before.toml !== null}
}

export function diffLocks(before: Lockfile, after: Lockfile): PackageChange[] {
  const ids = [...new Set([...Object.keys(before.packs), ...Object.keys(after.packs)])].sort()
  const out: PackageChange[] = []
  for (const id of ids) {
    const a = before.packs[id]?.version ?? null
    const b = after.packs[id]?.version ?? null
    if (a === b && before.packs[id]?.integrity === after.packs[id]?.integrity) continue
    const kind: PackageChange['kind'] = a === null ? 'added' : b === null ? 'removed' : a === b ? 'changed' : compareVersions(b, a) > 0 ? 'upgraded' : 'downgraded'
    out.push({id, from: a, to: b, kind})
  }
  return out
}

interface PlanOptions {
  /** mutate the direct requirements */
  edit: (cfg: ProjectConfig, catalog: Catalog) => void
  /** ids whose locked versions are not preferred */
  unlock?: Set<string> | 'all'
  /** only compute; no downloads, no writes */
  dryRun: boolean
  /** receives the store pin of this change (released by the caller once the lockfile is written) */
  pins?: StorePin[]
  /** after resolution: turn provisional requirements into final ones (install's `^chosen`) */
  finalize?: (cfg: ProjectConfig, chosen: (id: string) => string | undefined) => void
  /** ggen.toml must be rewritten even if requirements look equal (never: keep user bytes) */
}

async function planChange(ctx: PacksContext, txn: TxnContext, o: PlanOptions) {
  const {cfg, lock, hadToml} = readState(txn)
  const catalog = await loadCatalog(ctx)
  const beforeReqs = JSON.stringify(cfg.packs)
  o.edit(cfg, catalog)

  const source = {
    versions(id: string): CandidateVersion[] | undefined {
      const p = catalog.get(id)
      if (!p) return undefined
      return Object.values(p.versions).map((v) => ({version: v.version, dependencies: v.dependencies, yanked: v.yanked}))
    },
  }
  const locked: Record<string, string> = {}
  for (const [id, e] of Object.entries(lock.packs)) locked[id] = e.version
  const roots: Record<string, string> = {}
  const optionalRoots = new Set<string>()
  for (const [id, r] of Object.entries(cfg.packs)) {
    roots[id] = r.version
    if (r.optional) optionalRoots.add(id)
  }
  ctx.progress.step('Resolving dependencies')
  const resolution = resolveDeps(source, {
    roots,
    optionalRoots,
    locked: o.unlock === 'all' ? {} : locked,
    unlock: o.unlock === 'all' ? undefined : o.unlock,
    rootName: cfg.project.name,
  })
  ctx.progress.stop()
  o.finalize?.(cfg, (id) => resolution.packages[id]?.version)
  const reqsChanged = JSON.stringify(cfg.packs) !== beforeReqs

  const store = openStore(ctx)
  const storeIndex = store.readIndex()
  const gate = new TrustGate(ctx, !o.dryRun)
  const lockFile = lockfilePath(txn.dir)
  const now = clock().toISOString()
  const packs: Record<string, LockEntry> = {}
  let fetched = 0
  let reused = 0
  const ids = Object.keys(resolution.packages)
  // the integrity each resolved version will be locked with: a locked id@version keeps its own
  const chosen = new Map<string, {pkg: CatalogPackage; v: RegistryVersion; integrity: string; pinned: boolean}>()
  for (const id of ids) {
    const pkg = catalog.get(id)!
    const v = pkg.versions[resolution.packages[id]!.version]!
    const prev = lock.packs[id]
    if (prev && prev.version === v.version && isValidIntegrity(prev.integrity)) {
      checkPinned(id, v.version, prev.integrity, v.integrity, pkg.registry.location.url, lockFile)
      chosen.set(id, {pkg, v, integrity: prev.integrity, pinned: true})
    } else if (!o.dryRun) {
      chosen.set(id, {pkg, v, integrity: offeredIntegrity(pkg, v), pinned: false})
    } else {
      chosen.set(id, {pkg, v, integrity: v.integrity ?? '', pinned: false})
    }
  }
  if (!o.dryRun) {
    for (const {pkg, v} of chosen.values()) await gate.check(pkg, v)
    const pin = await store.pin([...chosen.values()].map((c) => c.integrity))
    o.pins?.push(pin)
  }
  let i = 0
  for (const id of ids) {
    i++
    const r = resolution.packages[id]!
    const {pkg, v, integrity, pinned} = chosen.get(id)!
    const prev = lock.packs[id]
    if (!o.dryRun) {
      const damaged = store.has(integrity) ? store.verifyEntry(integrity) : null
      if (damaged !== null && damaged.length === 0) {
        reused++
        if (!storeIndex.entries[integrity]) await store.adopt(integrity, storeMeta(pkg, v))
      } else {
        if (!v.tarball) {
          throw new PacksError('E_REGISTRY', `${id}@${v.version} has no tarball in registry ${pkg.registry.location.url}`, {
            hint: 'This registry entry cannot be installed (legacy index without downloads?). Use a registry built with `ggen packs registry build`.',
          })
        }
        if (damaged?.length) ctx.warn(`${id}@${v.version}: the store copy is damaged (${damaged[0]}); fetching it again`)
        ctx.progress.step(`Fetching ${id}@${v.version}`, i, ids.length)
        const data = await fetchTarball(pkg.registry.location, v.tarball, ctx.offline)
        // a locked integrity is authoritative: bytes that do not match it are refused
        if (pinned) {
          try {
            checkIntegrity(data, integrity, `${id}@${v.version}`)
          } catch {
            throw lockedMismatch(id, v.version, integrity, computeIntegrity(data), pkg.registry.location.url, lockFile)
          }
        }
        await store.add(data, integrity, storeMeta(pkg, v), {replace: damaged !== null})
        fetched++
      }
    }
    const entry: LockEntry = {
      version: v.version,
      source: {type: 'Registry', url: pkg.registry.location.url},
      integrity: integrity || (prev?.integrity ?? ''),
      installed_at: prev && prev.version === v.version && prev.integrity === integrity ? prev.installed_at : now,
      dependencies: Object.keys(r.dependencies).filter((d) => resolution.packages[d]).sort(),
      requires: {...r.dependencies},
    }
    packs[id] = entry
  }
  ctx.progress.stop()
  if (v_deprecations(resolution, catalog).length) for (const m of v_deprecations(resolution, catalog)) ctx.warn(m)
  for (const m of advisoryWarnings(ctx, lock, resolution)) ctx.warn(m)

  const newLock: Lockfile = {...lock, packs, ggen_version: GGEN_VERSION}
  const changes = diffLocks(lock, newLock)
  const lockUnchanged = changes.length === 0 && JSON.stringify(lock.packs) === JSON.stringify(packs)
  if (!lockUnchanged) newLock.updated_at = now
  const after = {
    toml: reqsChanged || !hadToml ? editProjectToml(txn.before.toml, cfg, projectFilePath(txn.dir)) : txn.before.toml,
    lock: lockUnchanged && txn.before.lock !== null ? txn.before.lock : serializeLockfile(newLock),
  }
  const requirements = Object.fromEntries(Object.entries(cfg.packs).map(([k, r]) => [k, r.version]))
  return {after, changes, requirements, fetched, reused}
}

/** what the store index records about a version (list/stats read it instead of the registry) */
export function storeMeta(pkg: CatalogPackage, v: RegistryVersion) {
  return {
    id: pkg.id,
    version: v.version,
    name: pkg.name,
    description: pkg.description,
    author: pkg.author,
    license: v.license ?? pkg.license,
    quality_score: v.quality_score,
    production_ready: v.production_ready,
    deprecated: v.deprecated ?? null,
    yanked: v.yanked,
  }
}

/** the versions this install adds or moves to that the local advisory database knows to be vulnerable (issue 11) */
function advisoryWarnings(ctx: PacksContext, lock: Lockfile, resolution: ReturnType<typeof resolveDeps>): string[] {
  let db
  try {
    db = readAdvisoryDb(ctx.paths)
  } catch {
    return [] // a damaged database: the scan reports it
  }
  if (!db) return []
  const out: string[] = []
  for (const r of Object.values(resolution.packages)) {
    if (lock.packs[r.id]?.version === r.version) continue
    const vulns = db.affecting(r.id, r.version)
    if (vulns.length) out.push(`${r.id}@${r.version} has ${count(vulns.length, 'known vulnerability', 'known vulnerabilities')}: ${vulns.map((v) => `${v.id} (${v.severity})`).join(', ')}; see \`ggen packs security-scan\``)
  }
  return out
}

function v_deprecations(resolution: ReturnType<typeof resolveDeps>, catalog: Catalog): string[] {
  const out: string[] = []
  for (const r of Object.values(resolution.packages)) {
    const v = catalog.version(r.id, r.version)
    if (v?.deprecated) out.push(`${r.id}@${r.version} is deprecated: ${deprecationText(v.deprecated, v.replacement)}`)
  }
  return out
}

async function run(ctx: PacksContext, projectDir: string, action: string, details: (c: PackageChange[]) => string, o: PlanOptions): Promise<ChangeResult> {
  if (o.dryRun) {
    const {readCommittedFiles} = await import('../formats/journal.js')
    const {resolve} = await import('node:path')
    const dir = (await import('../workspace/project-dir.js')).requireProjectDir(resolve(projectDir))
    const before = readCommittedFiles(dir)
    const p = await planChange(ctx, {dir, before}, o)
    // a dry run says what the gate would say (a hard breach refuses here too)
    await enforce(ctx)({dir, before, after: p.after})
    return {project: dir, changes: p.changes, requirements: p.requirements, dryRun: true, fetched: 0, reused: 0}
  }
  const pins: StorePin[] = []
  try {
    return await runTransaction(ctx.paths, projectDir, {action, machine: ctx.machine, gate: enforce(ctx), onWait: () => ctx.progress.step('Waiting for another ggen packs command on this project')}, async (txn) => {
      const p = await planChange(ctx, txn, {...o, pins})
      return {
        after: p.after,
        details: details(p.changes),
        affected: p.changes.map((c) => c.id),
        result: {project: txn.dir, changes: p.changes, requirements: p.requirements, dryRun: false, fetched: p.fetched, reused: p.reused},
      }
    })
  } finally {
    // the lockfile is written (or nothing is): gc may see the entries through it from now on
    for (const pin of pins) pin.release()
  }
}

/** the policy gate of install/update/bundle apply: the registries' word on each version */
const enforce = (ctx: PacksContext) => policyGate(ctx, {mode: 'enforce', catalog: () => loadCatalog(ctx)})

const describe = (verb: string, changes: PackageChange[]) =>
  changes.length === 0 ? `${verb}: nothing changed` : `${verb}: ${changes.map((c) => `${c.id} ${c.from ?? '-'} -> ${c.to ?? '-'}`).join(', ')}`

export async function install(ctx: PacksContext, projectDir: string, specs: string[], opts: {dryRun?: boolean; optional?: boolean; tier?: 'required' | 'recommended' | 'optional'; exact?: boolean; action?: string; verb?: string} = {}): Promise<ChangeResult> {
  const parsed = specs.map(parseSpec)
  // ids given without a range: resolved against `*` first, then recorded as ^chosen, so the newest
  // version that resolves with the rest is picked (not the newest one, which may not resolve)
  const floating = new Map<string, string>()
  return run(ctx, projectDir, opts.action ?? 'install', (c) => describe(`${opts.verb ?? 'install'} ${specs.join(' ')}`, c), {
    dryRun: !!opts.dryRun,
    unlock: new Set(parsed.filter((s) => s.range).map((s) => s.id)),
    finalize(cfg, chosen) {
      for (const [id, latest] of floating) {
        const v = chosen(id)
        if (!v || !cfg.packs[id]) continue
        cfg.packs[id]!.version = opts.exact ? v : `^${v}`
        if (v !== latest) ctx.warn(`${id} ${latest} (the newest) cannot be installed with the rest of this project; installed ${v}, the newest that resolves (see \`ggen packs resolve ${id}\`)`)
      }
    },
    edit(cfg, catalog) {
      for (const s of parsed) {
        const pkg = catalog.get(s.id)
        if (!pkg) {
          const near = catalog.suggest(s.id)
          throw new PacksError('E_NOT_FOUND', `package \`${s.id}\` is not in any configured registry`, {
            hint: near.length ? `Did you mean ${near.map((n) => `\`${n}\``).join(', ')}? (ggen packs search ${s.id})` : `Search with \`ggen packs search ${s.id}\`.`,
          })
        }
        let range = s.range
        if (range === undefined) {
          const existing = cfg.packs[s.id]
          if (existing) continue
          const latest = catalog.latest(s.id)
          if (!latest) throw new PacksError('E_VERSION_NOT_FOUND', `package \`${s.id}\` has no installable version (all yanked)`, {hint: `See \`ggen packs info ${s.id}\`.`})
          const plain = semver.valid(latest.version) !== null && semver.prerelease(latest.version) === null
          range = plain ? '*' : latest.version
          if (plain) floating.set(s.id, latest.version)
        } else if (!Object.values(pkg.versions).some((v) => semverOk(v.version, range!))) {
          const have = Object.keys(pkg.versions).sort((a, b) => compareVersions(b, a))
          throw new PacksError('E_VERSION_NOT_FOUND', `no version of \`${s.id}\` matches ${range}; available: ${have.join(', ')}`, {hint: `Try \`ggen packs install ${s.id}@${have[0]}\`.`})
        }
        cfg.packs[s.id] = {...cfg.packs[s.id], version: range, optional: opts.optional ?? cfg.packs[s.id]?.optional ?? false, tier: opts.tier ?? cfg.packs[s.id]?.tier ?? 'required'}
      }
    },
  })
}

function semverOk(v: string, range: string): boolean {
  return v === range || (semver.valid(v) !== null && semver.satisfies(v, range, {includePrerelease: /-/.test(range)}))
}

/**
 * Remove direct requirements and prune what nothing needs any more. Works from the lockfile alone
 * (no registry needed): remaining locked versions stay exactly as they were.
 */
export async function uninstall(ctx: PacksContext, projectDir: string, ids: string[]): Promise<ChangeResult> {
  return runTransaction(ctx.paths, projectDir, {action: 'uninstall', machine: ctx.machine, gate: policyGate(ctx, {mode: 'enforce'})}, async (txn) => {
    const {cfg, lock} = readState(txn)
    for (const id of ids) {
      if (!cfg.packs[id]) {
        const direct = Object.keys(cfg.packs)
        throw new PacksError('E_NOT_FOUND', `\`${id}\` is not a direct dependency of ${cfg.project.name} (${projectFilePath(txn.dir)})`, {
          hint: direct.length ? `Direct dependencies: ${direct.join(', ')}. To see why a package is present: ggen packs why ${id}` : 'This project has no packs.',
        })
      }
      delete cfg.packs[id]
    }
    const keep = new Set<string>()
    const stack = Object.keys(cfg.packs).filter((id) => lock.packs[id])
    while (stack.length) {
      const id = stack.pop()!
      if (keep.has(id)) continue
      keep.add(id)
      for (const d of lock.packs[id]?.dependencies ?? []) if (lock.packs[d]) stack.push(d)
    }
    const packs = Object.fromEntries(Object.entries(lock.packs).filter(([id]) => keep.has(id)))
    const newLock: Lockfile = {...lock, packs, updated_at: clock().toISOString(), ggen_version: GGEN_VERSION}
    const changes = diffLocks(lock, newLock)
    return {
      after: {toml: editProjectToml(txn.before.toml, cfg, projectFilePath(txn.dir)), lock: serializeLockfile(newLock)},
      details: describe(`uninstall ${ids.join(' ')}`, changes),
      affected: changes.map((c) => c.id),
      result: {project: txn.dir, changes, requirements: Object.fromEntries(Object.entries(cfg.packs).map(([k, r]) => [k, r.version])), dryRun: false, fetched: 0, reused: 0},
    }
  })
}

/**
 * Newest versions the ranges allow (every range in the project still satisfied). `latest`
 * moves direct requirements to ^newest (rewrites ggen.toml). `to` pins one package's version
 * (the impact preview: `update <id> --to <v> --dry-run`).
 */
export async function update(ctx: PacksContext, projectDir: string, ids: string[], opts: {dryRun?: boolean; latest?: boolean; to?: string} = {}): Promise<ChangeResult> {
  return run(ctx, projectDir, 'update', (c) => describe(`update ${ids.join(' ') || '(all)'}`, c), {
    dryRun: !!opts.dryRun,
    unlock: ids.length ? new Set(ids) : 'all',
    edit(cfg, catalog) {
      const lockedIds = ids.length ? ids : Object.keys(cfg.packs)
      for (const id of ids) {
        if (!catalog.has(id)) throw new PacksError('E_NOT_FOUND', `package \`${id}\` is not in any configured registry`, {hint: 'Check the id with `ggen packs list --project .`.'})
      }
      if (opts.to) {
        if (ids.length !== 1) throw new PacksError('E_USAGE', '--to needs exactly one package id', {hint: 'ggen packs update io.x.util --to 2.0.0 --dry-run'})
        const id = ids[0]!
        if (!catalog.version(id, opts.to)) {
          throw new PacksError('E_VERSION_NOT_FOUND', `\`${id}\` has no version ${opts.to}`, {hint: `Available: ${catalog.versions(id).map((v) => v.version).join(', ')}`})
        }
        if (cfg.packs[id]) cfg.packs[id] = {...cfg.packs[id]!, version: opts.to}
        else cfg.packs[id] = {version: opts.to, optional: false, tier: 'required'}
        return
      }
      if (opts.latest) {
        for (const id of lockedIds) {
          const r = cfg.packs[id]
          if (!r) continue
          const latest = catalog.latest(id)
          if (latest) r.version = semver.valid(latest.version) ? `^${latest.version}` : latest.version
        }
      }
    },
  })
}
