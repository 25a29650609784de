/**
 * The security scan's result model (issue 11), shared by the advisory database, the scan, its
 * renderers (table, JSON, SARIF), the fix advice, the status shown by list/info/tree, the policy's
 * max_severity rule and the SBOM's vulnerabilities section.
 */

/** OSV/CVSS qualitative rating; `unknown` when neither a CVSS vector nor database_specific says */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'

export const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical']

/** rank for comparisons; `unknown` counts as high (issue 11: for --fail-on and max_severity) */
export function severityRank(s: Severity): number {
  return s === 'unknown' ? SEVERITY_ORDER.indexOf('high') : SEVERITY_ORDER.indexOf(s)
}

/** one vulnerability after alias merging: `id` is the primary id, `aliases` every other id */
export interface AdvisoryRef {
  id: string
  aliases: string[]
  summary: string
  severity: Severity
  /** CVSS base score when a vector was given */
  score?: number
  /** the CVSS vector the score came from */
  vector?: string
  published?: string
  modified: string
  /** reference URLs (advisory first) */
  references: string[]
}

/** how one project reaches the vulnerable version: `path[0]` is the project, the rest `id@version` */
export interface FindingPath {
  project: string
  machine: string
  path: string[]
}

/** what to do about one vulnerable package version */
export interface FixAdvice {
  /**
   * upgrade: `version` is the smallest unaffected version satisfying every requirer's range;
   * move-direct: no such version, move direct dependency `direct.id` from `direct.from` to `direct.to`;
   * none: no unaffected version is known
   */
  kind: 'upgrade' | 'move-direct' | 'none'
  version?: string
  direct?: {id: string; from: string; to: string}
  /** what the move would break (impact), empty when nothing */
  breaks: string[]
  /** one sentence for humans */
  explanation: string
}

export interface Finding {
  package: string
  version: string
  /** pkg:generic/<id>@<version> (the SBOM uses the same) */
  purl: string
  /** the highest severity among `advisories` */
  severity: Severity
  advisories: AdvisoryRef[]
  projects: FindingPath[]
  fix: FixAdvice
}

export interface AdvisoryDbInfo {
  /** where the database lives ($GGEN_HOME/advisories) */
  path: string
  /** where the last update came from (folder, zip or URL) */
  source: string
  updated_at: string
  age_days: number
  /** older than the maximum age (config `advisories.max_age_days`, flag --max-db-age) */
  stale: boolean
  records: number
}

export interface ScanResult {
  scanned_at: string
  database: AdvisoryDbInfo
  /** projects scanned */
  projects: number
  findings: Finding[]
  counts: Record<Severity, number>
  /** findings suppressed by an unexpired ignore */
  ignored: {id: string; package: string; version: string; reason: string; expires?: string}[]
  /** ignores whose ignoreUntil has passed: their findings count again */
  expired_ignores?: {id: string; reason: string; expired: string; file: string}[]
  /** the graph backend that answered */
  backend?: 'memory' | 'neo4j'
  /** the team policy's max_severity, when one is set: findings above it fail the scan */
  policy?: {file: string; max_severity: Severity; exceeded: number}
}

/** the per-version status list/info/tree show, from the last scan ($GGEN_HOME/advisories/last-scan.json) */
export interface SecurityStatus {
  has_vulnerabilities: boolean
  /** advisory ids and aliases */
  ids: string[]
  severity?: Severity
  last_scanned: string
}
