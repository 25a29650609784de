/**
 * `packs deprecate ID[@RANGE] --message M [--replacement ID] [--yank] [--undo]`: mark versions
 * deprecated or yanked, or take the mark back.
 *
 * Where it goes: with `--registry DIR` naming a directory registry this machine can write (and
 * whose index is canonical), into that registry's index.json, atomically, under the registry
 * build lock (the same read-modify-write `registry build` does). Otherwise (an http registry, a
 * folder we cannot write, no --registry) into the local overlay `$GGEN_HOME/overlay/
 * deprecations.json`, which applies on top of every registry and which `graph sync` shares with
 * the team. Each mark carries the audit user, the time, the message and the replacement; each run
 * appends an audit entry (`deprecate`, `yank`, `deprecate-undo`, `yank-undo`), failures included.
 */
import {accessSync, constants} from 'node:fs'
import {join} from 'node:path'
import {appendAudit, currentUser} from '../audit/log.js'
import {loadCatalog, type PacksContext} from '../core/context.js'
import {isPacksError, PacksError} from '../domain/errors.js'
import {parsePackSpec, splitAt} from '../domain/spec.js'
import type {RegistryIndex, RegistryVersion} from '../domain/schemas.js'
import {readTextOrNull} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {BUILD_LOCK, readIndex, writeRegistryIndex} from '../registry/build.js'
import {Catalog} from '../registry/catalog.js'
import {sameTarget, setState, updateOverlay, writeStates, type DeprecationKind, type DeprecationRecord} from '../registry/deprecations.js'
import {parseRegistryLocation} from '../registry/source.js'
import {compareVersions, satisfies, validRange} from '../resolve/versions.js'
import {Store} from '../store/store.js'

export interface DeprecateOptions {
  /** `id` or `id@range` */
  spec: string
  yank?: boolean
  undo?: boolean
  message?: string
  replacement?: string
  /** the registry to write into (a writable directory registry); else the overlay */
  registry?: string
}

export interface DeprecateResult {
  action: 'deprecate' | 'yank' | 'deprecate-undo' | 'yank-undo'
  id: string
  range: string
  /** the versions the mark covers (newest first) */
  versions: string[]
  /** where it was written: the registry's index.json, or the local overlay */
  target: {kind: 'registry' | 'overlay'; file: string}
  /** why the overlay was used although --registry named a registry */
  note: string | null
  message: string | null
  replacement: string | null
  user: string
  at: string
}

const actionOf = (kind: DeprecationKind, undo: boolean): DeprecateResult['action'] => (undo ? `${kind}-undo` : kind)

/** a directory registry we may write: canonical index.json, folder and file writable; else why not */
function writableRegistry(url: string | undefined): {file: string; why: null} | {file: null; why: string | null} {
  if (!url) return {file: null, why: null}
  const loc = parseRegistryLocation(url)
  if (loc.kind !== 'dir') return {file: null, why: `${url} is an http registry (only its owner can change it)`}
  const file = join(loc.base, 'index.json')
  try {
    accessSync(loc.base, constants.W_OK)
    accessSync(file, constants.W_OK)
  } catch {
    return {file: null, why: `${file} is not writable by this user`}
  }
  const raw = readTextOrNull(file) ?? ''
  if (!raw.includes('"ggen-packs-registry/1"')) return {file: null, why: `${file} is a legacy index (rebuild it with \`ggen packs registry build\` to write into it)`}
  return {file, why: null}
}

function checkOptions(o: DeprecateOptions, kind: DeprecationKind): void {
  if (kind === 'deprecate' && !o.undo && !o.message?.trim()) {
    throw new PacksError('E_USAGE', 'deprecating needs a message: what should users do?', {field: '--message', hint: 'ggen packs deprecate io.x.web@<2 --message "use 2.x" --replacement io.x.web2'})
  }
  if (o.replacement && (o.undo || kind === 'yank')) throw new PacksError('E_USAGE', '--replacement goes with a deprecation, not with --yank or --undo', {field: '--replacement', hint: 'Drop --replacement.'})
}

function checkReplacement(catalog: Catalog, id: string, replacement: string | undefined): void {
  if (!replacement) return
  const {id: rid, rest} = splitAt(replacement)
  if (rid === id && !rest) throw new PacksError('E_USAGE', `--replacement ${replacement} names the package being deprecated`, {field: '--replacement', hint: `Name the package users should move to, or a range of this one (${id}@^2).`})
  if (!catalog.has(rid)) {
    const near = catalog.suggest(rid)
    throw new PacksError('E_NOT_FOUND', `--replacement: package \`${rid}\` is not in any configured registry`, {field: '--replacement', hint: near.length ? `Did you mean ${near.join(', ')}?` : 'Name a package `ggen packs search` finds.'})
  }
}

/** the versions of `id` in `range`, newest first; E_NOT_FOUND / E_VERSION_NOT_FOUND otherwise */
function matchingVersions(catalog: Catalog, id: string, range: string): string[] {
  if (!catalog.has(id)) {
    const near = catalog.suggest(id)
    throw new PacksError('E_NOT_FOUND', `package \`${id}\` is not in any configured registry`, {hint: near.length ? `Did you mean ${near.join(', ')}?` : `Search with \`ggen packs search ${id}\`.`})
  }
  const versions = catalog.versions(id).filter((v) => satisfies(v.version, range)).map((v) => v.version)
  if (versions.length === 0) {
    throw new PacksError('E_VERSION_NOT_FOUND', `no version of \`${id}\` matches ${range}`, {hint: `Available: ${catalog.versions(id).map((v) => v.version).join(', ')}`})
  }
  return versions
}

/** the mark written into the registry's index: every matching version of `id` there */
function writeRegistry(file: string, rec: DeprecationRecord, undo: boolean): Promise<string[]> {
  const dir = file.slice(0, -'index.json'.length)
  return withLock(join(dir, BUILD_LOCK), () => {
    const {index} = readIndex(file)
    const pkg = index.packages[rec.id]
    if (!pkg) throw new PacksError('E_NOT_FOUND', `package \`${rec.id}\` is not in the registry ${file}`, {file, field: `packages.${rec.id}`, hint: 'Drop --registry to record it in the local overlay instead.'})
    const hit = Object.values(pkg.versions).filter((v) => satisfies(v.version, rec.range) && (!undo || isMarked(v, rec.kind)))
    if (hit.length === 0) throw nothingTo(rec, undo, file)
    for (const v of hit) setState(v, rec, undo)
    stamp(index)
    writeRegistryIndex(file, index)
    return hit.map((v) => v.version).sort((a, b) => compareVersions(b, a))
  })
}

const stamp = (index: RegistryIndex) => (index.updated_at = new Date().toISOString())
const isMarked = (v: RegistryVersion, kind: DeprecationKind) => (kind === 'deprecate' ? !!v.deprecated : v.yanked)

function nothingTo(rec: DeprecationRecord, undo: boolean, file: string, others: DeprecationRecord[] = []): PacksError {
  const what = `${rec.id}@${rec.range}`
  if (!undo) return new PacksError('E_VERSION_NOT_FOUND', `no version of \`${rec.id}\` in ${file} matches ${rec.range}`, {file})
  const listed = others.map((r) => `${r.id}@${r.range}`)
  return new PacksError('E_NOT_FOUND', `nothing to undo: ${what} is not ${rec.kind === 'yank' ? 'yanked' : 'deprecated'} in ${file}`, {
    file,
    hint: listed.length ? `Recorded for ${rec.id}: ${listed.join(', ')} (undo names the same range).` : `See \`ggen packs info ${rec.id}\`.`,
  })
}

/** the mark recorded in (or removed from) the local overlay */
function writeOverlay(ctx: PacksContext, rec: DeprecationRecord, undo: boolean): Promise<void> {
  return updateOverlay(ctx.paths, (records) => {
    const rest = records.filter((r) => !sameTarget(r, rec))
    if (undo && rest.length === records.length) throw nothingTo(rec, true, ctx.paths.deprecations, records.filter((r) => r.id === rec.id && r.kind === rec.kind))
    return {records: undo ? rest : [...rest, rec], result: undefined}
  })
}

/** after a write, the offline graph's copy of the registries' word (list reads it) */
async function refreshStates(ctx: PacksContext): Promise<void> {
  const {effectiveRecords} = await import('../registry/deprecations.js')
  const cat = await Catalog.load(ctx.registries, {cacheDir: ctx.paths.registryCache, offline: ctx.offline, refresh: false, records: effectiveRecords(ctx.paths)})
  let installed: {id: string; version: string}[] = []
  try {
    installed = Object.values(new Store(ctx.paths).readIndex().entries)
  } catch {
    // an unreadable store index: list says so itself
  }
  writeStates(ctx.paths, cat.states(installed))
}

export async function deprecate(ctx: PacksContext, o: DeprecateOptions): Promise<DeprecateResult> {
  const kind: DeprecationKind = o.yank ? 'yank' : 'deprecate'
  const undo = o.undo ?? false
  const action = actionOf(kind, undo)
  const {id, range: asked} = parsePackSpec(o.spec, validRange, 'ggen packs deprecate io.x.web@<2 --message "use 2.x"')
  const range = asked ?? '*'
  const audit = (result: 'success' | 'failure', details: string, versions: string[] = []) =>
    appendAudit(ctx.paths, {action, details, affected_packages: versions.map((v) => `${id}@${v}`), result, project: null, machine: ctx.machine})
  try {
    checkOptions(o, kind)
    const catalog = await loadCatalog(ctx)
    const versions = matchingVersions(catalog, id, range)
    checkReplacement(catalog, id, o.replacement)
    const rec: DeprecationRecord = {kind, id, range, message: o.message?.trim() || null, replacement: o.replacement ?? null, user: currentUser(), at: new Date().toISOString(), machine: ctx.machine}
    const reg = writableRegistry(o.registry)
    let target: DeprecateResult['target']
    let covered = versions
    if (reg.file) {
      covered = await writeRegistry(reg.file, rec, undo)
      target = {kind: 'registry', file: reg.file}
    } else {
      await writeOverlay(ctx, rec, undo)
      target = {kind: 'overlay', file: ctx.paths.deprecations}
      if (reg.why) ctx.warn(`${reg.why}: recorded in the local overlay ${ctx.paths.deprecations} instead (\`graph sync\` shares it with the team)`)
    }
    await refreshStates(ctx)
    const said = [rec.message ? `"${rec.message}"` : '', rec.replacement ? `replacement ${rec.replacement}` : ''].filter(Boolean).join(', ')
    audit('success', `${undo ? 'undid ' : ''}${kind === 'yank' ? 'yank' : 'deprecation'} of ${id}@${range}${said && !undo ? ` (${said})` : ''} in the ${target.kind} ${target.file}`, covered)
    return {action, id, range, versions: covered, target, note: reg.why, message: rec.message, replacement: rec.replacement, user: rec.user, at: rec.at}
  } catch (error) {
    if (isPacksError(error) && error.code !== 'E_INTEGRITY') {
      try {
        audit('failure', `${action} ${id}@${range} refused: ${error.message}`)
      } catch {
        // the original error is what the user must see
      }
    }
    throw error
  }
}
