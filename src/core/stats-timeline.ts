/**
 * `packs stats --timeline`: what changed in the projects, period by period. The changes come
 * from the audit log (install, update and uninstall entries name each package `id from -> to`)
 * and, where the log lacks them (actions whose entries do not list the moves, such as rollback or
 * manifest apply, or a log that was rotated away), from the history generations (the lockfile
 * before and after each transaction). With one package, the version migration: how many projects
 * were on each version at the end of each period, replayed back from what they lock today.
 * Pure functions over entries, generations and snapshots (no IO).
 */
import type {AuditEntry} from '../domain/schemas.js'
import type {GraphSnapshot} from '../graph/model.js'
import {compareVersions} from '../resolve/versions.js'
import type {Generation} from '../workspace/history.js'

export type Period = 'day' | 'week' | 'month'
export const PERIODS: readonly Period[] = ['day', 'week', 'month']

export type ChangeKind = 'install' | 'update' | 'uninstall'

export interface TimelineEvent {
  at: string
  machine: string
  /** the project's path */
  project: string
  id: string
  /** null: newly installed */
  from: string | null
  /** null: uninstalled */
  to: string | null
  kind: ChangeKind
  /** the command that made the change (install, update, uninstall, rollback, manifest-apply, ...) */
  action: string
  /** audit: read from the log entry; history: from the generation's lockfiles (the entry does not list the moves) */
  source: 'audit' | 'history'
}

export interface VersionCount {
  version: string
  projects: number
}

export interface TimelinePeriod {
  /** the period's first instant (UTC midnight; weeks start on Monday) */
  start: string
  installs: number
  updates: number
  uninstalls: number
  /** with --package: projects on each version at the end of the period (by semver; versions with none left out) */
  versions?: VersionCount[]
}

export interface Timeline {
  since: string
  until: string
  by: Period
  /** with --package, the package */
  package: string | null
  periods: TimelinePeriod[]
  /** every change in the span, oldest first */
  events: TimelineEvent[]
  totals: {installs: number; updates: number; uninstalls: number}
}

const DAY = 86_400_000

/** the period a span is shown in when --by is not given: days up to a month, weeks up to half a year, then months */
export function defaultPeriod(sinceMs: number, untilMs: number): Period {
  const days = (untilMs - sinceMs) / DAY
  return days <= 31 ? 'day' : days <= 183 ? 'week' : 'month'
}

/** the first instant of the period holding `t` (UTC) */
export function periodStart(t: number, by: Period): number {
  const d = new Date(t)
  if (by === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  return by === 'day' ? day : day - ((d.getUTCDay() + 6) % 7) * DAY
}

function nextPeriod(t: number, by: Period): number {
  if (by === 'day') return t + DAY
  if (by === 'week') return t + 7 * DAY
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/** the starts of every period from the one holding `since` to the one holding `until` */
export function periodStarts(sinceMs: number, untilMs: number, by: Period): number[] {
  const out: number[] = []
  for (let t = periodStart(sinceMs, by); t <= untilMs; t = nextPeriod(t, by)) out.push(t)
  return out
}

const kindOf = (from: string | null, to: string | null): ChangeKind => (from === null ? 'install' : to === null ? 'uninstall' : 'update')

/** `install x: a - -> 1.0.0, b 1.0.0 -> 1.1.0[; policy breach: …]` (src/ops/install.ts describe): the moves; [] when the details list none */
export function movesInDetails(details: string): {id: string; from: string | null; to: string | null}[] {
  if (details.endsWith('(no change)')) return []
  const colon = details.indexOf(': ')
  if (colon < 0) return []
  const out: {id: string; from: string | null; to: string | null}[] = []
  // the transaction appends what it recorded after the moves: `; policy breach: …` (src/ops/policy-gate.ts)
  const moves = details.slice(colon + 2).split('; ')[0]!
  for (const part of moves.split(', ')) {
    const m = /^(\S+) (\S+) -> (\S+)$/.exec(part.trim())
    if (!m) return []
    const [, id, from, to] = m
    out.push({id: id!, from: from === '-' ? null : from!, to: to === '-' ? null : to!})
  }
  return out
}

/** a lockfile text's locked versions (id -> version); empty when absent or unreadable */
function lockedVersions(text: string | null): Map<string, string> {
  const out = new Map<string, string>()
  if (!text) return out
  try {
    const packs = (JSON.parse(text) as {packs?: Record<string, {version?: unknown}>}).packs ?? {}
    for (const [id, e] of Object.entries(packs)) if (typeof e?.version === 'string') out.set(id, e.version)
  } catch {
    // a generation whose lockfile is not JSON (a legacy one) tells nothing here
  }
  return out
}

/** what one generation changed in the lockfile, by id */
export function movesInGeneration(g: Generation): {id: string; from: string | null; to: string | null}[] {
  const before = lockedVersions(g.before.lock)
  const after = lockedVersions(g.after.lock)
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort()
  return ids.filter((id) => before.get(id) !== after.get(id)).map((id) => ({id, from: before.get(id) ?? null, to: after.get(id) ?? null}))
}

/** how long after a generation its transaction's audit entry may come (the entry is written right after it) */
const ENTRY_LAG_MS = 120_000

export interface EventSources {
  entries: AuditEntry[]
  /** this machine's generations (every project's history) */
  generations: Generation[]
  /** the machine the generations are from */
  machine: string
}

/**
 * Every change, oldest first: each successful audit entry that lists its moves, then each history
 * generation no such entry covers (same project and action, written just before it; the machine
 * is not compared: an entry records the machine name of its day, which GGEN_MACHINE may rename).
 */
export function collectEvents(src: EventSources): TimelineEvent[] {
  const events: TimelineEvent[] = []
  const covered: {project: string; action: string; at: number}[] = []
  for (const e of src.entries) {
    const project = e.environment.project
    if (e.result !== 'success' || !project) continue
    const moves = movesInDetails(e.details)
    if (moves.length === 0) continue
    covered.push({project, action: e.action, at: Date.parse(e.timestamp)})
    for (const m of moves) events.push({at: e.timestamp, machine: e.environment.machine, project, ...m, kind: kindOf(m.from, m.to), action: e.action, source: 'audit'})
  }
  for (const g of src.generations) {
    const at = Date.parse(g.at)
    if (covered.some((c) => c.project === g.project && c.action === g.action && c.at >= at && c.at - at <= ENTRY_LAG_MS)) continue
    for (const m of movesInGeneration(g)) events.push({at: g.at, machine: src.machine, project: g.project, ...m, kind: kindOf(m.from, m.to), action: g.action, source: 'history'})
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

/** projects in the migration: by path on one machine (its name may have changed), by machine and path in a team */
const projectKeyOf = (machine: string | null, path: string) => `${machine ?? ''}\0${path}`

/** each project's locked version of `id` today, keyed by machine and path */
function lockedNow(snapshots: GraphSnapshot[], id: string, team: boolean): Map<string, string> {
  const out = new Map<string, string>()
  for (const s of snapshots) for (const p of s.projects) for (const l of p.locks) if (l.id === id) out.set(projectKeyOf(team ? p.machine : null, p.path), l.version)
  return out
}

function countVersions(state: Map<string, string>): VersionCount[] {
  const n = new Map<string, number>()
  for (const v of state.values()) n.set(v, (n.get(v) ?? 0) + 1)
  return [...n].sort(([a], [b]) => compareVersions(a, b)).map(([version, projects]) => ({version, projects}))
}

/**
 * Projects per version at the end of each period: today's locks, with each period's changes
 * undone from the newest period back (a period's end state is the next one's start).
 */
function migration(periods: TimelinePeriod[], ends: number[], events: TimelineEvent[], now: Map<string, string>, team: boolean): void {
  const state = new Map(now)
  let k = events.length - 1
  for (let i = periods.length - 1; i >= 0; i--) {
    // events after this period's end belong to later periods: undo them first
    for (; k >= 0 && Date.parse(events[k]!.at) >= ends[i]!; k--) undo(state, events[k]!, team)
    periods[i]!.versions = countVersions(state)
  }
}

function undo(state: Map<string, string>, e: TimelineEvent, team: boolean): void {
  const key = projectKeyOf(team ? e.machine : null, e.project)
  if (e.from === null) state.delete(key)
  else state.set(key, e.from)
}

export interface TimelineOptions {
  sinceMs: number
  untilMs: number
  by?: Period
  /** one package: its changes only, and the version migration */
  package?: string
  /** team scope: projects are told apart by machine too */
  team?: boolean
}

/** the timeline of a span: changes per period (and with a package, its migration) */
export function buildTimeline(all: TimelineEvent[], snapshots: GraphSnapshot[], o: TimelineOptions): Timeline {
  const by = o.by ?? defaultPeriod(o.sinceMs, o.untilMs)
  const relevant = o.package ? all.filter((e) => e.id === o.package) : all
  const starts = periodStarts(o.sinceMs, o.untilMs, by)
  const periods: TimelinePeriod[] = starts.map((s) => ({start: new Date(s).toISOString(), installs: 0, updates: 0, uninstalls: 0}))
  const events = relevant.filter((e) => {
    const t = Date.parse(e.at)
    return t >= o.sinceMs && t <= o.untilMs
  })
  for (const e of events) {
    const t = Date.parse(e.at)
    let i = starts.length - 1
    while (i > 0 && starts[i]! > t) i--
    const p = periods[i]!
    if (e.kind === 'install') p.installs++
    else if (e.kind === 'update') p.updates++
    else p.uninstalls++
  }
  if (o.package) migration(periods, starts.map((s) => nextPeriod(s, by)), relevant, lockedNow(snapshots, o.package, !!o.team), !!o.team)
  const sum = (k: 'installs' | 'updates' | 'uninstalls') => periods.reduce((n, p) => n + p[k], 0)
  return {
    since: new Date(o.sinceMs).toISOString(),
    until: new Date(o.untilMs).toISOString(),
    by,
    package: o.package ?? null,
    periods,
    events,
    totals: {installs: sum('installs'), updates: sum('updates'), uninstalls: sum('uninstalls')},
  }
}
