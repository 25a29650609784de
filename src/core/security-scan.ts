/**
 * `packs security-scan`: a graph question over the port. Every Advisory-AFFECTS->Version edge
 * whose version a project in scope locks (GraphStore.advisoryHits: the embedded graph of this
 * machine, or the team Neo4j with every machine's projects) becomes a Finding per package
 * version, with each project's dependency path to it (the `why` question, shortest path) and a
 * fix (src/core/scan-fix.ts). Ignores (osv-scanner's [[IgnoredVulns]]) hide advisories until
 * they expire; the team policy's max_severity is checked. Each scan writes
 * $GGEN_HOME/advisories/last-scan.json (atomically) and an audit entry `security-scan`.
 *
 * `updateAdvisories` is the `--vulnerability-db-update` half: src/advisories/import.ts, audited
 * as `security-db-update`.
 */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {ageDays, DEFAULT_ECOSYSTEM, DEFAULT_MAX_AGE_DAYS, readAdvisoryDb, type AdvisoryDb, type ImportResult} from '../advisories/db.js'
import {activeIgnores, readIgnoreFile, type IgnoreEntry} from '../advisories/ignore.js'
import type {Vulnerability} from '../advisories/normalize.js'
import {audited} from '../audit/log.js'
import {PacksError} from '../domain/errors.js'
import {SEVERITY_ORDER, severityRank, type AdvisoryDbInfo, type AdvisoryRef, type Finding, type FindingPath, type ScanResult, type Severity} from '../domain/scan.js'
import {writeFileAtomic} from '../formats/fs.js'
import type {AdvisoryHit, ProjectScope, VersionRef, WhyProject} from '../graph/graph-store.js'
import {VersionMap, versionKey} from '../graph/model.js'
import type {TeamPolicy} from '../policy/evaluate.js'
import {extractLimits} from '../workspace/limits.js'
import {lastAnswer} from '../util/last-answer.js'
import {prettyJson} from '../util/json-chunks.js'
import {withAnalysisGraph, type AnalysisGraph} from './analysis/graph.js'
import {loadCatalog, type PacksContext} from './context.js'
import type {Catalog} from '../registry/catalog.js'
import {fixAdvisor} from './scan-fix.js'
import {coreKey, keepCore, keptCore, scanInputs, type CoreFinding} from './scan-keep.js'
import {chooseBackend} from '../graph/open.js'
import {lastScanPath, rememberScan} from './security-status.js'

export interface ScanOptions {
  /** one project directory; every known project when absent */
  project?: string
  backend?: string
  roots?: string[]
  /** maximum database age in days (flag); config `advisories.max_age_days`, else 7 */
  maxDbAge?: number
  /** an ignore file instead of the default ones */
  ignoreFile?: string
}

export const defaultIgnoreFile = (ctx: PacksContext): string => join(ctx.paths.advisories, 'ignore.toml')
export const projectIgnoreFile = (dir: string): string => join(dir, '.ggen', 'security-ignore.toml')

const SEVERITIES: Severity[] = [...SEVERITY_ORDER, 'unknown']
const asSeverity = (s: string | undefined): Severity => (SEVERITIES.includes(s as Severity) ? (s as Severity) : 'unknown')

/** the highest of some severities (unknown ranks as high; a known high wins the tie) */
export function worstSeverity(list: Severity[]): Severity {
  return list.reduce<Severity>((w, s) => (severityRank(s) > severityRank(w) || (severityRank(s) === severityRank(w) && w === 'unknown') ? s : w), list[0] ?? 'unknown')
}

function requireDb(ctx: PacksContext): AdvisoryDb {
  const db = readAdvisoryDb(ctx.paths)
  if (db) return db
  throw new PacksError('E_NOT_FOUND', `no advisory database yet (${ctx.paths.advisories})`, {
    hint: `Import one first: ggen packs security-scan --vulnerability-db-update --from DIR|FILE.zip|URL${ctx.config.advisories?.source ? ' (or without --from: config advisories.source)' : ''}`,
  })
}

export function databaseInfo(ctx: PacksContext, db: AdvisoryDb, maxDbAge?: number, now = Date.now()): AdvisoryDbInfo {
  const max = maxDbAge ?? ctx.config.advisories?.max_age_days ?? DEFAULT_MAX_AGE_DAYS
  const age = ageDays(db.meta, now)
  return {path: ctx.paths.advisories, source: db.meta.source, updated_at: db.meta.updated_at, age_days: Math.round(age * 100) / 100, stale: age > max, records: db.meta.records}
}

const refOf = (v: Vulnerability): AdvisoryRef => {
  const {affected: _, ...ref} = v
  return ref
}

/** the advisory as the database knows it, else as the graph row says (another machine's advisory on Neo4j) */
function advisoryRef(db: AdvisoryDb, h: AdvisoryHit): AdvisoryRef {
  const v = db.get(h.id)
  if (v) return refOf(v)
  return {id: h.id, aliases: h.aliases, summary: h.summary ?? '', severity: asSeverity(h.severity), ...(h.score !== undefined ? {score: h.score} : {}), modified: '', references: []}
}

/** each project's shortest path to each locked version of a package (the why question, asked once per package), by project */
function pathsByVersion(rows: WhyProject[], id: string, keys: VersionMap<string>): Map<string, FindingPath[]> {
  // one `id@version` string per version, shared by every path through it (15,000 paths at 10k versions)
  const keyOf = (s: VersionRef): string => {
    let k = keys.get(s.id, s.version)
    if (k === undefined) keys.set(s.id, s.version, (k = versionKey(s.id, s.version)))
    return k
  }
  const out = new Map<string, FindingPath[]>()
  for (const w of rows) {
    const nodes = w.paths[0]
    const steps = [w.project.name]
    if (nodes) for (const n of nodes) steps.push(keyOf(n))
    else steps.push(keyOf({id, version: w.version}))
    const path = {project: w.project.path, machine: w.project.machine, path: steps}
    const list = out.get(w.version)
    if (list) list.push(path)
    else out.set(w.version, [path])
  }
  return out
}

interface Ignored {
  active: IgnoreEntry[]
  expired: IgnoreEntry[]
}

function readIgnores(ctx: PacksContext, o: ScanOptions, now: number): Ignored {
  const entries = o.ignoreFile ? readIgnoreFile(resolve(o.ignoreFile), true) : [...readIgnoreFile(defaultIgnoreFile(ctx)), ...(o.project ? readIgnoreFile(projectIgnoreFile(resolve(o.project))) : [])]
  return activeIgnores(entries, now)
}

const names = (a: AdvisoryRef): string[] => [a.id, ...a.aliases]
const matching = (list: IgnoreEntry[], a: AdvisoryRef): IgnoreEntry | undefined => list.find((e) => names(a).includes(e.id))

/**
 * The versions known of each package (for the fix): the graph's (the embedded snapshot's, or the
 * team graph's) and the configured registries' (their cached index under --offline), yanked ones
 * left out. A registry that cannot be read leaves only the graph's.
 */
/** the registries, for the fix advice's known versions (none configured or unreadable: the graph's versions only) */
async function scanCatalog(ctx: PacksContext): Promise<Catalog | null> {
  if (ctx.registries.length === 0) return null
  try {
    return await loadCatalog(ctx)
  } catch (e) {
    ctx.warn(`fix advice uses the graph's versions only: ${(e as Error).message.split('\n')[0]}`)
    return null
  }
}

const bySeverityThenPackage = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) || (a.severity === 'unknown' ? 1 : 0) - (b.severity === 'unknown' ? 1 : 0) || (a.package < b.package ? -1 : a.package > b.package ? 1 : 0)

/** every vulnerable package version in the graph's scope, with all its advisories, paths and fix (before ignores) */
async function coreFindings(ctx: PacksContext, g: AnalysisGraph, db: AdvisoryDb): Promise<CoreFinding[]> {
  const scope: ProjectScope = g.projectKey ? {projectKey: g.projectKey} : {}
  const hits = await g.store.advisoryHits(scope)
  const graphAffected = new Set(hits.map((h) => versionKey(h.package, h.version)))
  const groups = new Map<string, AdvisoryHit[]>()
  for (const h of hits) {
    const key = versionKey(h.package, h.version)
    const group = groups.get(key)
    if (group) group.push(h)
    else groups.set(key, [h])
  }
  const catalog = groups.size > 0 ? await scanCatalog(ctx) : null
  // one why question per package; findings come package by package (hits are sorted by package), so only the current package's paths are held
  const keys = new VersionMap<string>()
  const pathsOf = lastAnswer(
    (id: string) => id,
    (id: string) => g.store.why(id, {...scope, limit: 1, cap: 1}).then((rows) => pathsByVersion(rows, id, keys)),
  )
  const paths = async (id: string, version: string): Promise<FindingPath[]> => (await pathsOf(id)).get(version) ?? []
  // an advisory affecting several versions is one object in all their findings
  const refs = new Map<string, AdvisoryRef>()
  const graph = {store: g.store, snapshot: g.snapshot}
  const advise = fixAdvisor({graph, catalog})
  const out: CoreFinding[] = []
  let n = 0
  for (const group of groups.values()) {
    ctx.progress.step('Scanning', ++n, groups.size)
    const {package: id, version} = group[0]!
    const isAffected = (v: string) => db.affecting(id, v).length > 0 || graphAffected.has(versionKey(id, v))
    out.push({
      package: id,
      version,
      advisories: group.map((h) => refs.get(h.id) ?? refs.set(h.id, advisoryRef(db, h)).get(h.id)!),
      projects: await paths(id, version),
      fix: await advise({package: id, version, isAffected, graph, catalog, ...(g.projectKey ? {projects: [g.projectKey]} : {})}),
    })
  }
  ctx.progress.stop()
  return out
}

/** the findings once the ignores are applied (an ignored advisory goes to result.ignored; a version left with none is no finding) */
function findingsOf(core: CoreFinding[], ignores: Ignored, result: ScanResult): Finding[] {
  const out: Finding[] = []
  for (const f of core) {
    const advisories: AdvisoryRef[] = []
    for (const a of f.advisories) {
      const ignore = matching(ignores.active, a)
      if (ignore) result.ignored.push({id: a.id, package: f.package, version: f.version, reason: ignore.reason, ...(ignore.until ? {expires: ignore.until} : {})})
      else advisories.push(a)
    }
    if (advisories.length === 0) continue
    out.push({
      package: f.package,
      version: f.version,
      purl: `pkg:generic/${encodeURIComponent(f.package)}@${encodeURIComponent(f.version)}`,
      severity: worstSeverity(advisories.map((a) => a.severity)),
      advisories,
      projects: f.projects,
      fix: f.fix,
    })
  }
  return out.sort(bySeverityThenPackage)
}

/** the team policy, its parser and schemas loaded only when there is one (most scans have none: ~25 ms of modules) */
async function teamPolicy(ctx: PacksContext): Promise<TeamPolicy | null> {
  return existsSync(ctx.paths.policy) ? (await import('../policy/store.js')).readTeamPolicy(ctx.paths) : null
}

function policyCheck(policy: TeamPolicy | null, findings: Finding[]): ScanResult['policy'] {
  const max = policy?.rules.max_severity
  if (!policy || !max) return undefined
  return {file: policy.file, max_severity: max, exceeded: findings.filter((f) => severityRank(f.severity) > severityRank(max)).length}
}

/** one line for the audit log: the counts */
export function scanSummary(r: ScanResult): string {
  const counts = (['critical', 'high', 'medium', 'low', 'unknown'] as const).filter((s) => r.counts[s] > 0).map((s) => `${s} ${r.counts[s]}`)
  return `${r.findings.length} vulnerable package versions in ${r.projects} projects${counts.length ? ` (${counts.join(', ')})` : ''}, ${r.ignored.length} ignored; database ${r.database.age_days} days old${r.database.stale ? ' (stale)' : ''}`
}

/** at most this many vulnerable versions are listed in the scan's audit entry (the full list is the scan result) */
export const AUDIT_AFFECTED_MAX = 100

export async function securityScan(ctx: PacksContext, o: ScanOptions = {}): Promise<ScanResult> {
  const projectPath = o.project ? resolve(o.project) : null
  return audited(ctx, {action: 'security-scan', project: projectPath}, () => scan(ctx, o), (r) => {
    // the worst first (findings are sorted by severity); a scan of 10,000 versions would otherwise add 80 KB to every entry
    const affected = r.findings.slice(0, AUDIT_AFFECTED_MAX).map((f) => versionKey(f.package, f.version))
    const more = r.findings.length - affected.length
    return {details: `${scanSummary(r)}${more > 0 ? `; the ${AUDIT_AFFECTED_MAX} worst listed as affected, ${more} more in ${lastScanPath(ctx)}` : ''}`, affected}
  })
}

async function scan(ctx: PacksContext, o: ScanOptions): Promise<ScanResult> {
  const now = Date.now()
  const roots = o.roots ?? []
  // a scan of every known project on the embedded graph can be kept: its inputs are stamped before anything is read
  const inputs = o.project === undefined && chooseBackend(o.backend, ctx.config, ctx.env) === 'memory' ? await scanInputs(ctx, roots) : null
  const db = requireDb(ctx)
  const database = databaseInfo(ctx, db, o.maxDbAge, now)
  if (database.stale) ctx.warn(`the advisory database is ${database.age_days} days old (updated ${database.updated_at}, from ${database.source}); update it: ggen packs security-scan --vulnerability-db-update`)
  const ignores = readIgnores(ctx, o, now)
  const team = await teamPolicy(ctx)
  for (const e of ignores.expired) ctx.warn(`the ignore of ${e.id} in ${e.file} expired on ${e.until}: its findings count again`)
  const finish = (core: CoreFinding[], projects: number, backend: ScanResult['backend']): ScanResult => {
    const result: ScanResult = {
      scanned_at: new Date(now).toISOString(),
      database,
      projects,
      findings: [],
      counts: {critical: 0, high: 0, medium: 0, low: 0, unknown: 0},
      ignored: [],
      backend,
      ...(ignores.expired.length ? {expired_ignores: ignores.expired.map((e) => ({id: e.id, reason: e.reason, expired: e.until!, file: e.file}))} : {}),
    }
    result.findings = findingsOf(core, ignores, result)
    for (const f of result.findings) result.counts[f.severity]++
    const policy = policyCheck(team, result.findings)
    if (policy) result.policy = policy
    // in the order it was built (deterministic), as --json prints it: the one serialisation of 8 MB of
    // findings at 10k versions serves the file and stdout (prettyJson); the readers use scan-status.json
    // force: never the same bytes as the last scan's (scanned_at), so the 8 MB old file is not read to compare
    writeFileAtomic(lastScanPath(ctx), prettyJson(result), {force: true})
    rememberScan(ctx, result)
    return result
  }
  const kept = inputs === null ? null : keptCore(ctx, roots, inputs)
  if (kept?.core) {
    for (const w of kept.core.warnings) ctx.warn(w)
    return finish(kept.core.findings, kept.core.projects, 'memory')
  }
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots, project: o.project, ...(kept ? {stats: kept.stats} : {})}, async (g) => {
    const projects = g.projectKey ? 1 : (await g.store.projects()).length
    // what the work warns about (a registry that cannot be read) is kept with it, and said again by a rescan that reuses it
    const warnings: string[] = []
    const core = await coreFindings({...ctx, warn: (m) => (warnings.push(m), ctx.warn(m))}, g, db)
    if (inputs !== null && g.snapshotId) keepCore(ctx, {key: coreKey(inputs, g.snapshotId), projects, warnings, findings: core})
    return finish(core, projects, g.store.name)
  })
}

/** what `packs security-scan` returns: the scan, or with --vulnerability-db-update the import */
export type SecurityScanOutput = ScanResult | ImportResult

export interface UpdateOptions {
  /** a folder, zip or URL; default: config advisories.source */
  from?: string
}

/** `--vulnerability-db-update`: import the advisories (audited as security-db-update) */
export async function updateAdvisories(ctx: PacksContext, o: UpdateOptions = {}): Promise<ImportResult> {
  return audited(ctx, {action: 'security-db-update'}, () => importFrom(ctx, o.from ?? ctx.config.advisories?.source), (r) => `imported ${r.records} advisory records (${r.vulnerabilities} vulnerabilities) from ${r.source}; ${r.skipped} skipped, ${r.withdrawn} withdrawn`)
}

async function importFrom(ctx: PacksContext, source: string | undefined): Promise<ImportResult> {
  if (!source) {
    throw new PacksError('E_USAGE', 'no advisory source: pass --from DIR|FILE.zip|URL, or set `advisories.source` in $GGEN_HOME/config.json', {
      hint: 'Try: ggen packs security-scan --vulnerability-db-update --from https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip (or a folder of OSV JSON files).',
    })
  }
  const from = /^https?:\/\//i.test(source) ? source : resolve(source)
  const {importAdvisories} = await import('../advisories/import.js')
  return importAdvisories(ctx.paths, {source: from, ecosystem: ctx.config.advisories?.ecosystem ?? DEFAULT_ECOSYSTEM, limits: extractLimits(ctx.config, ctx.env), offline: ctx.offline, warn: ctx.warn, progress: (t) => ctx.progress.step(t)})
}

/** whether the scan fails (exit 1): any finding when asked, one at/above `failOn`, or the policy's max_severity exceeded */
export function failsScan(r: ScanResult, o: {anyFinding?: boolean; failOn?: Exclude<Severity, 'unknown'>}): boolean {
  if (o.anyFinding && r.findings.length > 0) return true
  if (o.failOn && r.findings.some((f) => severityRank(f.severity) >= severityRank(o.failOn!))) return true
  return (r.policy?.exceeded ?? 0) > 0
}
