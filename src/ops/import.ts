/**
 * `packs import FILE`: bring a file into its canonical place, with a report of every entry.
 *   manifest  -> <--output-dir>/<environment>.<json|yaml> (canonical bytes: export -> import -> export is identical)
 *   bundle    -> $GGEN_HOME/bundles (the `bundle import` operation itself)
 *   lockfile  -> the project's .ggen/packs.lock, resolved against the configured registries, through
 *                the transaction (history generation, policy gate, undoable); roots become ggen.toml requirements
 *   registry  -> <--output-dir>/index.json (the registry writer of `registry build`, under its lock)
 * Every run but a dry run is audited as `import`, failures too. `--dry-run` writes nothing.
 */
import {appendAudit, audited} from '../audit/log.js'
import {dirname, join, resolve} from 'node:path'
import {loadCatalog, type PacksContext} from '../core/context.js'
import {detectKind, mapLockfile, mapRegistry, parseRaw, syntaxOf, type ImportKind, type ImportProblem, type ImportReport, type Syntax} from '../core/import-map.js'
import {formatFromPath, parseManifestText, serializeManifest} from '../core/manifest.js'
import {isPacksError, PacksError} from '../domain/errors.js'
import type {ProjectConfig, RegistryIndex} from '../domain/schemas.js'
import {readTextOrNull, writeFileAtomic} from '../formats/fs.js'
import {parseLegacyLockfileDetailed, resolveLocalVersions} from '../formats/legacy-lockfile.js'
import {withLock} from '../formats/lock.js'
import {serializeLockfile} from '../formats/lockfile.js'
import {parseProjectToml, projectFilePath} from '../formats/project-toml.js'
import {editProjectToml} from '../formats/project-toml-edit.js'
import {parseBundleText} from '../policy/store.js'
import {BUILD_LOCK, readIndex, writeRegistryIndex} from '../registry/build.js'
import {count} from '../util/text.js'
import {requireProjectDir} from '../workspace/project-dir.js'
import type {ProjectFiles} from '../workspace/history.js'
import {importBundle} from './bundle.js'
import {policyGate} from './policy-gate.js'
import {readProjectFiles, runTransaction} from './transaction.js'

export interface ImportOptions {
  kind?: ImportKind
  /** where a lockfile goes (default: the current folder) */
  project?: string
  /** where a registry or a manifest goes (default: the current folder) */
  outputDir?: string
  dryRun?: boolean
}

/** `packs import`: what was read, where it went, and the report of every entry */
export interface ImportResult {
  file: string
  kind: ImportKind
  /** the shape read (ggen.lock/v1, packs.lock, marketplace, v0-map, manifest, bundle, ...) */
  format: string
  /** the file written (or that would be) */
  target: string
  dryRun: boolean
  /** false for a dry run, and when the target already held these bytes */
  written: boolean
  /** an existing target was replaced (a lockfile: its old bytes are in history generation `generation`) */
  replaced: boolean
  /** the history generation a lockfile import made (null: none) */
  generation: number | null
  /** entries written to the canonical form */
  mapped: {id: string; version?: string}[]
  /** entries left out, each with its reason */
  notMapped: ImportProblem[]
  /** mapped entries of which something did not carry over */
  notes: ImportProblem[]
  /** ggen.toml requirements a lockfile import added (id -> range) */
  requirements: Record<string, string>
}

interface Read {
  file: string
  text: string
  syntax: Syntax
  kind: ImportKind
}

type Outcome = Omit<ImportResult, 'file' | 'kind' | 'dryRun' | 'mapped' | 'notMapped' | 'notes' | 'requirements'> & Partial<ImportResult> & {report: ImportReport}

async function readInput(file: string, kind: ImportKind | undefined): Promise<Read> {
  const text = readTextOrNull(file)
  if (text === null) throw new PacksError('E_NOT_FOUND', `${file}: no such file`, {file, hint: 'Check the path of the file to import.'})
  const syntax = syntaxOf(text, file)
  if (kind) return {file, text, syntax, kind}
  const raw = syntax === 'yaml' ? await parseYaml(text, file) : parseRaw(text, file, syntax)
  return {file, text, syntax, kind: detectKind(raw, file)}
}

async function parseYaml(text: string, file: string): Promise<unknown> {
  const {parse, YAMLParseError} = await import('yaml')
  try {
    return parse(text)
  } catch (error) {
    const pos = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : ''
    throw new PacksError('E_PARSE', `${file}: invalid YAML${pos}: ${(error as Error).message.split('\n')[0]}`, {file, hint: 'Fix the YAML syntax; nothing was changed.', cause: error})
  }
}

const summary = (r: ImportReport) => `${count(r.mapped.length, 'entry', 'entries')} mapped, ${r.notMapped.length} not mapped`

/** run one import; every failure of a real (not dry) run is audited */
export async function importFile(ctx: PacksContext, path: string, o: ImportOptions = {}): Promise<ImportResult> {
  const file = resolve(path)
  try {
    const input = await readInput(file, o.kind)
    const out = await IMPORTERS[input.kind](ctx, input, o)
    const {report, ...rest} = out
    return {file, kind: input.kind, dryRun: !!o.dryRun, ...report, requirements: {}, ...rest}
  } catch (error) {
    if (!o.dryRun && !(error as {audited?: boolean}).audited) auditFailure(ctx, file, error)
    throw error
  }
}

function auditFailure(ctx: PacksContext, file: string, error: unknown): void {
  try {
    appendAudit(ctx.paths, {action: 'import', details: `import ${file}: ${isPacksError(error) ? `[${error.code}] ` : ''}${(error as Error).message.split('\n')[0]}`, affected_packages: [], result: 'failure', project: null, machine: ctx.machine})
  } catch {
    // auditing a failure must not hide it
  }
}

/** mark an error the operation itself audited (the transaction, bundle import, audited()) */
async function selfAudited<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error && typeof error === 'object') Object.assign(error, {audited: true})
    throw error
  }
}

type Written = Pick<Outcome, 'target' | 'written' | 'replaced'>

/** run a write of a file outside any project, audited (success and failure) */
const auditedWrite = (ctx: PacksContext, r: Omit<Outcome, keyof Written | 'generation'>, write: () => Written): Promise<Outcome> =>
  selfAudited(() =>
    audited(ctx, {action: 'import', affected: r.report.mapped.map((m) => m.id)}, () => ({...r, ...write(), generation: null}), (x) => `import ${x.format} -> ${x.target}: ${summary(x.report)}${x.written ? '' : ' (no change)'}`),
  )

/** put `text` at `target` unless it holds those bytes already */
function putText(target: string, text: string): Written {
  const old = readTextOrNull(target)
  if (old !== text) writeFileAtomic(target, text)
  return {target, written: old !== text, replaced: old !== null && old !== text}
}

// ---------------------------------------------------------------- manifest

async function importManifest(ctx: PacksContext, input: Read, o: ImportOptions): Promise<Outcome> {
  const manifest = await parseManifestText(input.text, input.file)
  const format = formatFromPath(input.file)
  const target = join(resolve(o.outputDir ?? '.'), `${manifest.environment}.${format}`)
  const old = readTextOrNull(target)
  const text = await serializeManifest(manifest, format)
  if (old !== null && old !== text) {
    throw new PacksError('E_USAGE', `${target} exists with other content; nothing was written`, {file: target, hint: `Compare them with \`ggen packs manifest compare ${target} ${input.file}\`; import into another folder with --output-dir DIR, or remove ${target} first.`})
  }
  const report: ImportReport = {mapped: manifest.packages.map((p) => ({id: p.id, ...(p.version ? {version: p.version} : {})})), notMapped: [], notes: []}
  const r = {format: `manifest/${format}`, report}
  if (o.dryRun) return {...r, target, written: false, replaced: old !== null && old !== text, generation: null}
  return auditedWrite(ctx, r, () => putText(target, text))
}

// ---------------------------------------------------------------- bundle

async function importBundleFile(ctx: PacksContext, input: Read, o: ImportOptions): Promise<Outcome> {
  const bundle = await parseBundleText(input.text, input.file)
  const report: ImportReport = {mapped: bundle.packages.map((p) => ({id: p.id, version: p.version})), notMapped: [], notes: []}
  const base = {format: `bundle/${input.syntax}`, report, generation: null}
  if (o.dryRun) return {...base, target: join(ctx.paths.bundles, `${bundle.id}.toml`), written: false, replaced: false}
  const r = await selfAudited(() => importBundle(ctx, input.file))
  return {...base, target: r.file, written: true, replaced: r.replaced}
}

// ---------------------------------------------------------------- lockfile

/** ggen.toml with the lockfile's roots as requirements (existing requirements are kept as they are) */
function withRoots(dir: string, toml: string | null, roots: {id: string; range: string}[]): {toml: string | null; added: Record<string, string>} {
  const file = projectFilePath(dir)
  const cfg = (toml === null ? {project: {name: dir.split('/').pop() || 'project'}, packs: {}, extra: {}} : parseProjectToml(toml, file, dir.split('/').pop())) as ProjectConfig
  const added: Record<string, string> = {}
  for (const r of roots) {
    if (cfg.packs[r.id]) continue
    cfg.packs[r.id] = {version: r.range, optional: false, tier: 'required'}
    added[r.id] = r.range
  }
  return {toml: Object.keys(added).length || toml === null ? editProjectToml(toml, cfg, file) : toml, added}
}

async function importLockfile(ctx: PacksContext, input: Read, o: ImportOptions): Promise<Outcome> {
  const read = resolveLocalVersions(parseLegacyLockfileDetailed(input.text, input.file, ctx.warn), dirname(input.file), ctx.warn)
  const catalog = await loadCatalog(ctx)
  const m = mapLockfile(read, catalog, input.file, new Date().toISOString())
  const dir = requireProjectDir(o.project ?? '.')
  let requirements: Record<string, string> = {}
  const plan = (before: ProjectFiles): ProjectFiles => {
    const t = withRoots(dir, before.toml, m.roots)
    requirements = t.added
    const stale = Object.keys(parseProjectToml(t.toml!, projectFilePath(dir)).packs).filter((id) => !m.lock.packs[id])
    if (stale.length) ctx.warn(`${projectFilePath(dir)} requires ${stale.join(', ')}, which the imported lockfile does not lock; run \`ggen packs install --project ${dir}\``)
    return {toml: t.toml, lock: serializeLockfile(m.lock)}
  }
  const gate = policyGate(ctx, {mode: 'enforce', catalog: () => loadCatalog(ctx)})
  const base = {format: read.format, report: m.report, target: join(dir, '.ggen', 'packs.lock')}
  if (o.dryRun) {
    const before = readProjectFiles(dir)
    const after = plan(before)
    await gate({dir, before, after})
    return {...base, written: false, replaced: before.lock !== null, generation: null, requirements}
  }
  let replaced = false
  const r = await selfAudited(() =>
    runTransaction(ctx.paths, dir, {action: 'import', machine: ctx.machine, gate}, async (txn) => {
      replaced = txn.before.lock !== null
      return {after: plan(txn.before), details: `import ${input.file} (${read.format}): ${summary(m.report)}${m.report.notMapped.length ? ` (${m.report.notMapped.map((p) => `${p.id}: ${p.reason}`).join(', ')})` : ''}`, affected: m.report.mapped.map((e) => e.id), result: {}}
    }),
  )
  return {...base, written: r.changed, replaced: replaced && r.changed, generation: r.generation, requirements}
}

// ---------------------------------------------------------------- registry

/** the imported index merged into the one in the folder (a version published there already is kept) */
function mergeInto(existing: RegistryIndex, imported: RegistryIndex, report: ImportReport, file: string): RegistryIndex {
  for (const [id, p] of Object.entries(imported.packages)) {
    const have = existing.packages[id]
    if (!have) {
      existing.packages[id] = p
      continue
    }
    for (const [ver, v] of Object.entries(p.versions)) {
      const prev = have.versions[ver]
      if (prev && prev.integrity !== v.integrity) {
        report.notMapped.push({id, version: ver, reason: 'bad-integrity', file, field: `packages.${id}.versions.${ver}.integrity`, message: `${id}@${ver} is in the target registry already with integrity ${prev.integrity ?? '(none)'}; kept (published versions never change)`})
        report.mapped = report.mapped.filter((e) => !(e.id === id && e.version === ver))
      } else if (!prev) have.versions[ver] = v
    }
  }
  existing.updated_at = imported.updated_at ?? existing.updated_at
  return existing
}

async function importRegistry(ctx: PacksContext, input: Read, o: ImportOptions): Promise<Outcome> {
  if (!o.outputDir) throw new PacksError('E_USAGE', 'importing a registry index needs --output-dir DIR (the registry folder to write index.json into)', {hint: `Try: ggen packs import ${input.file} --output-dir ./registry`})
  if (input.syntax === 'yaml') throw new PacksError('E_SCHEMA', `${input.file}: a registry index is JSON or TOML`, {file: input.file, field: '(root)', hint: 'Pass index.json or packages.toml.'})
  const m = mapRegistry(parseRaw(input.text, input.file, input.syntax), input.file, input.syntax)
  const out = resolve(o.outputDir)
  const target = join(out, 'index.json')
  const r = {format: m.format, report: m.report}
  if (o.dryRun) return {...r, target, written: false, replaced: readTextOrNull(target) !== null, generation: null}
  return withLock(join(out, BUILD_LOCK), () =>
    auditedWrite(ctx, r, () => {
      const {index, existed} = readIndex(target)
      const old = readTextOrNull(target)
      writeRegistryIndex(target, mergeInto(index, m.index, m.report, input.file))
      const now = readTextOrNull(target)
      return {target, written: old !== now, replaced: existed && old !== now}
    }),
  )
}

const IMPORTERS: Record<ImportKind, (ctx: PacksContext, input: Read, o: ImportOptions) => Promise<Outcome>> = {
  manifest: importManifest,
  bundle: importBundleFile,
  lockfile: importLockfile,
  registry: importRegistry,
}
