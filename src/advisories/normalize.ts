/**
 * Validated OSV records -> the database's vulnerabilities: the affected entries of our ecosystem
 * (package names are gpack ids; `pkg:generic/<id>` purls too), one record per id (the newest
 * `modified` wins), withdrawn records dropped, and records that name each other through ids and
 * `aliases` merged into one vulnerability.
 *
 * The primary id of a merged vulnerability is stable: the smallest (by code point) id of a record
 * we hold that is not a CVE (a GHSA, GGEN, OSV... id), else the smallest CVE; every other id of
 * the group, records' ids and aliases alike, is an alias.
 */
import type {AdvisoryRef, Severity} from '../domain/scan.js'
import {SEVERITY_ORDER} from '../domain/scan.js'
import type {NormalAffected, NormalEvent, NormalRange} from './match.js'
import type {OsvAffected, OsvRecord} from './osv.js'
import {severityOf, type SeverityInfo} from './severity.js'

/** one vulnerability of the database: the scan's AdvisoryRef plus what it affects */
export interface Vulnerability extends AdvisoryRef {
  affected: NormalAffected[]
}

export interface NormalRecord {
  id: string
  aliases: string[]
  modified: string
  published?: string
  withdrawn?: string
  summary: string
  sev: SeverityInfo
  references: string[]
  affected: NormalAffected[]
}

const SUMMARY_MAX = 200

/** `pkg:generic/<id>[@version][?qualifiers][#subpath]` -> id (percent-decoded); null for any other purl */
export function genericPurlName(purl: string): string | null {
  const m = /^pkg:generic\/([^@?#]+)/i.exec(purl)
  if (!m) return null
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return null
  }
}

/** the gpack id an affected entry names in `ecosystem` (the part before `:` compares), else null */
function packageOf(a: OsvAffected, ecosystem: string): string | null {
  const p = a.package
  if (!p) return null
  if (p.ecosystem.split(':')[0] === ecosystem) return p.name
  return p.purl ? genericPurlName(p.purl) : null
}

function normalEvents(events: Record<string, unknown>[]): NormalEvent[] {
  return events.map((e) => {
    for (const k of ['introduced', 'fixed', 'last_affected', 'limit'] as const) if (typeof e[k] === 'string') return {[k]: e[k]} as NormalEvent
    throw new Error('unreachable: events are validated')
  })
}

function normalAffected(r: OsvRecord, ecosystem: string): NormalAffected[] {
  const out: NormalAffected[] = []
  for (const a of r.affected ?? []) {
    const pkg = packageOf(a, ecosystem)
    if (pkg === null) continue
    const ranges: NormalRange[] = (a.ranges ?? []).filter((x) => x.type !== 'GIT').map((x) => ({type: x.type as NormalRange['type'], events: normalEvents(x.events)}))
    out.push({package: pkg, ranges, versions: a.versions ?? []})
  }
  return out
}

function summaryOf(r: OsvRecord): string {
  const s = r.summary?.trim() || r.details?.trim().split('\n')[0]?.trim() || ''
  return s.length > SUMMARY_MAX ? `${s.slice(0, SUMMARY_MAX - 1)}…` : s
}

/** reference URLs, ADVISORY ones first (order otherwise kept) */
function referencesOf(r: OsvRecord): string[] {
  const refs = r.references ?? []
  return [...new Set([...refs.filter((x) => x.type === 'ADVISORY'), ...refs.filter((x) => x.type !== 'ADVISORY')].map((x) => x.url))]
}

export function normalizeRecord(r: OsvRecord, ecosystem: string): NormalRecord {
  return {
    id: r.id,
    aliases: [...new Set(r.aliases ?? [])].filter((a) => a !== r.id),
    modified: r.modified,
    ...(r.published ? {published: r.published} : {}),
    ...(r.withdrawn ? {withdrawn: r.withdrawn} : {}),
    summary: summaryOf(r),
    sev: severityOf(r),
    references: referencesOf(r),
    affected: normalAffected(r, ecosystem),
  }
}

const time = (s: string): number => Date.parse(s)

/** one record per id: the newest `modified` wins (a tie keeps the first read) */
export function newestById(records: NormalRecord[]): {records: NormalRecord[]; duplicates: number} {
  const byId = new Map<string, NormalRecord>()
  for (const r of records) {
    const prev = byId.get(r.id)
    if (!prev || time(r.modified) > time(prev.modified)) byId.set(r.id, r)
  }
  return {records: [...byId.values()], duplicates: records.length - byId.size}
}

/** groups of records connected through their ids and aliases (union-find) */
function aliasGroups(records: NormalRecord[]): NormalRecord[][] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!
    parent.set(x, root)
    return root
  }
  const union = (a: string, b: string) => {
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }
  for (const r of records) {
    if (!parent.has(r.id)) parent.set(r.id, r.id)
    for (const a of r.aliases) {
      if (!parent.has(a)) parent.set(a, a)
      union(r.id, a)
    }
  }
  const groups = new Map<string, NormalRecord[]>()
  for (const r of records) {
    const root = find(r.id)
    groups.set(root, [...(groups.get(root) ?? []), r])
  }
  return [...groups.values()]
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const isCve = (id: string) => id.toUpperCase().startsWith('CVE-')

/** the group's primary id: the smallest non-CVE record id, else the smallest record id */
export function primaryId(recordIds: string[]): string {
  const sorted = [...recordIds].sort(cmp)
  return sorted.find((id) => !isCve(id)) ?? sorted[0]!
}

/** a known rating beats `unknown`; among known ones, the highest */
const sevRank = (s: Severity): number => (s === 'unknown' ? -1 : SEVERITY_ORDER.indexOf(s))

function mergeGroup(group: NormalRecord[]): Vulnerability {
  const ids = group.map((r) => r.id)
  const id = primaryId(ids)
  const primary = group.find((r) => r.id === id)!
  const aliases = [...new Set(group.flatMap((r) => [r.id, ...r.aliases]))].filter((x) => x !== id).sort(cmp)
  const worst = [...group].sort((a, b) => sevRank(b.sev.severity) - sevRank(a.sev.severity) || (b.sev.score ?? -1) - (a.sev.score ?? -1))[0]!.sev
  const published = group.map((r) => r.published).filter((p): p is string => !!p).sort()[0]
  return {
    id,
    aliases,
    summary: primary.summary || group.map((r) => r.summary).find(Boolean) || '',
    severity: worst.severity,
    ...(worst.score !== undefined ? {score: worst.score} : {}),
    ...(worst.vector ? {vector: worst.vector} : {}),
    ...(published ? {published} : {}),
    modified: group.map((r) => r.modified).sort((a, b) => time(b) - time(a))[0]!,
    references: [...new Set([primary, ...group.filter((r) => r !== primary)].flatMap((r) => r.references))],
    affected: group.flatMap((r) => r.affected),
  }
}

export interface BuildStats {
  withdrawn: number
  duplicates: number
  other_ecosystems: number
}

/** every normalized record -> the database's vulnerabilities (by id) */
export function buildVulnerabilities(all: NormalRecord[]): {vulnerabilities: Vulnerability[]; records: number; stats: BuildStats} {
  const {records: unique, duplicates} = newestById(all)
  const live = unique.filter((r) => !r.withdrawn)
  const ours = live.filter((r) => r.affected.length > 0)
  const vulnerabilities = aliasGroups(ours).map(mergeGroup).sort((a, b) => cmp(a.id, b.id))
  return {vulnerabilities, records: ours.length, stats: {withdrawn: unique.length - live.length, duplicates, other_ecosystems: live.length - ours.length}}
}
