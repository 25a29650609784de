/**
 * `security-scan --format sarif`: the scan result as SARIF 2.1.0 (one run), the form code-scanning
 * services read (docs/formats.md, "SARIF").
 *  - tool.driver.rules: one per advisory (its primary id), with its summary, the first reference as
 *    helpUri, `security-severity` (the CVSS score, as GitHub reads it) and the default level of its
 *    severity: critical/high `error`, medium and unknown `warning`, low `note`;
 *  - results: one per (advisory, affected project): the package version, the path from the
 *    project, the fix; located in the project's lockfile (`.ggen/packs.lock`) relative to
 *    `PROJECTROOT` (originalUriBaseIds: the folder of the scanned project, or the folder every
 *    affected project sits under when there are several) and at the package as a logical location;
 *    `partialFingerprints` hash the rule, machine, project and package version, so a finding keeps
 *    its identity between runs.
 */
import {createHash} from 'node:crypto'
import {posix} from 'node:path'
import {pathToFileURL} from 'node:url'
import type {AdvisoryRef, Finding, FindingPath, ScanResult, Severity} from '../../domain/scan.js'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
export const SARIF_TOOL = 'ggen packs security-scan'
const INFORMATION_URI = 'https://github.com/seanchatmangpt/ggen'
const LOCKFILE = '.ggen/packs.lock'
const BASE_ID = 'PROJECTROOT'
const FINGERPRINT = 'ggenPacksFinding/v1'

export type SarifLevel = 'error' | 'warning' | 'note'

const LEVELS: Record<Severity, SarifLevel> = {critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'warning'}
export const sarifLevel = (s: Severity): SarifLevel => LEVELS[s]

const text = (t: string) => ({text: t})
const isUri = (s: string) => /^https?:\/\/\S+$/i.test(s)

function rule(a: AdvisoryRef) {
  const ids = [a.id, ...a.aliases]
  const help = a.references.find(isUri)
  return {
    id: a.id,
    name: a.id,
    shortDescription: text(a.summary || a.id),
    fullDescription: text(`${a.summary || a.id} (${ids.join(', ')}; severity ${a.severity}${a.score !== undefined ? `, CVSS ${a.score}` : ''})`),
    ...(help ? {helpUri: help} : {}),
    help: text(a.references.length ? `References: ${a.references.join(' ')}` : `No references given for ${a.id}.`),
    defaultConfiguration: {level: sarifLevel(a.severity)},
    properties: {
      ...(a.score !== undefined ? {'security-severity': a.score.toFixed(1)} : {}),
      tags: ['security', 'vulnerability', a.severity, ...a.aliases],
    },
  }
}

/** the advisories of every finding, once each by id, in order of first appearance */
function advisories(r: ScanResult): AdvisoryRef[] {
  const byId = new Map<string, AdvisoryRef>()
  for (const f of r.findings) for (const a of f.advisories) if (!byId.has(a.id)) byId.set(a.id, a)
  return [...byId.values()]
}

/** each affected project once (machine + folder), its first path kept */
function projectsOf(f: Finding): FindingPath[] {
  const seen = new Map<string, FindingPath>()
  for (const p of f.projects) if (!seen.has(`${p.machine}\n${p.project}`)) seen.set(`${p.machine}\n${p.project}`, p)
  return [...seen.values()]
}

/** the folder every project sits under ('/' at worst) */
function commonRoot(paths: string[]): string {
  if (paths.length === 0) return '/'
  const split = paths.map((p) => posix.normalize(p).split('/').filter(Boolean))
  const first = split[0]!
  let n = 0
  while (n < first.length && split.every((s) => s[n] === first[n])) n++
  return `/${first.slice(0, n).join('/')}`
}

function fixText(f: Finding): string {
  return f.fix.explanation || (f.fix.kind === 'upgrade' ? `upgrade to ${f.fix.version}` : f.fix.kind)
}

function result(f: Finding, a: AdvisoryRef, ruleIndex: number, p: FindingPath, root: string) {
  const at = `${f.package}@${f.version}`
  const rel = posix.relative(root, posix.join(p.project, LOCKFILE))
  const fingerprint = createHash('sha256').update(`${a.id}\n${p.machine}\n${p.project}\n${at}`).digest('hex')
  return {
    ruleId: a.id,
    ruleIndex,
    level: sarifLevel(a.severity),
    message: text(`${at} is affected by ${[a.id, ...a.aliases].join(' / ')}: ${a.summary || 'no summary'}. Path: ${p.path.join(' -> ')}. Fix: ${fixText(f)}`),
    locations: [
      {
        physicalLocation: {artifactLocation: {uri: rel, uriBaseId: BASE_ID}},
        logicalLocations: [{name: at, fullyQualifiedName: `${p.project}/${at}`, kind: 'module'}],
      },
    ],
    partialFingerprints: {[FINGERPRINT]: fingerprint},
    properties: {package: f.package, version: f.version, purl: f.purl, severity: a.severity, project: p.project, machine: p.machine, path: p.path, fix: f.fix},
  }
}

export function renderSarif(r: ScanResult, opts: {toolVersion?: string} = {}): object {
  const rules = advisories(r)
  const index = new Map(rules.map((a, i) => [a.id, i]))
  const root = commonRoot(r.findings.flatMap((f) => f.projects.map((p) => p.project)))
  const results = r.findings.flatMap((f) => f.advisories.flatMap((a) => projectsOf(f).map((p) => result(f, a, index.get(a.id)!, p, root))))
  const rootUri = pathToFileURL(root.endsWith('/') ? root : `${root}/`).href
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {driver: {name: SARIF_TOOL, informationUri: INFORMATION_URI, ...(opts.toolVersion ? {version: opts.toolVersion} : {}), rules: rules.map(rule)}},
        originalUriBaseIds: {[BASE_ID]: {uri: rootUri, description: text(rules.length ? 'the folder of the scanned project (or the one every affected project sits under)' : 'the scanned projects')}},
        results,
        invocations: [{executionSuccessful: true, endTimeUtc: r.scanned_at}],
        properties: {database: r.database, projects: r.projects, counts: r.counts, ignored: r.ignored},
      },
    ],
  }
}
