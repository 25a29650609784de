/**
 * Deprecation and yank records: what `packs deprecate` writes into a registry you do not own
 * (the local overlay `$GGEN_HOME/overlay/deprecations.json`), what `graph sync` shares through
 * Neo4j, and how a record applies on top of a registry's own word. A record names a package and
 * a range (`*` for every version), carries who and when, the message and the replacement; it
 * applies to every version the range satisfies. Records only ever add state (deprecated, yanked):
 * `--undo` removes the record.
 *
 * This module stays free of zod (the list hot path reads the overlay): shapes are checked with
 * checkShape.
 */
import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {isPacksError} from '../domain/errors.js'
import {readTextOrNull, writeFileAtomic, writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {checkFormat, checkShape, parseJsonText, shapeError} from '../formats/parse.js'
import type {RegistryPackage, RegistryVersion} from '../domain/schemas.js'
import {satisfies} from '../resolve/versions.js'
import type {HomePaths} from '../workspace/home.js'

export const DEPRECATIONS_FORMAT = 'ggen-packs-deprecations/1'
export const STATES_FORMAT = 'ggen-packs-version-states/1'

export type DeprecationKind = 'deprecate' | 'yank'

export interface DeprecationRecord {
  kind: DeprecationKind
  id: string
  /** semver range or exact version; `*` for every version */
  range: string
  message: string | null
  replacement: string | null
  /** audit user who recorded it */
  user: string
  /** ISO-8601 time */
  at: string
  /** machine that recorded it (team records from Neo4j carry theirs) */
  machine: string
}

/** what a version's deprecation state is made of (the registry index fields) */
export type VersionState = Pick<RegistryVersion, 'deprecated' | 'yanked' | 'replacement' | 'deprecated_by' | 'deprecated_at' | 'yanked_by' | 'yanked_at' | 'yanked_reason'>

const RECORD_SHAPE = {kind: 'string', id: 'string', range: 'string', message: 'string|null', replacement: 'string|null', user: 'string', at: 'string', machine: 'string'} as const
const HINT = 'This file is written by `ggen packs deprecate`; fix the field or remove the file to drop every local deprecation.'

export const sameTarget = (a: Pick<DeprecationRecord, 'kind' | 'id' | 'range'>, b: Pick<DeprecationRecord, 'kind' | 'id' | 'range'>): boolean => a.kind === b.kind && a.id === b.id && a.range === b.range

/** the records of a deprecations file's text; a broken file is E_PARSE / E_SCHEMA naming it */
export function parseRecords(text: string, file: string): DeprecationRecord[] {
  const raw = checkShape(parseJsonText(text, file), {format: 'string'}, file, '', HINT)
  checkFormat(raw, DEPRECATIONS_FORMAT, file, HINT)
  if (!Array.isArray(raw.records)) throw shapeError(file, 'records', 'an array', raw.records, HINT)
  return raw.records.map((r, i) => {
    const rec = checkShape(r, RECORD_SHAPE, file, `records[${i}]`, HINT)
    if (rec.kind !== 'deprecate' && rec.kind !== 'yank') throw shapeError(file, `records[${i}].kind`, '"deprecate" or "yank"', rec.kind, HINT)
    return rec as unknown as DeprecationRecord
  })
}

/** the local overlay's records; none when the file is missing */
export function readOverlay(paths: HomePaths): DeprecationRecord[] {
  const text = readTextOrNull(paths.deprecations)
  return text === null ? [] : parseRecords(text, paths.deprecations)
}

/** the team's records last fetched by `graph sync` (other machines' included); none before a sync */
export function readTeamOverlay(paths: HomePaths): DeprecationRecord[] {
  const text = readTextOrNull(paths.teamDeprecations)
  return text === null ? [] : parseRecords(text, paths.teamDeprecations)
}

/** every record that applies on this machine: its own, then the team's (a record seen twice counts once) */
export function effectiveRecords(paths: HomePaths): DeprecationRecord[] {
  const own = readOverlay(paths)
  const team = readTeamOverlay(paths).filter((t) => !own.some((o) => sameTarget(o, t) && o.machine === t.machine))
  return [...own, ...team]
}

const sortRecords = (rs: DeprecationRecord[]) =>
  [...rs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.range < b.range ? -1 : a.range > b.range ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))

export const writeRecordsFile = (file: string, records: DeprecationRecord[]): void => {
  mkdirSync(dirname(file), {recursive: true})
  writeJsonAtomic(file, {format: DEPRECATIONS_FORMAT, records: sortRecords(records)})
}

/** read-modify-write of the overlay under its lock; `edit` returns the new records */
export function updateOverlay<T>(paths: HomePaths, edit: (records: DeprecationRecord[]) => {records: DeprecationRecord[]; result: T}): Promise<T> {
  mkdirSync(dirname(paths.deprecations), {recursive: true})
  return withLock(paths.deprecationsLock, () => {
    const {records, result} = edit(readOverlay(paths))
    writeRecordsFile(paths.deprecations, records)
    return result
  })
}

/** a graph store that keeps every machine's records (the Neo4j store) */
export interface DeprecationStore {
  deprecations(): Promise<DeprecationRecord[]>
}

export const holdsDeprecations = (s: object): s is DeprecationStore => typeof (s as Partial<DeprecationStore>).deprecations === 'function'

/** the team graph's records (every machine's overlay); none on the memory backend */
export async function teamRecords(store: object): Promise<DeprecationRecord[]> {
  return holdsDeprecations(store) ? store.deprecations() : []
}

/** keep the team graph's records of the other machines in $GGEN_HOME/overlay/team-deprecations.json (this machine's readers apply them) */
export async function keepTeamRecords(paths: HomePaths, machine: string, store: DeprecationStore): Promise<DeprecationRecord[]> {
  const team = (await store.deprecations()).filter((r) => r.machine !== machine)
  const text = readTextOrNull(paths.teamDeprecations)
  if (text === null || JSON.stringify(parseRecords(text, paths.teamDeprecations)) !== JSON.stringify(sortRecords(team))) writeRecordsFile(paths.teamDeprecations, team)
  return team
}

/** a deprecation message with its replacement, as one line (list rows carry no replacement field) */
export const deprecationText = (message: string | null | undefined, replacement: string | null | undefined): string =>
  `${message || 'deprecated'}${replacement ? ` (use ${replacement} instead)` : ''}`

/** set (or, with `undo`, clear) what a record says on a version's state */
export function setState(v: VersionState, r: Pick<DeprecationRecord, 'kind' | 'message' | 'replacement' | 'user' | 'at'>, undo = false): void {
  const put = <K extends 'replacement' | 'deprecated_by' | 'deprecated_at' | 'yanked_by' | 'yanked_at' | 'yanked_reason'>(k: K, x: string | null | undefined) => {
    if (x === undefined || x === null) delete v[k]
    else v[k] = x
  }
  if (r.kind === 'deprecate') {
    v.deprecated = undo ? null : (r.message ?? 'deprecated')
    put('replacement', undo ? undefined : r.replacement)
    put('deprecated_by', undo ? undefined : r.user)
    put('deprecated_at', undo ? undefined : r.at)
  } else {
    v.yanked = !undo
    put('yanked_by', undo ? undefined : r.user)
    put('yanked_at', undo ? undefined : r.at)
    put('yanked_reason', undo ? undefined : r.message)
  }
}

/** who deprecated or yanked a version, when, why and what instead (only the fields that are set) */
/** who deprecated or yanked a version, when, and what to use instead (the RegistryVersion fields, spelled out for the JSON Schemas) */
export interface DeprecationDetails {
  replacement?: string
  deprecated_by?: string
  deprecated_at?: string
  yanked_by?: string
  yanked_at?: string
  yanked_reason?: string
}

const DETAIL_FIELDS = ['replacement', 'deprecated_by', 'deprecated_at', 'yanked_by', 'yanked_at', 'yanked_reason'] as const

export function deprecationDetails(v: RegistryVersion): DeprecationDetails {
  return Object.fromEntries(DETAIL_FIELDS.filter((f) => v[f] !== undefined).map((f) => [f, v[f]]))
}

/** the records that apply to one version */
export const recordsFor = (records: DeprecationRecord[], id: string, version: string): DeprecationRecord[] =>
  records.filter((r) => r.id === id && satisfies(version, r.range))

/**
 * Registry packages with the records applied: affected packages (and versions) are copies, the
 * registry's own objects stay untouched. A version is never un-deprecated by a record.
 */
export function applyToPackages(packages: Iterable<RegistryPackage>, records: DeprecationRecord[]): Map<string, RegistryPackage> {
  const out = new Map<string, RegistryPackage>()
  if (records.length === 0) return out
  const ids = new Set(records.map((r) => r.id))
  for (const p of packages) {
    if (!ids.has(p.id)) continue
    const versions: Record<string, RegistryVersion> = {}
    for (const [k, v] of Object.entries(p.versions)) {
      const rs = recordsFor(records, p.id, v.version)
      if (rs.length === 0) {
        versions[k] = v
        continue
      }
      const copy = {...v}
      for (const r of rs) setState(copy, r)
      versions[k] = copy
    }
    out.set(p.id, {...p, versions})
  }
  return out
}

/** a graph or list row's state: deprecated as one text (message and replacement), yanked */
export interface RowState {
  id: string
  version: string
  deprecated?: string | null
  yanked?: boolean
}

/** apply records to graph/list rows in place (deprecated text carries the replacement) */
export function applyToRows<T extends RowState>(rows: T[], records: DeprecationRecord[]): T[] {
  if (records.length === 0) return rows
  for (const row of rows) {
    for (const r of recordsFor(records, row.id, row.version)) {
      if (r.kind === 'deprecate') row.deprecated = deprecationText(r.message, r.replacement)
      else row.yanked = true
    }
  }
  return rows
}

/**
 * The registries' word on installed (and every deprecated or yanked) version, kept by each catalog
 * load in `$GGEN_HOME/cache/version-states.json` so the offline graph (list, the snapshot) shows a
 * deprecation made in a registry after the install. `key` is `id@version`.
 */
export type StateMap = Record<string, {deprecated: string | null; yanked: boolean}>

/**
 * `inputs`: what the states were computed from (the registries' and the store index's stamps);
 * statesAreOf tells whether the file holds the states of those very inputs.
 */
export function writeStates(paths: HomePaths, states: StateMap, inputs?: string): void {
  const keys = Object.keys(states).sort()
  const text = JSON.stringify({format: STATES_FORMAT, ...(inputs ? {inputs} : {}), states: Object.fromEntries(keys.map((k) => [k, states[k]]))})
  if (readTextOrNull(paths.versionStates) === text) return
  try {
    writeFileAtomic(paths.versionStates, text)
  } catch (error) {
    // a read-only $GGEN_HOME still answers (from the store's recorded states); an injected fault counts as a write step
    if (isPacksError(error) && error.code === 'E_INJECTED') throw error
  }
}

/** whether the cached states were computed from `inputs` (then a catalog load need not compute them again) */
export function statesAreOf(paths: HomePaths, inputs: string): boolean {
  try {
    const text = readTextOrNull(paths.versionStates)
    // the field is written before the states: no need to parse the whole file
    return text !== null && text.startsWith(JSON.stringify({format: STATES_FORMAT, inputs}).slice(0, -1) + ',')
  } catch {
    return false
  }
}

/** the cached states (a missing or damaged cache is none: it is only a cache) */
export function readStates(paths: HomePaths): StateMap {
  try {
    const raw = JSON.parse(readTextOrNull(paths.versionStates) ?? 'null') as {format?: string; states?: StateMap} | null
    return raw?.format === STATES_FORMAT && raw.states && typeof raw.states === 'object' ? raw.states : {}
  } catch {
    return {}
  }
}

/** rows get the cached registry state where it knows the version, then the records on top */
export function applyStatesAndRecords<T extends RowState>(rows: T[], states: StateMap, records: DeprecationRecord[]): T[] {
  for (const row of rows) {
    const s = states[`${row.id}@${row.version}`]
    if (s) {
      row.deprecated = s.deprecated
      row.yanked = s.yanked
    }
  }
  return applyToRows(rows, records)
}
