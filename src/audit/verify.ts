/**
 * `packs audit --verify`: is the audit log whole? Four witnesses, one rule each:
 *   - the chain: every line is an entry, unmodified, following the line before it;
 *   - the anchor ($GGEN_HOME/audit/anchor.json): the log holds the anchored head at the anchored
 *     position (more entries after it are an interrupted anchor write: accepted, repaired by the
 *     next append); a missing anchor over a non-empty log is a problem until adopted once with
 *     `--accept-anchor`;
 *   - every history generation's `audit_anchor` (the head before that transaction's entry);
 *   - the team copy in Neo4j for this machine (`--backend neo4j`), written by `packs graph sync`.
 * Only the first break is reported (lowest line; 0 = the log as a whole) plus a count of the
 * others. The witnesses are read before the log, so an append running meanwhile can only make
 * the log longer than what they recorded, never shorter.
 */
import {isPacksError} from '../domain/errors.js'
import {listAllGenerations} from '../workspace/history.js'
import type {HomePaths} from '../workspace/home.js'
import {acceptAnchor, readLogText} from './log.js'
import {anchorPath, AnchorPointSchema, readAnchor, type AnchorPoint, type AuditAnchor, type TeamAnchor} from './anchor.js'
import {chainProblems, entries, headOf, parseRecords, positionProblem, type AuditProblem, type AuditRecord} from './chain.js'

export type {TeamAnchor}

/** what the command read from the team graph (read before the log) */
export type TeamInput = {backend: 'memory'} | {backend: 'neo4j'; machine: string; anchor: TeamAnchor | null}

export interface TeamCheck {
  backend: 'memory' | 'neo4j'
  /** no-team-copy: the memory backend has none; none: Neo4j holds no anchor for this machine yet */
  status: 'no-team-copy' | 'none' | 'ok' | 'mismatch'
  machine?: string
  anchor?: TeamAnchor
  message: string
}

export interface AnchorReport {
  file: string
  count: number
  head: string
  seq: number | null
  status: 'ok' | 'behind' | 'mismatch' | 'unanchored'
  /** entries the log holds beyond the anchor (an interrupted anchor write) */
  behind: number
}

export interface AuditVerification {
  ok: boolean
  file: string
  /** entries (lines) in the log */
  entries: number
  /** the log's own last point */
  head: AnchorPoint & {seq: number | null}
  /** the anchor as read (null: missing or unreadable, reported in first_break / later_problems) */
  anchor: AnchorReport | null
  /** what is wrong with the anchor itself (missing, unreadable, not matching, unanchored entries); null when nothing */
  anchor_problem: string | null
  first_break: AuditProblem | null
  later_problems: number
  /** history generations whose recorded anchor was checked */
  generations_checked: number
  /** remarks that are not problems (an anchor behind after an interrupted write) */
  notes: string[]
  team?: TeamCheck
}

interface Witnesses {
  anchor: {value: AuditAnchor | null} | {error: string}
  generations: {source: string; point: unknown}[]
}

function readWitnesses(paths: HomePaths): Witnesses {
  let anchor: Witnesses['anchor']
  try {
    anchor = {value: readAnchor(paths)}
  } catch (error) {
    if (!isPacksError(error)) throw error
    anchor = {error: error.message}
  }
  const generations = listAllGenerations(paths)
    .filter((g) => g.audit_anchor)
    .map((g) => ({source: `history generation ${g.gen} of ${g.project}`, point: g.audit_anchor}))
  return {anchor, generations}
}

export function verifyAudit(paths: HomePaths, opts: {team?: TeamInput} = {}): AuditVerification {
  const w = readWitnesses(paths)
  const text = readLogText(paths)
  const records = parseRecords(text ?? '')
  const empty = text === null ? 'the log file is missing' : 'the log is empty'
  const problems = chainProblems(records)
  const notes: string[] = []
  const fromAnchor: AuditProblem[] = []
  const anchor = checkAnchor(paths, w.anchor, records, empty, fromAnchor, notes)
  problems.push(...fromAnchor)
  for (const g of w.generations) {
    const point = AnchorPointSchema.safeParse(g.point)
    const p = point.success ? positionProblem(records, point.data, g.source, empty) : {line: 0, message: `${g.source}: audit_anchor is malformed (${point.error.issues[0]?.message})`}
    if (p) problems.push(p)
  }
  const team = opts.team && checkTeam(opts.team, records, empty, problems)
  problems.sort((a, b) => a.line - b.line)
  return {
    ok: problems.length === 0,
    file: paths.audit,
    entries: records.length,
    head: headOf(records),
    anchor,
    anchor_problem: fromAnchor[0]?.message ?? null,
    first_break: problems[0] ?? null,
    later_problems: Math.max(0, problems.length - 1),
    generations_checked: w.generations.length,
    notes,
    ...(team ? {team} : {}),
  }
}

/**
 * `audit --accept-anchor`: adopt the log as it is when its anchor is missing, unreadable, does not
 * match, or marks unanchored entries (see acceptAnchor). Nothing is written when the anchor is fine.
 */
export function adoptLog(paths: HomePaths, machine: string): {accepted: boolean; message: string} {
  const v = verifyAudit(paths)
  if (v.anchor_problem === null) return {accepted: false, message: 'the anchor already matches the log: nothing to accept'}
  const a = acceptAnchor(paths, v.anchor_problem, machine)
  return {accepted: true, message: `accepted the audit log as it was (${v.anchor_problem}); anchored at ${entries(a.count)}, the acceptance recorded as the last`}
}

function checkAnchor(paths: HomePaths, read: Witnesses['anchor'], records: AuditRecord[], empty: string, problems: AuditProblem[], notes: string[]): AnchorReport | null {
  const file = anchorPath(paths)
  if ('error' in read) {
    problems.push({line: 0, message: `the anchor is unreadable: ${read.error}`})
    return null
  }
  const a = read.value
  if (!a) {
    if (records.length) problems.push({line: 0, message: `no anchor (${file}) while the log has ${entries(records.length)}: the anchor was deleted, or the log was written by a version before anchors`})
    return null
  }
  const report: AnchorReport = {file, count: a.count, head: a.head, seq: a.seq, status: 'ok', behind: 0}
  const p = positionProblem(records, a, 'the anchor', empty)
  if (p) {
    problems.push(p)
    report.status = 'mismatch'
  } else if (records.length > a.count) {
    report.status = 'behind'
    report.behind = records.length - a.count
    notes.push(`anchor behind by ${report.behind} (interrupted write), repaired on next append`)
  }
  if (a.unanchored) {
    problems.push({
      line: 0,
      message: `the anchor was missing when entry ${a.unanchored.before + 1} was appended (${a.unanchored.at}): the ${entries(a.unanchored.before)} before it were never anchored (the anchor was deleted, or the log was written by a version before anchors)`,
    })
    if (report.status === 'ok') report.status = 'unanchored'
  }
  return report
}

function checkTeam(team: TeamInput, records: AuditRecord[], empty: string, problems: AuditProblem[]): TeamCheck {
  if (team.backend === 'memory') {
    return {backend: 'memory', status: 'no-team-copy', message: 'memory backend: no team copy to compare with (the team copy is in Neo4j: --backend neo4j, after `ggen packs graph sync`)'}
  }
  const {machine, anchor} = team
  if (!anchor) return {backend: 'neo4j', status: 'none', machine, message: `Neo4j holds no audit anchor for machine ${machine} yet (\`ggen packs graph sync\` records it)`}
  const p = positionProblem(records, anchor, `the team copy in Neo4j (machine ${machine})`, empty)
  if (p) problems.push(p)
  return {
    backend: 'neo4j',
    status: p ? 'mismatch' : 'ok',
    machine,
    anchor,
    message: p ? `the local log does not hold the team copy's head: ${p.message}` : `the local log holds the team copy in Neo4j (machine ${machine}, ${entries(anchor.count)})`,
  }
}
