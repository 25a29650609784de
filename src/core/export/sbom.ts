/**
 * A project's CycloneDX 1.6 SBOM (JSON), built with @cyclonedx/cyclonedx-library from the graph
 * snapshot (docs/formats.md, "CycloneDX SBOM", has the field mapping):
 * - metadata.component: the project (type application, name from ggen.toml), metadata.tools: us;
 * - components: every locked version (type library, name = id, purl `pkg:generic/<id>@<version>`
 *   = bom-ref, hashes from the lockfile integrity, license as SPDX id or expression, author);
 * - dependencies: the project's direct locks, and each version's resolved dependencies;
 * - vulnerabilities (with a last scan): one per advisory affecting a component, its ratings,
 *   `affects` the components' bom-refs, analysis state `in_triage` (exploitability not known).
 * serialNumber and timestamp are random / now, or derived from the fixed clock (GGEN_NOW,
 * SOURCE_DATE_EPOCH) so the same inputs give the same bytes.
 */
import {createHash, randomUUID} from 'node:crypto'
import type {Models as CdxModels} from '@cyclonedx/cyclonedx-library'
import {PackageURL} from 'packageurl-js'
import parseSpdx from 'spdx-expression-parse'
import type {Finding, ScanResult, Severity} from '../../domain/scan.js'
import {versionKey, type PackageRow, type ProjectRow, type VersionRow} from '../../graph/model.js'
import {normaliseLicense} from '../../policy/licenses.js'
import {parseIntegrity} from '../../store/integrity.js'

export interface SbomInput {
  project: ProjectRow
  /** version rows by `id@version` (license, author, source) */
  versions: Map<string, VersionRow>
  packages: Map<string, PackageRow>
  /** the last security scan ($GGEN_HOME/advisories/last-scan.json); null: no vulnerabilities section */
  scan: ScanResult | null
  /** ISO time of the document */
  now: string
  /** the clock is fixed (GGEN_NOW / SOURCE_DATE_EPOCH): derive the serial number from the content */
  deterministic: boolean
  tool: {name: string; version: string}
}

export interface Sbom {
  /** the CycloneDX JSON text */
  text: string
  components: number
  dependencies: number
  vulnerabilities: number
}

/** `pkg:generic/<id>@<version>` (the purl the advisories and the scan use) */
export const purlOf = (id: string, version: string): string => new PackageURL('generic', undefined, id, version, undefined, undefined).toString()

/** every hash an integrity string carries, as CycloneDX wants it (algorithm, lowercase hex) */
export function integrityHashes(integrity: string | undefined): {alg: 'SHA-512' | 'SHA-384' | 'SHA-256' | 'SHA-1'; hex: string}[] {
  const out: {alg: 'SHA-512' | 'SHA-384' | 'SHA-256' | 'SHA-1'; hex: string}[] = []
  for (const token of (integrity ?? '').trim().split(/\s+/)) {
    const text = token.split('?', 1)[0]!
    const p = parseIntegrity(text)
    const legacyHex = /^sha256-([0-9a-fA-F]{64})$/.exec(text)
    if (p) out.push({alg: p.algo.replace('sha', 'SHA-') as 'SHA-512', hex: p.digest.toString('hex')})
    else if (legacyHex) out.push({alg: 'SHA-256', hex: legacyHex[1]!.toLowerCase()})
  }
  return out
}

/** RFC 4122 version 5 (name-based, SHA-1) UUID in the URL namespace */
export function uuidV5(name: string): string {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')
  const b = createHash('sha1').update(ns).update(name).digest().subarray(0, 16)
  b[6] = (b[6]! & 0x0f) | 0x50
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

type Cdx = typeof import('@cyclonedx/cyclonedx-library')

const RATING_METHOD: [RegExp, string][] = [
  [/^CVSS:4\./, 'CVSSv4'],
  [/^CVSS:3\.1\//, 'CVSSv31'],
  [/^CVSS:3\.0\//, 'CVSSv3'],
  [/^AV:[LAN]\//, 'CVSSv2'],
]

function component(cdx: Cdx, licenses: InstanceType<Cdx['Contrib']['License']['Factories']['LicenseFactory']>, id: string, version: string, v: VersionRow | undefined, p: PackageRow | undefined): CdxModels.Component {
  const purl = purlOf(id, version)
  const c = new cdx.Models.Component(cdx.Enums.ComponentType.Library, id, {version, purl, bomRef: purl})
  const author = v?.author ?? p?.author
  if (author) c.author = author
  const description = v?.description ?? p?.description
  if (description) c.description = description
  if (v?.source && /^https?:\/\//.test(v.source)) c.supplier = new cdx.Models.OrganizationalEntity({name: v.source, url: new Set([v.source])})
  for (const h of integrityHashes(v?.integrity)) c.hashes.set(cdx.Enums.HashAlgorithm[h.alg], h.hex)
  const license = normaliseLicense(v?.license ?? p?.license ?? '')
  if (license) c.licenses.add(licenses.makeFromString(license.expression))
  return c
}

function vulnerability(cdx: Cdx, id: string, findings: Finding[], refOf: Map<string, CdxModels.Component>): CdxModels.Vulnerability.Vulnerability {
  const V = cdx.Models.Vulnerability
  const a = findings[0]!.advisories.find((x) => x.id === id)!
  const url = a.references[0]
  const vuln = new V.Vulnerability({bomRef: `vulnerability:${id}`, id, source: new V.Source({name: 'OSV', ...(url ? {url} : {})}), description: a.summary || undefined})
  if (a.published && Number.isFinite(Date.parse(a.published))) vuln.published = new Date(a.published)
  if (a.modified && Number.isFinite(Date.parse(a.modified))) vuln.updated = new Date(a.modified)
  const method = a.vector ? RATING_METHOD.find(([re]) => re.test(a.vector!))?.[1] ?? 'other' : undefined
  vuln.ratings.add(
    new V.Rating({severity: severityOf(cdx, a.severity), ...(a.score !== undefined ? {score: a.score} : {}), ...(method ? {method: method as CdxModels.Vulnerability.Rating['method']} : {}), ...(a.vector ? {vector: a.vector} : {})}),
  )
  for (const alias of a.aliases) vuln.references.add(new V.Reference(alias, new V.Source({name: alias.split('-')[0] || 'alias'})))
  for (const f of findings) vuln.affects.add(new V.Affect(refOf.get(versionKey(f.package, f.version))!.bomRef))
  vuln.analysis = new V.Analysis({state: cdx.Enums.Vulnerability.AnalysisState.InTriage})
  return vuln
}

function severityOf(cdx: Cdx, s: Severity): CdxModels.Vulnerability.Rating['severity'] {
  const S = cdx.Enums.Vulnerability.Severity
  return ({critical: S.Critical, high: S.High, medium: S.Medium, low: S.Low, unknown: S.Unknown} as const)[s] ?? S.Unknown
}

/** the scan's findings on this BOM's components, grouped by advisory id */
function advisoriesOn(scan: ScanResult | null, refOf: Map<string, unknown>): Map<string, Finding[]> {
  const by = new Map<string, Finding[]>()
  for (const f of scan?.findings ?? []) {
    if (!refOf.has(versionKey(f.package, f.version))) continue
    for (const a of f.advisories) by.set(a.id, [...(by.get(a.id) ?? []), f])
  }
  return by
}

export async function buildSbom(input: SbomInput): Promise<Sbom> {
  const cdx = await import('@cyclonedx/cyclonedx-library')
  const licenses = new cdx.Contrib.License.Factories.LicenseFactory((s: string) => void parseSpdx(s))
  const {project} = input
  const bom = new cdx.Models.Bom()
  const app = new cdx.Models.Component(cdx.Enums.ComponentType.Application, project.name, {bomRef: `project:${project.name}`})
  bom.metadata.component = app
  bom.metadata.timestamp = new Date(input.now)
  bom.metadata.tools.components.add(new cdx.Models.Component(cdx.Enums.ComponentType.Application, input.tool.name, {version: input.tool.version}))
  const refOf = new Map<string, CdxModels.Component>()
  const ids = new Set<string>()
  for (const l of project.locks) {
    const k = versionKey(l.id, l.version)
    if (ids.has(l.id)) continue // one version per id: the first wins
    ids.add(l.id)
    const c = component(cdx, licenses, l.id, l.version, {...input.versions.get(k), integrity: l.integrity ?? input.versions.get(k)?.integrity} as VersionRow, input.packages.get(l.id))
    refOf.set(k, c)
    bom.components.add(c)
  }
  const lockedOf = new Map(project.locks.map((l) => [l.id, versionKey(l.id, l.version)]))
  let edges = 0
  for (const l of project.locks) {
    const c = refOf.get(versionKey(l.id, l.version))
    if (!c) continue
    const targets = [...(l.direct ? [[app, c]] : []), ...l.dependencies.map((d) => [c, refOf.get(lockedOf.get(d) ?? '')])] as [CdxModels.Component, CdxModels.Component | undefined][]
    for (const [from, to] of targets) {
      if (!to || from.dependencies.has(to.bomRef)) continue
      from.dependencies.add(to.bomRef)
      edges++
    }
  }
  const vulns = advisoriesOn(input.scan, refOf)
  for (const [id, findings] of [...vulns].sort(([a], [b]) => (a < b ? -1 : 1))) bom.vulnerabilities.add(vulnerability(cdx, id, findings, refOf))
  const serializer = new cdx.Serialize.JsonSerializer(new cdx.Serialize.JSON.Normalize.Factory(cdx.Spec.Spec1dot6))
  const body = (serial: string) => {
    bom.serialNumber = `urn:uuid:${serial}`
    return serializer.serialize(bom, {sortLists: true, space: 2}) + '\n'
  }
  const text = input.deterministic ? body(uuidV5(`ggen-packs-sbom:${project.key}:${createHash('sha256').update(body('00000000-0000-5000-8000-000000000000')).digest('hex')}`)) : body(randomUUID())
  return {text, components: refOf.size, dependencies: edges, vulnerabilities: vulns.size}
}
