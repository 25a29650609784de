/**
 * `packs dependents <id[@range]>`: every consumer of a package. Projects that lock it, direct and
 * transitive (`direct` narrows to those whose ggen.toml requires it), each with the version it
 * uses, whether it is direct, and the shortest path through which it comes in (AnalysisQueries.why
 * with one path); and packages whose versions declare a range on it (the graph's known versions, plus every
 * version in the configured registries). Filters by team, owner and machine. For outreach: one
 * message per consuming project from a template, saying what moving to a target version changes
 * for that project (the `packs impact` answer).
 */
import {mkdirSync} from 'node:fs'
import {basename, extname, join, resolve} from 'node:path'
import {PacksError} from '../domain/errors.js'
import type {PackageDependent, RequirersQuery, VersionRef, WhyProject} from '../graph/graph-store.js'
import {readTextOrNull, writeFileAtomic} from '../formats/fs.js'
import {byIdThenVersion, compareVersions, rangesIntersect, satisfies} from '../resolve/versions.js'
import type {Catalog} from '../registry/catalog.js'
import type {PacksContext} from './context.js'
import {machineNote, nearest, parsePackageSpec, withAnalysisGraph, type AnalysisGraph} from './analysis/graph.js'
import {impactFor, isLocked, locksOf, optionalCatalog, targetInfo, type ImpactProject} from './impact.js'

export interface DependentProject {
  project: {name: string; path: string; team: string | null; owner: string | null; machine?: string}
  version: string
  /** the project's ggen.toml requires it */
  direct: boolean
  /** the direct dependency that pulls it in (first step of `path`); null when direct, or when no path reaches it */
  via: VersionRef | null
  /** the shortest path from a direct dependency to the package, both ends included: [the package] when direct, [] when locked but unreachable */
  path: VersionRef[]
}

export interface DependentsResult {
  package: string
  /** the @range asked for, if any */
  range: string | null
  projects: DependentProject[]
  /** versions of other packages that declare a range on it (graph and registries), by id, semver */
  packages: PackageDependent[]
  /** adoption: how many of the listed projects use each version, by semver */
  versions: {version: string; projects: number}[]
  /** versions in use that are deprecated or yanked (the registries' word with the overlays on top): what to tell the projects */
  notices: VersionNotice[]
  /** where --notify-template wrote the messages */
  notifications?: {to: string; dir: string; files: {project: string; file: string}[]}
}

export interface VersionNotice {
  version: string
  deprecated: string | null
  replacement: string | null
  yanked: boolean
  /** listed projects that use it */
  projects: number
}

export interface NotifyOptions {
  /** template file with {{placeholders}} */
  template: string
  /** directory for the messages (default ./ggen-notify-<id>) */
  dir?: string
  /** version to move to (default: the registry's latest) */
  to?: string
}

export interface DependentsOptions {
  /** only projects whose ggen.toml requires the package (default: every consumer, direct and transitive) */
  direct?: boolean
  team?: string
  owner?: string
  machine?: string
  backend?: string
  roots?: string[]
  /** also list registry versions that depend on it (default true; needs a registry) */
  registry?: boolean
  notify?: NotifyOptions
}

export const PLACEHOLDERS = ['package', 'project', 'path', 'team', 'owner', 'machine', 'version', 'to', 'direct', 'via', 'breaks', 'reasons', 'changes'] as const

export const refText = (v: VersionRef): string => `${v.id}@${v.version}`

/** the "what changes" text of one project's message; pure */
export function changesText(id: string, to: string, d: DependentProject, i: ImpactProject | undefined): string {
  const how = d.direct ? 'required directly in ggen.toml' : d.via ? `a transitive dependency, through ${d.via.id} ${d.via.version}` : 'a transitive dependency'
  const lines = [`- ${id}: ${d.version} -> ${to}${d.version === to ? ' (already there)' : ''} (${how})`]
  if (i) {
    if (i.breaks) for (const r of i.reasons) lines.push(`- breaks: ${r.requirer} requires ${id} ${r.range}, which ${to} does not satisfy`)
    else lines.push(`- nothing in this project's ranges blocks ${to}`)
    for (const m of i.moves) lines.push(m.locked === null ? `- adds ${m.id} ${m.range}` : `- also moves ${m.id} from ${m.locked} (${to} needs ${m.range})`)
  }
  return lines.join('\n')
}

export function fillTemplate(template: string, values: Record<string, string>): {text: string; unknown: string[]} {
  const unknown = new Set<string>()
  const text = template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
    if (name in values) return values[name]!
    unknown.add(name)
    return whole
  })
  return {text, unknown: [...unknown].sort()}
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'project'

async function writeNotifications(ctx: PacksContext, g: AnalysisGraph, r: DependentsResult, q: RequirersQuery, n: NotifyOptions): Promise<NonNullable<DependentsResult['notifications']>> {
  const template = readTextOrNull(resolve(n.template))
  if (template === null) {
    throw new PacksError('E_NOT_FOUND', `template ${resolve(n.template)} does not exist`, {
      hint: `Write one with placeholders such as {{project}}, {{owner}}, {{version}}, {{to}}, {{changes}} (all: ${PLACEHOLDERS.join(', ')}).`,
    })
  }
  const catalog = await optionalCatalog(ctx, 'messages cannot say what the target version changes')
  const to = n.to ?? catalog?.latest(r.package)?.version
  if (!to) throw new PacksError('E_USAGE', `no version to move to: give --to VERSION`, {hint: `ggen packs dependents ${r.package} --notify-template msg.txt --to 2.0.0`})
  const t = targetInfo(catalog, r.package, to)
  const uses = (await g.store.requirers(r.package, q)).filter(isLocked)
  const locks = await locksOf(g.store, Object.keys(t.dependencies ?? {}), q)
  const impact = new Map(uses.map((u) => [u.project.path + '\0' + u.project.machine, impactFor(u, t, locks, true)]))
  const dir = resolve(n.dir ?? `ggen-notify-${safeName(r.package)}`)
  mkdirSync(dir, {recursive: true})
  const ext = extname(n.template) || '.txt'
  const used = new Set<string>()
  const files: {project: string; file: string}[] = []
  const unknown = new Set<string>()
  for (const d of r.projects) {
    const i = impact.get(d.project.path + '\0' + (d.project.machine ?? ctx.machine)) ?? [...impact.values()].find((x) => x.project.path === d.project.path)
    const values: Record<string, string> = {
      package: r.package,
      project: d.project.name,
      path: d.project.path,
      team: d.project.team ?? '',
      owner: d.project.owner ?? '',
      machine: d.project.machine ?? ctx.machine,
      version: d.version,
      to,
      direct: d.direct ? 'direct' : 'transitive',
      via: d.via ? refText(d.via) : '',
      breaks: i?.breaks ? 'yes' : 'no',
      reasons: (i?.reasons ?? []).map((x) => `${x.requirer} requires ${x.range}`).join('; '),
      changes: changesText(r.package, to, d, i),
    }
    const filled = fillTemplate(template, values)
    for (const u of filled.unknown) unknown.add(u)
    let name = safeName(basename(d.project.name))
    for (let k = 2; used.has(name); k++) name = `${safeName(d.project.name)}-${k}`
    used.add(name)
    const file = join(dir, name + ext)
    writeFileAtomic(file, filled.text)
    files.push({project: d.project.path, file})
  }
  if (unknown.size) ctx.warn(`the template uses unknown placeholders ${[...unknown].map((u) => `{{${u}}}`).join(', ')} (known: ${PLACEHOLDERS.join(', ')})`)
  return {to, dir, files}
}

/** a project that locks the package, as dependents shows it (why's shortest path) */
function dependentOf(w: WhyProject, withMachine: boolean): DependentProject {
  const path = w.paths[0] ?? []
  return {
    project: {name: w.project.name, path: w.project.path, team: w.project.team ?? null, owner: w.project.owner ?? null, ...(withMachine ? {machine: w.project.machine} : {})},
    version: w.version,
    direct: w.direct,
    via: !w.direct && path.length > 1 ? path[0]! : null,
    path,
  }
}

/** the deprecated or yanked versions among those in use: the catalog's word, else the graph's */
function noticesOf(id: string, used: {version: string; projects: number}[], catalog: Catalog | null, g: AnalysisGraph): VersionNotice[] {
  const rows = new Map((g.snapshot?.versions ?? []).filter((v) => v.id === id).map((v) => [v.version, v]))
  const out: VersionNotice[] = []
  for (const u of used) {
    const v = catalog?.version(id, u.version)
    const st = v ? {deprecated: v.deprecated ?? null, replacement: v.replacement ?? null, yanked: v.yanked} : {deprecated: rows.get(u.version)?.deprecated ?? null, replacement: null, yanked: rows.get(u.version)?.yanked ?? false}
    if (st.deprecated || st.yanked) out.push({version: u.version, ...st, projects: u.projects})
  }
  return out
}

export async function findDependents(ctx: PacksContext, spec: string, o: DependentsOptions = {}): Promise<DependentsResult> {
  const {id, range} = await parsePackageSpec(spec)
  return withAnalysisGraph(ctx, {backend: o.backend, roots: o.roots}, async (g) => {
    const multi = g.store.capabilities.scope === 'team'
    // every project locking it, with its shortest path (one path, counting stops at it)
    const lockers = await g.store.why(id, {machine: o.machine, limit: 1, cap: 1})
    const projects = lockers
      .filter((w) => (!o.direct || w.direct) && (!o.team || w.project.team === o.team) && (!o.owner || w.project.owner === o.owner) && (!range || satisfies(w.version, range)))
      .map((w) => dependentOf(w, multi))
    const d = await g.store.dependents(id, {range, machine: o.machine})
    // registry versions that declare a range on it, merged with the graph's
    const packages = new Map(d.packages.map((p) => [`${p.id}@${p.version}`, p]))
    const catalog = ctx.registries.length > 0 ? await optionalCatalog(ctx, 'dependent packages come from installed versions only') : null
    if (o.registry !== false) {
      for (const pkg of catalog?.all() ?? []) {
        for (const v of Object.values(pkg.versions)) {
          const r = v.dependencies[id]
          if (r === undefined || (range && !rangesIntersect(r, range))) continue
          const k = `${pkg.id}@${v.version}`
          if (!packages.has(k)) packages.set(k, {id: pkg.id, version: v.version, range: r})
        }
      }
    }
    const counts = new Map<string, number>()
    for (const p of projects) counts.set(p.version, (counts.get(p.version) ?? 0) + 1)
    const result: DependentsResult = {
      package: id,
      range: range ?? null,
      projects,
      packages: [...packages.values()].sort((a, b) => byIdThenVersion(a, b) || compareVersions(a.range, b.range)),
      versions: [...counts].sort(([a], [b]) => compareVersions(a, b)).map(([version, n]) => ({version, projects: n})),
      notices: [],
    }
    result.notices = noticesOf(id, result.versions, catalog, g)
    const note = projects.length === 0 ? await machineNote(g, o.machine) : null
    if (note) ctx.warn(note)
    else if (projects.length === 0 && result.packages.length === 0) {
      const known = new Set<string>()
      for (const p of g.snapshot?.projects ?? []) for (const l of p.locks) known.add(l.id)
      const near = nearest(id, known).filter((x) => x !== id)
      if (!known.has(id) && near.length) ctx.warn(`nothing uses ${id}; did you mean ${near.join(', ')}?`)
    }
    if (o.notify) {
      if (projects.length === 0) ctx.warn(`no consuming project: no message written`)
      else result.notifications = await writeNotifications(ctx, g, result, {team: o.team, owner: o.owner, machine: o.machine}, o.notify)
    }
    return result
  })
}

