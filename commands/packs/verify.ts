import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, rootFlag} from '../../src/cli/flags.js'
import {color} from '../../src/cli/render.js'
import {verifyProjects, type ProjectsVerifyResult, type ProjectVerification, type VerifyResult} from '../../src/core/verify.js'
import {verifyAgainstManifest, verifyEnvironment, type EnvironmentVerifyResult, type ManifestDifference, type ManifestVerifyResult} from '../../src/core/manifest-verify.js'

const SIGN: Record<ManifestDifference['kind'], string> = {missing: '-', extra: '+', version: '~', integrity: '!', 'store-missing': '!', 'store-corrupt': '!', unreadable: '!', interrupted: '!'}

function renderDifferences(diffs: ManifestDifference[], indent = '  '): string[] {
  return diffs.map((d) => `${indent}${d.kind === 'missing' || d.kind === 'version' ? color.yellow(SIGN[d.kind]) : d.kind === 'extra' ? color.cyan(SIGN[d.kind]) : color.red(SIGN[d.kind])} ${d.kind.padEnd(13)} ${d.message}`)
}

function renderProject(r: ManifestVerifyResult): string {
  const head = `${r.project}: ${r.ok ? color.green('matches') : color.red(`${r.differences.length} difference${r.differences.length === 1 ? '' : 's'} from`)} the ${r.environment} manifest (${r.checked} packages, ${r.manifest})`
  const tag = r.project_environment && r.project_environment !== r.environment ? [color.dim(`  (the project is tagged environment = "${r.project_environment}")`)] : []
  return [head, ...tag, ...renderDifferences(r.differences)].join('\n')
}

function renderEnvironment(r: EnvironmentVerifyResult): string {
  const lines = [`environment ${r.env}: ${r.projects.length} project${r.projects.length === 1 ? '' : 's'} against the ${r.environment} manifest (${r.manifest})`]
  for (const p of r.projects) {
    lines.push(`  ${p.project}: ${p.ok ? color.green('matches') : color.red(`${p.differences.length} difference${p.differences.length === 1 ? '' : 's'}`)}`)
    lines.push(...renderDifferences(p.differences, '    '))
  }
  const bad = r.projects.filter((p) => !p.ok).length
  lines.push(r.ok ? color.green('all projects match') : color.red(`${bad} of ${r.projects.length} project${r.projects.length === 1 ? '' : 's'} differ`))
  return lines.join('\n')
}

// --- consistency mode (issue #4): one project, or --all ---

function renderConsistency(p: ProjectVerification): string[] {
  const errors = p.problems.filter((x) => x.severity === 'error').length
  const warnings = p.problems.length - errors
  const state = p.ok ? color.green('ok') : color.red('FAILED')
  const counts = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')
  return [
    `${p.project.name} ${color.dim(p.project.path)}: ${state}${counts ? ` (${counts})` : ''}`,
    ...p.problems.map((x) => `  ${x.severity === 'error' ? color.red('x') : color.yellow('!')} ${x.code.padEnd(19)} ${x.message}`),
  ]
}

function renderProjects(r: ProjectsVerifyResult, showConflicts: boolean): string {
  const lines: string[] = []
  const shown = r.mode === 'all' ? r.projects.filter((p) => p.problems.length > 0) : r.projects
  for (const p of shown) lines.push(...renderConsistency(p))
  if (r.drift.length) {
    const what = r.mode === 'all' ? 'across projects' : 'between this project and others'
    if (showConflicts) {
      lines.push(color.bold(`version drift ${what} (${r.drift.length} package${r.drift.length === 1 ? '' : 's'}):`))
      for (const d of r.drift) {
        const names = (ps: {name: string}[] = []) => (ps.length <= 3 ? ps.map((x) => x.name).join(', ') : `${ps.slice(0, 3).map((x) => x.name).join(', ')} +${ps.length - 3}`)
        const versions = d.versions.map((v) => `${v.version} (${v.projects ? names(v.projects) : `${v.count} project${v.count === 1 ? '' : 's'}`})`)
        lines.push(`  ${color.yellow('!')} ${d.id}: ${versions.join(', ')}`)
      }
    } else {
      lines.push(color.dim(`${r.drift.length} package${r.drift.length === 1 ? ' is' : 's are'} locked at different versions ${what} (--show-conflicts lists them)`))
    }
  }
  const s = r.summary
  const tail = `${s.projects} project${s.projects === 1 ? '' : 's'} checked: ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}`
  lines.push(r.ok ? color.green(`verified - ${tail}`) : color.red(`verification failed (${s.failing} project${s.failing === 1 ? '' : 's'}) - ${tail}`))
  return lines.join('\n')
}

export default class Verify extends PacksCommand {
  static override summary = 'Check projects for consistency (CI gate: exit code 1 on problems); with --manifest, against an environment manifest.'
  static override description =
    'Without --manifest: the project (--project, default the current directory), or with --all every known project (the default outside a project folder), is checked: lockfile against ggen.toml, every range satisfied (naming requirer, range and locked version), integrity strings valid SRI, store entries present and unchanged (re-hashed; with --all only presence unless --deep), no dependency cycles, nothing locked that nothing needs, no yanked or deprecated versions, and version drift of a package across projects (--show-conflicts lists it). Errors give exit code 1, warnings only with --strict; --all over no project at all fails too (E_NO_PROJECT, exit 3), naming the machines the graph knows. With --manifest FILE: compare the project (--project, default the current directory) with the manifest and list every difference: packages missing or extra, other versions (newer/older), other integrities, store entries missing or changed. With --env NAME as well: every known project tagged `[project] environment = "NAME"` is compared with the manifest (validate staging against the prod manifest, say). Exit code 1 when anything differs.'
  static override flags = {
    // --- manifest mode (issue #5) ---
    manifest: Flags.file({summary: 'Environment manifest to verify against (JSON or YAML).', helpValue: 'FILE'}),
    project: Flags.directory({char: 'C', summary: 'Project directory (default: the current directory).', helpValue: 'DIR', exclusive: ['env']}),
    env: Flags.string({summary: 'Verify every known project tagged with this environment (needs --manifest).', helpValue: 'NAME', dependsOn: ['manifest'], exclusive: ['project']}),
    root: rootFlag,
    'skip-store': Flags.boolean({summary: 'Do not check the store entries (lockfile only).'}),
    // --- consistency mode (issue #4) ---
    all: Flags.boolean({summary: 'Verify every known project (and those under --root); the default outside a project folder.', exclusive: ['project', 'manifest', 'env']}),
    machine: {...machineFlag, exclusive: ['project', 'manifest']},
    'show-conflicts': Flags.boolean({summary: 'List the packages locked at different versions across projects.', exclusive: ['manifest']}),
    deep: Flags.boolean({summary: 'With --all, re-hash every store entry (slower).', exclusive: ['manifest']}),
    strict: Flags.boolean({summary: 'Warnings (deprecated, unreachable, drift, ...) fail verification too.', exclusive: ['manifest']}),
    backend: backendFlag,
  }
  static override examples = [
    '<%= config.bin %> packs verify --manifest prod.json',
    '<%= config.bin %> packs verify --manifest prod.json --project ./api --json',
    '<%= config.bin %> packs verify --manifest prod.json --env staging   # staging projects vs the prod manifest',
    '<%= config.bin %> packs verify',
    '<%= config.bin %> packs verify --project ./billing-api --json',
    '<%= config.bin %> packs verify --all --show-conflicts',
    '<%= config.bin %> packs verify --all --deep --strict   # CI: fail on anything',
    '<%= config.bin %> packs verify --all --backend neo4j --machine build-01',
  ]

  async run(): Promise<VerifyResult> {
    const {flags} = await this.parse(Verify)
    const ctx = contextFor(this)

    if (flags.manifest) {
      const checkStore = !flags['skip-store']
      if (flags.env) {
        const r = await verifyEnvironment(ctx, {env: flags.env, manifestFile: flags.manifest, roots: flags.root, checkStore})
        this.out(renderEnvironment(r))
        if (!r.ok) this.findings()
        return r
      }
      const r = await verifyAgainstManifest(ctx, {manifestFile: flags.manifest, projectDir: flags.project ?? '.', checkStore})
      this.out(renderProject(r))
      if (!r.ok) this.findings()
      return r
    }

    // consistency of one project (default: the current directory) or of every project
    const r = await verifyProjects(ctx, {project: flags.project, all: flags.all, machine: flags.machine, skipStore: flags['skip-store'], deep: flags.deep, strict: flags.strict, showConflicts: flags['show-conflicts'], backend: flags.backend, roots: flags.root})
    this.out(renderProjects(r, flags['show-conflicts']))
    if (!r.ok) this.findings()
    return r
  }
}
