/**
 * `packs manifest generate <env>`: the manifest of one project (--project) or of every known
 * project tagged `[project] environment = "<env>"` (--all, alias --all-projects; the default when
 * run outside a project folder with no --project), from their lockfiles:
 * exact versions + integrities, transitive dependencies included. Reads only; writes the
 * manifest file when asked (-o).
 */
import {count} from '../util/text.js'
import {basename, resolve} from 'node:path'
import {audited, currentUser} from '../audit/log.js'
import {PacksError} from '../domain/errors.js'
import type {Manifest} from '../domain/schemas.js'
import {lockfilePath} from '../formats/lockfile.js'
import {projectFilePath} from '../formats/project-toml.js'
import {readProjectState, scanWorkspace} from '../workspace/projects.js'
import {isProjectDir} from './analysis/graph.js'
import type {PacksContext} from './context.js'
import {goneWarning, splitGone} from './workspace-graph.js'
import {buildManifest, ENV_NAME_RE, formatFromPath, writeManifestFile, type ManifestFormat, type ManifestSourceProject} from './manifest.js'

export interface GenerateManifestOptions {
  environment: string
  /** one project (default: the current directory when it is a project) */
  projectDir?: string
  /** every known project tagged with the environment (the default outside a project folder) */
  allProjects?: boolean
  /** extra directory trees to scan for projects (with allProjects) */
  roots?: string[]
  /** pin every entry (required_version = exact version) and stamp metadata.locked_at */
  lockAll?: boolean
  /** write the manifest here (format from the extension unless `format`) */
  out?: string
  format?: ManifestFormat
  team?: string
  description?: string
  now?: string
}

export interface GenerateManifestResult {
  manifest: Manifest
  file: string | null
  projects: string[]
}

function readOne(dir: string): ManifestSourceProject {
  const abs = resolve(dir)
  const {config, lock} = readProjectState(abs)
  if (lock === null) {
    throw new PacksError('E_NO_PROJECT', `${abs} has no lockfile (${lockfilePath(abs)})${config ? '' : ` and no ${basename(projectFilePath(abs))}`}`, {
      file: lockfilePath(abs),
      hint: config ? `Install the project first: ggen packs install --project ${abs}` : 'Run the command in a project directory, or pass --project DIR.',
    })
  }
  return {path: abs, config, lock}
}

/** generate, audited (action manifest-generate) */
export async function generateManifest(ctx: PacksContext, o: GenerateManifestOptions): Promise<GenerateManifestResult> {
  return audited(ctx, {action: 'manifest-generate', ...(o.team ? {team: o.team} : {})}, () => generate(ctx, o), (r) => ({
    details: `${r.manifest.environment} manifest, ${count(r.manifest.packages.length, 'package')} from ${count(r.projects.length, 'project')}${r.file ? ` -> ${r.file}` : ' (stdout)'}${r.manifest.metadata.locked_at ? ', locked' : ''}`,
    affected: r.manifest.packages.map((p) => `${p.id}@${p.version ?? p.required_version}`),
  }))
}

async function generate(ctx: PacksContext, o: GenerateManifestOptions): Promise<GenerateManifestResult> {
  if (!ENV_NAME_RE.test(o.environment)) {
    throw new PacksError('E_USAGE', `\`${o.environment}\` is not an environment name (letters, digits, . _ -)`, {hint: 'Example: ggen packs manifest generate prod'})
  }
  let projects: ManifestSourceProject[]
  if (o.allProjects || (o.projectDir === undefined && !isProjectDir(resolve('.')))) {
    const scan = scanWorkspace(ctx.paths, o.roots ?? [])
    const {problems, gone} = splitGone(scan.projects.filter((p) => p.error).map((p) => ({path: p.path, ...p.error!})))
    for (const p of problems) ctx.warn(`${p.path}: ${p.message} (skipped)`)
    const goneText = goneWarning(gone)
    if (goneText) ctx.warn(goneText)
    const tagged = scan.projects.filter((p) => !p.error && p.config?.project.environment === o.environment)
    if (tagged.length === 0) {
      const envs = [...new Set(scan.projects.map((p) => p.config?.project.environment).filter((e): e is string => !!e))].sort()
      throw new PacksError('E_NOT_FOUND', `no known project is tagged with environment \`${o.environment}\` (${scan.projects.length} project(s) known)`, {
        hint: `${envs.length ? `Environments in use: ${envs.join(', ')}. ` : ''}Tag a project in its ggen.toml ([project] environment = "${o.environment}"), add --root DIR to find more projects, or use --project DIR.`,
      })
    }
    projects = tagged.map((p) => {
      if (!p.lock) {
        throw new PacksError('E_NO_PROJECT', `${p.path} is tagged \`${o.environment}\` but has no lockfile`, {file: lockfilePath(p.path), hint: `Install it first: ggen packs install --project ${p.path}`})
      }
      return {path: p.path, config: p.config, lock: p.lock}
    })
  } else {
    projects = [readOne(o.projectDir ?? '.')]
  }
  const teams = [...new Set(projects.map((p) => p.config?.project.team ?? null))]
  const manifest = buildManifest(projects, {
    environment: o.environment,
    lockAll: !!o.lockAll,
    createdBy: currentUser(),
    team: o.team ?? (teams.length === 1 ? teams[0] : null),
    description: o.description ?? null,
    now: o.now,
  })
  let file: string | null = null
  if (o.out) {
    file = resolve(o.out)
    await writeManifestFile(file, manifest, o.format ?? formatFromPath(file))
  }
  return {manifest, file, projects: projects.map((p) => p.path)}
}
