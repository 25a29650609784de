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

export const SCAN_CORE_FORMAT = 'ggen-packs-scan-core/3'

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

/**
 * The kept findings on disk: every string of the paths (project paths, machines, names, `id@version`
 * keys) once in `strings`, every advisory once in `advisories`, and each finding's advisories and
 * paths as indexes into them (a path: [project, machine, ...path]). At 10k versions 15,000 paths
 * repeat a few thousand strings: 5.4 MB of JSON as the findings are, 2 MB so.
 */
interface Packed {
  key: string
  projects: number
  warnings: string[]
  strings: string[]
  advisories: AdvisoryRef[]
  /** [package, version, advisory indexes, paths, fix] */
  findings: [string, string, number[], number[][], FixAdvice][]
}

function pack(core: ScanCore): Packed {
  const strings: string[] = []
  const index = new Map<string, number>()
  const str = (s: string): number => {
    let i = index.get(s)
    if (i === undefined) index.set(s, (i = strings.push(s) - 1))
    return i
  }
  const advisories: AdvisoryRef[] = []
  const byRef = new Map<AdvisoryRef, number>()
  const adv = (a: AdvisoryRef): number => {
    let i = byRef.get(a)
    if (i === undefined) byRef.set(a, (i = advisories.push(a) - 1))
    return i
  }
  const findings = core.findings.map((f): Packed['findings'][number] => [f.package, f.version, f.advisories.map(adv), f.projects.map((p) => [str(p.project), str(p.machine), ...p.path.map(str)]), f.fix])
  return {key: core.key, projects: core.projects, warnings: core.warnings, strings, advisories, findings}
}

const isAdvisory = (a: unknown): a is AdvisoryRef => isObj(a) && typeof a.id === 'string' && isStrings(a.aliases) && typeof a.severity === 'string' && typeof a.summary === 'string'
const isFix = (f: unknown): f is FixAdvice => isObj(f) && typeof f.kind === 'string' && typeof f.explanation === 'string' && isStrings(f.breaks)
const isIndexes = (x: unknown, length: number, min: number): x is number[] => Array.isArray(x) && x.length >= min && x.every((i) => Number.isInteger(i) && i >= 0 && i < length)

/** the findings of a packed core, or null when anything in it is not of the shape the scan and its readers rely on */
function unpack(c: Record<string, unknown>): CoreFinding[] | null {
  const {strings, advisories, findings} = c
  if (!isStrings(strings) || !Array.isArray(advisories) || !advisories.every(isAdvisory) || !Array.isArray(findings)) return null
  const out: CoreFinding[] = []
  for (const f of findings as unknown[]) {
    if (!Array.isArray(f) || f.length !== 5) return null
    const [pkg, version, refs, paths, fix] = f as unknown[]
    if (typeof pkg !== 'string' || typeof version !== 'string' || !isIndexes(refs, advisories.length, 0) || !Array.isArray(paths) || !isFix(fix)) return null
    const projects: FindingPath[] = []
    for (const p of paths as unknown[]) {
      if (!isIndexes(p, strings.length, 2)) return null
      projects.push({project: strings[p[0]!]!, machine: strings[p[1]!]!, path: p.slice(2).map((i) => strings[i]!)})
    }
    out.push({package: pkg, version, advisories: refs.map((i) => advisories[i]!), projects, fix})
  }
  return out
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
  if (!isObj(c) || c.key !== coreKey(inputs, head!.id) || typeof c.projects !== 'number' || !isStrings(c.warnings)) return {core: null, stats}
  const findings = unpack(c)
  if (findings === null) return {core: null, stats}
  headProblems(ctx, head!) // gone projects are warned about as opening the graph does
  return {core: {key: c.key, projects: c.projects, warnings: c.warnings, findings}, stats}
}

/** keep the findings (best effort: a read-only $GGEN_HOME still scans) */
export function keepCore(ctx: PacksContext, core: ScanCore): void {
  try {
    writeFileAtomic(ctx.paths.scanCore, frame(SCAN_CORE_FORMAT, JSON.stringify(pack(core))), {force: true, cache: true})
  } catch {
    // not kept: the next scan is made again
  }
}
