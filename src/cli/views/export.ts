/**
 * `packs export` for files: each kind of export in each of its forms, through the renderers the
 * other commands use (list, dependents, manifest, bundle; the graph and SBOM text come ready from
 * the use-case), as documents: one for --output FILE or stdout, one per project or bundle for
 * --output-dir. And the summary for people.
 */
import {PacksError} from '../../domain/errors.js'
import type {ExportCounts, ExportData, ExportWhat} from '../../core/export/index.js'
import {serializeManifest} from '../../core/manifest.js'
import type {Manifest} from '../../domain/schemas.js'
import {serializeBundle} from '../../policy/store.js'
import {count} from '../../util/text.js'
import {chooseFormat, requireFormat, type OutputFormat, type Written} from '../output.js'
import {csv, yaml} from '../render.js'
import {renderDependents} from './dependents.js'
import {renderList} from './list.js'
import {EXPORT_FORMATS as GRAPH_FORMATS} from '../../graph/export/index.js'

const LIST_LIKE = ['json', 'yaml', 'csv'] as const

/** the forms of each --what; the first is the default */
export const EXPORT_FORMATS_OF: Record<ExportWhat, readonly OutputFormat[]> = {
  sbom: ['cyclonedx', 'json'],
  graph: ['json', ...GRAPH_FORMATS.filter((f) => f !== 'json')],
  list: LIST_LIKE,
  dependents: LIST_LIKE,
  manifests: LIST_LIKE,
  bundles: LIST_LIKE,
}

/** --format (checked against what the export has) or the --output extension, else the default; an SBOM's `json` is `cyclonedx` */
export function chooseExportFormat(what: ExportWhat, flag: string | undefined, output: string | undefined): OutputFormat {
  const formats = EXPORT_FORMATS_OF[what]
  const f = flag ? requireFormat(formats, flag) : chooseFormat(formats, undefined, output)
  return what === 'sbom' ? 'cyclonedx' : f
}

export const ALL_EXPORT_FORMATS = [...new Set(Object.values(EXPORT_FORMATS_OF).flat())] as OutputFormat[]

/** one file's worth: `name` is its file name in --output-dir */
export interface ExportDoc {
  name: string
  text: string
  project?: string
}

const EXT: Partial<Record<OutputFormat, string>> = {cyclonedx: 'cdx.json', json: 'json', yaml: 'yaml', csv: 'csv', cypher: 'cypher', graphml: 'graphml', gexf: 'gexf', dot: 'dot'}

/** names made unique: a second `api` becomes `api-2` */
function uniqueNames<T extends {name: string}>(docs: T[]): T[] {
  const seen = new Map<string, number>()
  return docs.map((d) => {
    const n = (seen.get(d.name) ?? 0) + 1
    seen.set(d.name, n)
    return n === 1 ? d : {...d, name: d.name.replace(/(\.[^/]+)$/, `-${n}$1`)}
  })
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'project'

/** the manifests' packages, one row per project and package */
export function manifestsCsv(ms: {project: string; path: string; value: Manifest}[]): string {
  const cols = ['project', 'path', 'environment', 'id', 'version', 'required_version', 'integrity', 'transitive'] as const
  return csv([...cols], ms.flatMap((m) => m.value.packages.map((p) => [m.project, m.path, m.value.environment, p.id, p.version, p.required_version, p.integrity, p.transitive])))
}

function bundlesCsv(d: Extract<ExportData, {what: 'bundles'}>): string {
  return csv(['bundle', 'enforcement', 'teams', 'id', 'version', 'tier', 'optional'], d.bundles.flatMap((b) => b.packages.map((p) => [b.id, b.enforcement, b.teams.join(';'), p.id, p.version, p.tier, p.optional])))
}

const bundleValues = async (d: Extract<ExportData, {what: 'bundles'}>) => Promise.all(d.bundles.map(async (b) => JSON.parse(await serializeBundle(b, 'json')) as unknown))

async function listLike(value: unknown, format: OutputFormat): Promise<string> {
  return format === 'yaml' ? yaml(value) : JSON.stringify(value, null, 2) + '\n'
}

/** the one document of an export (--output FILE, or stdout) */
async function single(d: ExportData, format: OutputFormat): Promise<string> {
  switch (d.what) {
    case 'list':
      return renderList(d.rows, format as 'json')
    case 'dependents':
      return renderDependents(d.result, format as 'json')
    case 'manifests':
      if (format === 'csv') return manifestsCsv(d.manifests)
      return d.manifests.length === 1 ? serializeManifest(d.manifests[0]!.value, format as 'json') : listLike(d.manifests.map((m) => m.value), format)
    case 'bundles':
      return format === 'csv' ? bundlesCsv(d) : listLike(await bundleValues(d), format)
    case 'graph':
      return d.graph.content
    case 'sbom':
      if (d.sboms.length !== 1) {
        throw new PacksError('E_USAGE', `${count(d.sboms.length, 'project')} to export: an SBOM describes one project`, {hint: 'Name one with --project DIR, or write one file per project with --all --output-dir DIR.'})
      }
      return d.sboms[0]!.value.text
  }
}

/** one document per project (SBOMs, manifests) or bundle, for --output-dir */
async function perItem(d: ExportData, format: OutputFormat): Promise<ExportDoc[]> {
  const ext = EXT[format] ?? format
  if (d.what === 'sbom') return d.sboms.map((s) => ({name: `${safe(s.project)}.${ext}`, text: s.value.text, project: s.path}))
  if (d.what === 'manifests' && format !== 'csv') return Promise.all(d.manifests.map(async (m) => ({name: `${safe(m.project)}.manifest.${ext}`, text: await serializeManifest(m.value, format as 'json'), project: m.path})))
  if (d.what === 'bundles' && format !== 'csv') return Promise.all(d.bundles.map(async (b) => ({name: `${safe(b.id)}.${ext}`, text: await serializeBundle(b, format as 'json')})))
  return [{name: `${d.what}.${ext}`, text: await single(d, format)}]
}

export async function exportDocuments(d: ExportData, format: OutputFormat, perFile: boolean): Promise<ExportDoc[]> {
  if (perFile) return uniqueNames(await perItem(d, format))
  return [{name: '', text: await single(d, format)}]
}

export function renderExportSummary(r: {what: ExportWhat; format: string; files: Written[]; counts: ExportCounts}): string {
  const c = r.counts
  const parts = [
    c.projects !== undefined && count(c.projects, 'project'),
    c.bundles !== undefined && count(c.bundles, 'bundle'),
    c.components !== undefined && count(c.components, 'component'),
    c.dependencies !== undefined && count(c.dependencies, 'dependency', 'dependencies'),
    c.vulnerabilities !== undefined && count(c.vulnerabilities, 'vulnerability', 'vulnerabilities'),
    c.nodes !== undefined && count(c.nodes, 'node'),
    c.relationships !== undefined && count(c.relationships, 'relationship'),
    c.rows !== undefined && count(c.rows, 'row'),
  ].filter(Boolean)
  return [`exported ${r.what} (${r.format}): ${parts.join(', ')}`, ...r.files.map((f) => `  ${f.file} (${f.bytes} bytes)`)].join('\n')
}
