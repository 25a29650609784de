/**
 * The team copy of this machine's audit anchor, kept in Neo4j (on the machine's :Machine node).
 * `packs graph sync` moves it forward, only when the local log verifies and extends it, so a
 * truncated or rewritten log never lowers it; `packs audit --verify --backend neo4j` checks the
 * local log against it. The memory backend has no team copy.
 */
import type {AnchorPoint, TeamAnchor} from '../audit/anchor.js'
import {entries, entryHash, parseEntry} from '../audit/chain.js'
import {readRecords} from '../audit/log.js'
import {filterAudit, type AuditQuery, type AuditResult} from '../audit/query.js'
import type {AuditEntry} from '../domain/schemas.js'
import {verifyAudit, type TeamInput} from '../audit/verify.js'
import type {StoreCapabilities} from '../graph/graph-store.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import type {PacksContext} from './context.js'

/** what a graph store with the `auditAnchors` capability offers (the Neo4j store) */
export interface TeamAnchorStore {
  auditAnchor(machine: string): Promise<TeamAnchor | null>
  /** false when the stored copy is further along (it is never lowered) */
  writeAuditAnchor(machine: string, point: AnchorPoint): Promise<boolean>
  /** the team audit trail (src/graph/neo4j: AuditEntry nodes) */
  auditTrailHead(machine: string): Promise<{seq: number; hash: string} | null>
  auditTrail(q?: {machine?: string; team?: string}): Promise<{machine: string; seq: number; json: string}[]>
  appendAuditTrail(machine: string, rows: TrailRow[]): Promise<number>
}

export interface TrailRow {
  seq: number
  hash: string
  prev_hash: string
  timestamp: string
  action: string
  user: string
  result: string
  project: string | null
  team: string | null
  json: string
}

export const holdsTeamAnchors = (s: {capabilities?: StoreCapabilities}): s is TeamAnchorStore & {capabilities: StoreCapabilities} => s.capabilities?.auditAnchors === true

/** the team copy for `audit --verify`: read from Neo4j when that backend is chosen */
export async function readTeamAnchor(ctx: PacksContext, backend?: string): Promise<TeamInput> {
  const store = await openGraphStore(chooseBackend(backend, ctx.config, ctx.env), ctx)
  try {
    if (!holdsTeamAnchors(store)) return {backend: 'memory'}
    return {backend: 'neo4j', machine: ctx.machine, anchor: await store.auditAnchor(ctx.machine)}
  } finally {
    await store.close()
  }
}

export interface AuditAnchorSync {
  /** written: the team copy now names the local head; kept: left as it was (see message) */
  status: 'written' | 'kept'
  machine: string
  /** the team copy after the sync */
  anchor: AnchorPoint | null
  message: string
  /** entries appended to the team trail by this sync */
  trail?: {pushed: number}
}

/**
 * After the anchor moved: append the entries the team trail lacks (those after its last seq of
 * this machine). A trail whose last entry is not this log's entry at that seq is left alone.
 */
async function pushTrail(ctx: PacksContext, store: TeamAnchorStore): Promise<number | string> {
  const head = await store.auditTrailHead(ctx.machine)
  const records = readRecords(ctx.paths).filter((r) => r.entry)
  if (head) {
    const mine = records.find((r) => r.entry!.seq === head.seq)
    if (!mine || mine.entry!.hash !== head.hash) return `the team trail of ${ctx.machine} ends at seq ${head.seq} with another entry than this log's (another machine synced under the same name?); trail not extended`
  }
  const rows: TrailRow[] = records
    .filter((r) => !head || r.entry!.seq > head.seq)
    .map((r) => {
      const e = r.entry!
      return {seq: e.seq, hash: e.hash, prev_hash: e.prev_hash, timestamp: e.timestamp, action: e.action, user: e.user, result: e.result, project: e.environment.project, team: e.team ?? null, json: r.text}
    })
  return store.appendAuditTrail(ctx.machine, rows)
}

/** `graph sync`: move the team copy to the local head when the local log verifies against it */
export async function syncAuditAnchor(ctx: PacksContext, store: TeamAnchorStore): Promise<AuditAnchorSync> {
  const machine = ctx.machine
  const before = await store.auditAnchor(machine)
  const v = verifyAudit(ctx.paths, {team: {backend: 'neo4j', machine, anchor: before}})
  const kept = (why: string): AuditAnchorSync => ({
    status: 'kept',
    machine,
    anchor: before,
    message: `team audit anchor of ${machine} kept ${before ? `at ${entries(before.count)}` : '(none yet)'}: ${why}`,
  })
  if (!v.ok) return kept(`the local audit log does not verify (line ${v.first_break!.line}: ${v.first_break!.message}); see \`ggen packs audit --verify --backend neo4j\``)
  const point = {count: v.head.count, head: v.head.head}
  if (!(await store.writeAuditAnchor(machine, point))) return kept('Neo4j holds a later anchor for this machine (another sync of the same machine name?)')
  const pushed = await pushTrail(ctx, store)
  if (typeof pushed === 'string') return {status: 'written', machine, anchor: point, message: `team audit anchor of ${machine}: ${entries(point.count)}; ${pushed}`}
  return {status: 'written', machine, anchor: point, message: `team audit anchor of ${machine}: ${entries(point.count)}, ${pushed} new in the team trail`, trail: {pushed}}
}

/**
 * `audit --backend neo4j`: the team's trail (every machine's synced entries), filtered as the
 * local log is, each machine's chain re-checked from the entries' own text (hash and prev_hash).
 */
export async function queryTeamAudit(ctx: PacksContext, q: AuditQuery = {}): Promise<AuditResult> {
  const store = await openGraphStore('neo4j', ctx)
  try {
    if (!holdsTeamAnchors(store)) throw new Error('the neo4j store keeps no audit trail')
    const rows = await store.auditTrail({machine: q.machine, team: q.team})
    const broken: {line: number; message: string}[] = []
    const all: AuditEntry[] = []
    const last = new Map<string, AuditEntry>()
    rows.forEach((r, i) => {
      const e = parseEntry(r.json)
      if (!e) return void broken.push({line: i + 1, message: `${r.machine} seq ${r.seq}: not an audit entry`})
      const {hash, ...rest} = e
      if (entryHash(rest) !== hash) broken.push({line: i + 1, message: `${r.machine} seq ${r.seq}: its hash does not match its content (edited in the team graph?)`})
      const prev = last.get(r.machine)
      if (prev && !q.team && (e.seq !== prev.seq + 1 || e.prev_hash !== prev.hash)) broken.push({line: i + 1, message: `${r.machine} seq ${r.seq}: does not follow seq ${prev.seq} (an entry is missing or out of order)`})
      last.set(r.machine, e)
      all.push(e)
    })
    all.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0))
    return {entries: filterAudit(all, q), total: all.length, chain: {ok: broken.length === 0, broken}}
  } finally {
    await store.close()
  }
}
