/**
 * The security scan's findings, kept (issue 11's speed, issue 13's "re-read only what changed"):
 * $GGEN_HOME/cache/scan-core.cache holds what a scan of every known project on the embedded
 * graph worked out before ignores and policy: each vulnerable package version with all of its
 * advisories, each project's path to it, and its fix. It is kept under a key naming every input
 * of that work:
 *  - the snapshot's id, when its head is current (no project file, the store index or the
 *    advisory database changed since it was written: src/core/workspace-stat.ts);
 *  - the advisory database (db.json's stamp; the snapshot's Advisory rows come from it);
 *  - each configured registry, by what the catalog would read (registryStamp): a registry that
 *    would be fetched (an http index past its TTL, --refresh) means no key, and the scan is made;
 *  - the deprecation files (the yanked versions the fix never advises);
 *  - the machine, the roots, and this format.
 * Ignores, the policy and the database's age are applied on every scan, kept findings or not.
 * The stamps are taken before the inputs are read, so a file changing meanwhile makes the kept
 * findings stale, never wrong. A cache: framed (src/formats/framed.ts); missing, damaged, of the
 * wrong shape or of other inputs, it reads as absent and the scan is made (and kept again).
 */
import {advisoryDbStamp} from '../advisories/db.js'
import type {AdvisoryRef, FindingPath, FixAdvice} from '../domain/scan.js'
import {writeFileAtomic} from '../formats/fs.js'
import {frame, readFramed} from '../formats/framed.js'
import type {PacksContext} from './context.js'
import {deprecationInputs} from './list-view.js'
import {currentHead, headProblems, type WorkspaceStats} from './workspace-stat.js'

export const SCAN_CORE_FORMAT = 'ggen-packs-scan-core/2'

/** one vulnerable package version before ignores: every advisory affecting it */
export interface CoreFinding {
  package: string
  version: string
  advisories: AdvisoryRef[]
  projects: FindingPath[]
  fix: FixAdvice
}

export interface ScanCore {
  key: string
  /** how many projects the scan covered */
  projects: number
  /** what working them out warned about (a registry that could not be read), said again when they are reused */
  warnings: string[]
  findings: CoreFinding[]
}

/**
 * The key of a scan of every known project without the snapshot's id (added once it is known),
 * or null when the findings cannot be kept: a registry would be fetched.
 */
export async function scanInputs(ctx: PacksContext, roots: string[]): Promise<string | null> {
  const parts = [SCAN_CORE_FORMAT, `machine ${ctx.machine}`, `roots ${JSON.stringify([...roots].sort())}`, `advisories ${advisoryDbStamp(ctx.paths)}`, `deprecations ${deprecationInputs(ctx)}`]
  if (ctx.registries.length > 0) {
    const stamps = (await import('../registry/source.js')).registryStamps(ctx.registries, {cacheDir: ctx.paths.registryCache, offline: ctx.offline, refresh: ctx.refresh})
    if (stamps === null) return null
    for (const [url, stamp] of stamps) parts.push(`registry ${url} ${stamp}`)
  }
  return parts.join('\n')
}

export const coreKey = (inputs: string, snapshotId: string): string => `${inputs}\nsnapshot ${snapshotId}`

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string')

/** a kept finding of the right shape (what the scan and its readers rely on) */
function isCoreFinding(f: unknown): f is CoreFinding {
  if (!isObj(f) || typeof f.package !== 'string' || typeof f.version !== 'string' || !Array.isArray(f.advisories) || !Array.isArray(f.projects) || !isObj(f.fix)) return false
  if (!f.advisories.every((a) => isObj(a) && typeof a.id === 'string' && isStrings(a.aliases) && typeof a.severity === 'string' && typeof a.summary === 'string')) return false
  if (!f.projects.every((p) => isObj(p) && typeof p.project === 'string' && typeof p.machine === 'string' && isStrings(p.path))) return false
  return typeof f.fix.kind === 'string' && typeof f.fix.explanation === 'string' && isStrings(f.fix.breaks)
}

/** the kept findings when the snapshot is current and they were made from exactly these inputs; the stats taken either way */
export function keptCore(ctx: PacksContext, roots: string[], inputs: string): {core: ScanCore | null; stats: WorkspaceStats} {
  const {head, stats} = currentHead(ctx, roots)
  const text = head ? readFramed(ctx.paths.scanCore, SCAN_CORE_FORMAT) : null
  if (text === null) return {core: null, stats}
  let c: unknown
  try {
    c = JSON.parse(text)
  } catch {
    return {core: null, stats}
  }
  if (!isObj(c) || c.key !== coreKey(inputs, head!.id) || typeof c.projects !== 'number' || !isStrings(c.warnings) || !Array.isArray(c.findings) || !c.findings.every(isCoreFinding)) return {core: null, stats}
  headProblems(ctx, head!) // gone projects are warned about as opening the graph does
  return {core: c as unknown as ScanCore, stats}
}

/** keep the findings (best effort: a read-only $GGEN_HOME still scans) */
export function keepCore(ctx: PacksContext, core: ScanCore): void {
  try {
    writeFileAtomic(ctx.paths.scanCore, frame(SCAN_CORE_FORMAT, JSON.stringify(core)), {force: true, cache: true})
  } catch {
    // not kept: the next scan is made again
  }
}
