/**
 * The team copy of this machine's audit anchor, kept in Neo4j (on the machine's :Machine node).
 * `packs graph sync` moves it forward, only when the local log verifies and extends it, so a
 * truncated or rewritten log never lowers it; `packs audit --verify --backend neo4j` checks the
 * local log against it. The memory backend has no team copy.
 */
import type {AnchorPoint, TeamAnchor} from '../audit/anchor.js'
import {entries} from '../audit/chain.js'
import {verifyAudit, type TeamInput} from '../audit/verify.js'
import type {StoreCapabilities} from '../graph/graph-store.js'
import {chooseBackend, openGraphStore} from '../graph/open.js'
import type {PacksContext} from './context.js'

/** what a graph store with the `auditAnchors` capability offers (the Neo4j store) */
export interface TeamAnchorStore {
  auditAnchor(machine: string): Promise<TeamAnchor | null>
  /** false when the stored copy is further along (it is never lowered) */
  writeAuditAnchor(machine: string, point: AnchorPoint): Promise<boolean>
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
  return {status: 'written', machine, anchor: point, message: `team audit anchor of ${machine}: ${entries(point.count)}`}
}
