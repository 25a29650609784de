/**
 * The audit anchor: $GGEN_HOME/audit/anchor.json, kept outside the log. It names how many entries
 * the log holds and the hash (and seq) of the last one, and is rewritten (atomically, under the
 * audit lock) right after every append. A log shorter than its anchor was truncated; a log whose
 * entry at the anchored position has another hash was rewritten.
 *
 * The same point (count + head) is recorded in every history generation and, by `packs graph
 * sync`, in the team Neo4j, so a log rewritten together with its anchor is still caught there.
 */
import {dirname, join} from 'node:path'
import {z} from 'zod'
import {isPacksError, PacksError} from '../domain/errors.js'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {parseJsonText, validate} from '../formats/parse.js'
import type {HomePaths} from '../workspace/home.js'

export const GENESIS = '0'.repeat(64)
export const ANCHOR_FORMAT = 'ggen-packs-audit-anchor/1'

/** a position in the log: the first `count` entries, the last of them hashing to `head` (GENESIS for none) */
export interface AnchorPoint {
  count: number
  head: string
}

/** the team copy of a machine's anchor in Neo4j (src/core/audit-team.ts) */
export interface TeamAnchor extends AnchorPoint {
  anchoredAt?: string
}

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest')
export const AnchorPointSchema = z.object({count: z.number().int().nonnegative(), head: Hash})

export const AuditAnchor = z.object({
  format: z.literal(ANCHOR_FORMAT),
  count: z.number().int().nonnegative(),
  head: Hash,
  /** seq of the head entry (null when the log is empty) */
  seq: z.number().int().nonnegative().nullable(),
  updated_at: z.string(),
  /**
   * The anchor was created over a log that had no anchor (written by a version before anchors, or
   * the anchor was deleted): the first `before` entries were never anchored. Reported by
   * `audit --verify` until `audit --accept-anchor` adopts the log.
   */
  unanchored: z.object({before: z.number().int().positive(), at: z.string()}).optional(),
})
export type AuditAnchor = z.infer<typeof AuditAnchor>

export const anchorPath = (paths: HomePaths): string => join(dirname(paths.audit), 'anchor.json')

export const ANCHOR_HINT = 'Run `ggen packs audit --verify` to see what the log holds; once investigated, `ggen packs audit --accept-anchor` rewrites the anchor from the log (the acceptance is recorded in the log).'

/** the anchor, or null when there is none; a damaged anchor is a PacksError naming the file */
export function readAnchor(paths: HomePaths): AuditAnchor | null {
  const file = anchorPath(paths)
  const text = readTextOrNull(file)
  if (text === null) return null
  try {
    return validate(AuditAnchor, parseJsonText(text, file), file)
  } catch (error) {
    if (isPacksError(error)) throw new PacksError(error.code, error.message, {file, field: error.field, hint: ANCHOR_HINT, cause: error})
    throw error
  }
}

export function writeAnchor(paths: HomePaths, a: Omit<AuditAnchor, 'format' | 'updated_at'>): AuditAnchor {
  const anchor: AuditAnchor = {format: ANCHOR_FORMAT, ...a, updated_at: new Date().toISOString()}
  writeJsonAtomic(anchorPath(paths), anchor)
  return anchor
}

/** the anchored point, or null when there is no anchor (for history generations) */
export function anchorPoint(paths: HomePaths): AnchorPoint | null {
  const a = readAnchor(paths)
  return a ? {count: a.count, head: a.head} : null
}

