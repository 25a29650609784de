/**
 * `packs manifest apply <FILE>`: make a project's lockfile and store match a locked manifest
 * exactly, through the install transaction (project lock, journal, atomic writes, history
 * generation, audit entry). No resolution: the manifest names exact versions + integrities.
 *
 * Order (everything that can refuse comes before the first write):
 *   read + validate the manifest (every entry pinned)            -> E_MANIFEST naming the field
 *   under the project lock: every entry's version exists in the registry, its integrity and
 *   signature agree, the manifest is closed under dependencies   -> E_VERSION_NOT_FOUND / E_INTEGRITY / E_MANIFEST
 *   download what the store lacks into memory, verify each tarball against the manifest
 *   add them to the store; write ggen.toml ([packs] = the manifest's direct packages, every other
 *   table kept) and .ggen/packs.lock (exactly the manifest's entries)
 */
import {basename, resolve} from 'node:path'
import {loadCatalog, type PacksContext} from '../core/context.js'
import {readManifestFile} from '../core/manifest.js'
import {PacksError} from '../domain/errors.js'
import type {LockEntry, Lockfile, Manifest, PackRequirement, ProjectConfig} from '../domain/schemas.js'
import {stableStringify} from '../formats/fs.js'
import {emptyLockfile, GGEN_VERSION, lockfilePath, parseLockfile, serializeLockfile} from '../formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import {editProjectToml} from '../formats/project-toml-edit.js'
import {satisfies} from '../resolve/versions.js'
import {diffLocks, type ChangeResult} from './install.js'
import {catalogEntry, commitStoreEntries, prepareStoreEntries, type WantedEntry} from './manifest-fetch.js'
import {policyGate} from './policy-gate.js'
import {runTransaction, type TxnContext} from './transaction.js'
import type {StorePin} from '../store/store.js'
import {readCommittedFiles} from '../formats/journal.js'
import {requireProjectDir} from '../workspace/project-dir.js'
import type {ProjectFiles} from '../workspace/history.js'
import {now as clock} from '../util/environment.js'

export interface ApplyManifestOptions {
  manifestFile: string
  projectDir: string
  /** check everything, write nothing */
  dryRun?: boolean
  /** also tag the project with the manifest's environment ([project] environment) */
  setEnvironment?: boolean
}

export interface ApplyManifestResult extends ChangeResult {
  manifest: string
  environment: string
  /** whether ggen.toml was (or would be) rewritten */
  toml_changed: boolean
  changed: boolean
}

interface ApplyPlan {
  after: ProjectFiles
  changes: ReturnType<typeof diffLocks>
  requirements: Record<string, string>
  fetched: number
  reused: number
  tomlChanged: boolean
}

async function planApply(ctx: PacksContext, txn: TxnContext, m: Manifest, file: string, o: ApplyManifestOptions & {pins?: StorePin[]}): Promise<ApplyPlan> {
  const tomlFile = projectFilePath(txn.dir)
  const cfg: ProjectConfig = txn.before.toml === null ? {project: {name: basename(txn.dir)}, packs: {}, extra: {}} : parseProjectToml(txn.before.toml, tomlFile, basename(txn.dir))
  let lock: Lockfile = emptyLockfile()
  if (txn.before.lock !== null) {
    try {
      lock = parseLockfile(txn.before.lock, lockfilePath(txn.dir))
    } catch (error) {
      // the manifest replaces the lockfile wholesale; the damaged bytes stay in the history generation
      ctx.warn(`${(error as Error).message.split('\n')[0]}: replacing it with the manifest's entries (the old bytes are kept in the history generation)`)
    }
  }

  const catalog = await loadCatalog(ctx)
  const byId = new Map(m.packages.map((p, i) => [p.id, {p, i}]))
  const wanted: WantedEntry[] = m.packages.map((p, i) => ({id: p.id, version: p.version!, integrity: p.integrity!, file, field: `packages[${i}]`}))
  // registry checks (versions exist, integrities and signatures agree), then the dependency closure,
  // then downloads into memory verified against the manifest: nothing is written before all pass
  const looked = wanted.map((w) => ({want: w, ...catalogEntry(ctx, catalog, w)}))
  for (const e of looked) {
    for (const [dep, range] of Object.entries(e.version.dependencies)) {
      const q = byId.get(dep)
      if (!q) {
        throw new PacksError('E_MANIFEST', `${file}: field \`${e.want.field}\`: ${e.want.id}@${e.want.version} depends on ${dep} ${range}, which the manifest does not include`, {
          file,
          field: e.want.field,
          hint: `Add the missing transitive dependencies: ggen packs manifest lock ${file} (or regenerate the manifest). Nothing was written.`,
        })
      }
      if (!satisfies(q.p.version!, range)) {
        throw new PacksError('E_MANIFEST', `${file}: field \`packages[${q.i}].version\`: ${dep} ${q.p.version} does not satisfy ${range}, required by ${e.want.id}@${e.want.version}`, {
          file,
          field: `packages[${q.i}].version`,
          hint: 'The manifest is not a consistent set of versions; regenerate it from a working project. Nothing was written.',
        })
      }
    }
    if (e.version.yanked) ctx.warn(`${e.want.id}@${e.want.version} is yanked in the registry (installed anyway: the manifest pins it)`)
    if (e.version.deprecated) ctx.warn(`${e.want.id}@${e.want.version} is deprecated: ${e.version.deprecated}`)
  }
  const prepared = await prepareStoreEntries(ctx, catalog, wanted, {dryRun: o.dryRun, pins: o.pins})

  const fetched = o.dryRun ? prepared.entries.length - prepared.reused : await commitStoreEntries(ctx, prepared.entries)

  const now = clock().toISOString()
  const packs: Record<string, LockEntry> = {}
  for (const e of [...prepared.entries].sort((a, b) => (a.want.id < b.want.id ? -1 : 1))) {
    const prev = lock.packs[e.want.id]
    packs[e.want.id] = {
      version: e.want.version,
      source: {type: 'Registry', url: e.pkg.registry.location.url},
      integrity: e.want.integrity,
      installed_at: prev && prev.version === e.want.version && prev.integrity === e.want.integrity ? prev.installed_at : now,
      dependencies: Object.keys(e.version.dependencies).filter((d) => byId.has(d)).sort(),
      requires: {...e.version.dependencies},
    }
  }
  const newLock: Lockfile = {...lock, packs, ggen_version: GGEN_VERSION}
  const changes = diffLocks(lock, newLock)
  const lockSame = txn.before.lock !== null && stableStringify(lock.packs) === stableStringify(packs)
  if (!lockSame) newLock.updated_at = now

  const beforePacks = stableStringify(cfg.packs)
  const beforeEnv = cfg.project.environment
  const direct: Record<string, PackRequirement> = {}
  for (const p of m.packages) {
    if (p.transitive) continue
    const prev = cfg.packs[p.id]
    direct[p.id] = {version: p.required_version, optional: p.optional, tier: p.tier, ...(prev?.env ? {env: prev.env} : {})}
  }
  cfg.packs = direct
  if (o.setEnvironment) cfg.project.environment = m.environment
  const tomlChanged = txn.before.toml === null || stableStringify(cfg.packs) !== beforePacks || cfg.project.environment !== beforeEnv
  return {
    after: {toml: tomlChanged ? editProjectToml(txn.before.toml, cfg, tomlFile) : txn.before.toml, lock: lockSame ? txn.before.lock : serializeLockfile(newLock)},
    changes,
    requirements: Object.fromEntries(Object.entries(cfg.packs).map(([k, r]) => [k, r.version])),
    fetched,
    reused: prepared.reused,
    tomlChanged,
  }
}

export async function applyManifest(ctx: PacksContext, o: ApplyManifestOptions): Promise<ApplyManifestResult> {
  const file = resolve(o.manifestFile)
  const m = await readManifestFile(file, {requireLocked: true})
  const dir = resolve(o.projectDir)
  const describe = (p: ApplyPlan) =>
    `manifest apply ${basename(file)} (${m.environment}): ${p.changes.length === 0 ? 'nothing changed' : p.changes.map((c) => `${c.id} ${c.from ?? '-'} -> ${c.to ?? '-'}`).join(', ')}`
  if (o.dryRun) {
    const before = readCommittedFiles(requireProjectDir(dir))
    const p = await planApply(ctx, {dir, before}, m, file, o)
    const changed = p.after.toml !== before.toml || p.after.lock !== before.lock
    return {project: dir, manifest: file, environment: m.environment, changes: p.changes, requirements: p.requirements, dryRun: true, fetched: p.fetched, reused: p.reused, toml_changed: p.tomlChanged, changed, generation: null}
  }
  const pins: StorePin[] = []
  try {
    return await runTransaction(ctx.paths, dir, {action: 'manifest-apply', machine: ctx.machine, gate: policyGate(ctx, {mode: 'enforce'}), onWait: () => ctx.progress.step('Waiting for another ggen packs command on this project')}, async (txn) => {
      const p = await planApply(ctx, txn, m, file, {...o, pins})
      return {
        after: p.after,
        details: describe(p),
        affected: p.changes.map((c) => c.id),
        result: {project: txn.dir, manifest: file, environment: m.environment, changes: p.changes, requirements: p.requirements, dryRun: false, fetched: p.fetched, reused: p.reused, toml_changed: p.tomlChanged},
      }
    })
  } finally {
    for (const pin of pins) pin.release()
  }
}
