/**
 * `packs verify --manifest FILE`: a project (or every project tagged with an environment) against
 * an environment manifest. Every difference is listed:
 *   missing        the manifest names it, the lockfile does not (optional entries may be absent)
 *   extra          the lockfile has it, the manifest does not
 *   version        another version is locked (direction: the project's is newer / older)
 *   integrity      same version, different bytes (republished or tampered)
 *   store-missing  locked as the manifest says, but the store has no such entry (gc'd?)
 *   store-corrupt  the store entry's files changed since they were added
 *   unreadable     (environment mode) a tagged project whose files cannot be read
 *   interrupted    an operation was killed mid-way and its journal is pending: the files may show
 *                  its uncommitted new state; the next command that takes the project lock (any
 *                  mutation, or `packs rollback --list`) restores the old state
 * Unlocked manifest entries (a range, no version) are satisfied by any version in the range.
 */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {isPacksError, PacksError} from '../domain/errors.js'
import type {Lockfile, Manifest} from '../domain/schemas.js'
import {lockfilePath} from '../formats/lockfile.js'
import {compareVersions, satisfies} from '../resolve/versions.js'
import {isValidIntegrity} from '../store/integrity.js'
import {readProjectState, scanWorkspace} from '../workspace/projects.js'
import {openStore, type PacksContext} from './context.js'
import {readManifestFile} from './manifest.js'

/** a crash left a journal: the project files may hold an uncommitted state */
function interrupted(dir: string): ManifestDifference[] {
  const jf = join(dir, '.ggen', 'txn.json') // ops/transaction.ts journalPath (not imported: core stays below ops)
  return existsSync(jf)
    ? [{kind: 'interrupted', id: '', expected: null, actual: null, message: `an interrupted operation left ${jf}; the files may hold its uncommitted state (run \`ggen packs rollback --list --project ${dir}\` to recover, then verify again)`}]
    : []
}

export type ManifestDifferenceKind = 'missing' | 'extra' | 'version' | 'integrity' | 'store-missing' | 'store-corrupt' | 'unreadable' | 'interrupted'

export interface ManifestDifference {
  kind: ManifestDifferenceKind
  /** package id ('' for `unreadable`) */
  id: string
  /** what the manifest says (version, or range for unlocked entries) */
  expected: string | null
  /** what the project has */
  actual: string | null
  /** for `version`: the project's version relative to the manifest's */
  direction?: 'newer' | 'older'
  expected_integrity?: string | null
  actual_integrity?: string | null
  /** set in environment mode */
  project?: string
  message: string
}

export interface ManifestVerifyResult {
  ok: boolean
  manifest: string
  /** the manifest's environment */
  environment: string
  project: string
  /** the project's `[project] environment` tag, if any */
  project_environment: string | null
  /** manifest entries checked */
  checked: number
  differences: ManifestDifference[]
}

export interface EnvironmentVerifyResult {
  ok: boolean
  manifest: string
  /** the manifest's environment */
  environment: string
  /** the environment tag the projects were selected by */
  env: string
  projects: ManifestVerifyResult[]
  /** every project's differences, each naming its project */
  differences: ManifestDifference[]
}

export interface VerifyOptions {
  /** also check the store entries the manifest needs (default true) */
  checkStore?: boolean
}

/** compare a lockfile (null: none) with a manifest; pure except the store checks */
export function diffLockAgainstManifest(ctx: PacksContext, m: Manifest, lock: Lockfile | null, o: VerifyOptions = {}): ManifestDifference[] {
  const packs = lock?.packs ?? {}
  const store = o.checkStore === false ? null : openStore(ctx)
  const out: ManifestDifference[] = []
  const want = new Map(m.packages.map((p) => [p.id, p]))
  for (const p of [...m.packages].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const e = packs[p.id]
    const expected = p.version ?? p.required_version
    if (!e) {
      if (!p.optional) out.push({kind: 'missing', id: p.id, expected, actual: null, message: `${p.id} ${expected} is in the manifest but not installed`})
      continue
    }
    const versionOk = p.version !== undefined ? e.version === p.version : satisfies(e.version, p.required_version)
    if (!versionOk) {
      const direction = p.version !== undefined ? (compareVersions(e.version, p.version) > 0 ? 'newer' : 'older') : undefined
      out.push({
        kind: 'version',
        id: p.id,
        expected,
        actual: e.version,
        ...(direction ? {direction} : {}),
        message: `${p.id}: ${e.version} installed, the manifest ${p.version !== undefined ? `says ${p.version}` : `requires ${p.required_version}`}${direction ? ` (installed is ${direction})` : ''}`,
      })
      continue
    }
    if (p.integrity !== undefined && e.integrity !== p.integrity) {
      out.push({
        kind: 'integrity',
        id: p.id,
        expected,
        actual: e.version,
        expected_integrity: p.integrity,
        actual_integrity: e.integrity,
        message: `${p.id}@${e.version}: integrity differs (manifest ${p.integrity}, lockfile ${e.integrity})`,
      })
      continue
    }
    if (store && isValidIntegrity(e.integrity)) {
      if (!store.has(e.integrity)) {
        out.push({kind: 'store-missing', id: p.id, expected, actual: e.version, expected_integrity: e.integrity, message: `${p.id}@${e.version} is locked but missing from the store (${store.entryDir(e.integrity)})`})
      } else {
        const problems = store.verifyEntry(e.integrity)
        if (problems.length) out.push({kind: 'store-corrupt', id: p.id, expected, actual: e.version, expected_integrity: e.integrity, message: `${p.id}@${e.version}: ${problems.join('; ')}`})
      }
    }
  }
  for (const id of Object.keys(packs).sort()) {
    if (!want.has(id)) out.push({kind: 'extra', id, expected: null, actual: packs[id]!.version, message: `${id} ${packs[id]!.version} is installed but not in the manifest`})
  }
  return out
}

export async function verifyAgainstManifest(ctx: PacksContext, o: {manifestFile: string; projectDir: string} & VerifyOptions): Promise<ManifestVerifyResult> {
  const file = resolve(o.manifestFile)
  const m = await readManifestFile(file)
  const dir = resolve(o.projectDir)
  const {config, lock} = readProjectState(dir)
  if (config === null && lock === null) {
    throw new PacksError('E_NO_PROJECT', `${dir} is not a ggen project (no ggen.toml, no ${lockfilePath(dir)})`, {hint: 'Pass the project with --project DIR.'})
  }
  const differences = [...interrupted(dir), ...diffLockAgainstManifest(ctx, m, lock, o)]
  return {ok: differences.length === 0, manifest: file, environment: m.environment, project: dir, project_environment: config?.project.environment ?? null, checked: m.packages.length, differences}
}

export async function verifyEnvironment(ctx: PacksContext, o: {env: string; manifestFile: string; roots?: string[]} & VerifyOptions): Promise<EnvironmentVerifyResult> {
  const file = resolve(o.manifestFile)
  const m = await readManifestFile(file)
  const scan = scanWorkspace(ctx.paths, o.roots ?? [])
  const tagged = scan.projects.filter((p) => p.config?.project.environment === o.env)
  for (const p of scan.projects) if (!p.config && p.error && p.error.code !== 'E_NO_PROJECT') ctx.warn(`${p.path}: ${p.error.message} (cannot tell its environment; skipped)`)
  if (tagged.length === 0) {
    const envs = [...new Set(scan.projects.map((p) => p.config?.project.environment).filter((e): e is string => !!e))].sort()
    throw new PacksError('E_NOT_FOUND', `no known project is tagged with environment \`${o.env}\` (${scan.projects.length} project(s) known)`, {
      hint: `${envs.length ? `Environments in use: ${envs.join(', ')}. ` : ''}Tag projects in ggen.toml ([project] environment = "${o.env}"), or add --root DIR to find more projects.`,
    })
  }
  const projects: ManifestVerifyResult[] = []
  for (const p of tagged) {
    let differences: ManifestDifference[]
    if (p.error) {
      differences = [{kind: 'unreadable', id: '', expected: null, actual: null, message: `${p.error.file ?? p.path}: ${p.error.message}`}]
    } else {
      try {
        differences = [...interrupted(p.path), ...diffLockAgainstManifest(ctx, m, p.lock, o)]
      } catch (error) {
        if (!isPacksError(error)) throw error
        differences = [{kind: 'unreadable', id: '', expected: null, actual: null, message: error.message}]
      }
    }
    projects.push({ok: differences.length === 0, manifest: file, environment: m.environment, project: p.path, project_environment: o.env, checked: m.packages.length, differences: differences.map((d) => ({...d, project: p.path}))})
  }
  const differences = projects.flatMap((p) => p.differences)
  return {ok: differences.length === 0, manifest: file, environment: m.environment, env: o.env, projects, differences}
}
