import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, rootFlag, scopeFlags} from '../../src/cli/flags.js'
import {renderEnvironment, renderPolicy, renderProject, renderProjects} from '../../src/cli/views/verify.js'
import {verifyProjects, type VerifyResult} from '../../src/core/verify.js'
import {verifyPolicy} from '../../src/core/policy-verify.js'
import {verifyAgainstManifest, verifyEnvironment} from '../../src/core/manifest-verify.js'

export default class Verify extends PacksCommand {
  static override summary = 'Check projects for consistency (CI gate: exit code 1 on problems); with --manifest, against an environment manifest.'
  static override description =
    'Without --manifest: the project (--project, default the current directory), or with --all every known project (the default outside a project folder), is checked: lockfile against ggen.toml, every range satisfied (naming requirer, range and locked version), integrity strings valid SRI, store entries present and unchanged (re-hashed; with --all only presence unless --deep), no dependency cycles, nothing locked that nothing needs, no yanked or deprecated versions, and version drift of a package across projects (--show-conflicts lists it). Errors give exit code 1, warnings only with --strict; --all over no project at all fails too (E_NO_PROJECT, exit 3), naming the machines the graph knows. With --manifest FILE: compare the project (--project, default the current directory) with the manifest and list every difference: packages missing or extra, other versions (newer/older), other integrities, store entries missing or changed. With --env NAME as well: every known project tagged `[project] environment = "NAME"` is compared with the manifest (validate staging against the prod manifest, say). Exit code 1 when anything differs.'
  static override flags = {
    // --- manifest mode (issue #5) ---
    manifest: Flags.file({summary: 'Environment manifest to verify against (JSON or YAML).', helpValue: 'FILE'}),
    project: {...scopeFlags.project, exclusive: ['env', 'all']},
    env: Flags.string({summary: 'Verify every known project tagged with this environment (needs --manifest).', helpValue: 'NAME', dependsOn: ['manifest'], exclusive: ['project']}),
    root: rootFlag,
    'skip-store': Flags.boolean({summary: 'Do not check the store entries (lockfile only).'}),
    // --- consistency mode (issue #4) ---
    all: {...scopeFlags.all, exclusive: ['project', 'manifest', 'env']},
    machine: {...machineFlag, exclusive: ['project', 'manifest']},
    'show-conflicts': Flags.boolean({summary: 'List the packages locked at different versions across projects.', exclusive: ['manifest']}),
    deep: Flags.boolean({summary: 'With --all, re-hash every store entry (slower).', exclusive: ['manifest']}),
    strict: Flags.boolean({summary: 'Warnings (deprecated, unreachable, drift, ...) fail verification too.', exclusive: ['manifest']}),
    backend: backendFlag,
    // --- policy mode (issue 10) ---
    policy: Flags.string({summary: 'Check projects against the team policy (FILE; no value: $GGEN_HOME/policy.toml) and their bound bundles; exit 1 on violations.', helpValue: '[FILE]', exclusive: ['manifest', 'env']}),
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
    '<%= config.bin %> packs verify --policy --all',
    '<%= config.bin %> packs verify --policy team-policy.toml --project ./billing-api --json',
  ]

  /** `--policy` may come without a value: it then means $GGEN_HOME/policy.toml */
  private withPolicyDefault(argv: string[]): string[] {
    return argv.flatMap((a, i) => (a === '--policy' && (i === argv.length - 1 || argv[i + 1]!.startsWith('-')) ? [`--policy=${this.paths.policy}`] : [a]))
  }

  async run(): Promise<VerifyResult> {
    const {flags} = await this.parse(Verify, this.withPolicyDefault(this.argv))
    const ctx = contextFor(this)

    if (flags.policy !== undefined) {
      const r = await verifyPolicy(ctx, {file: flags.policy, project: flags.project, all: flags.all, roots: flags.root})
      this.out(renderPolicy(r))
      if (!r.ok) this.findings()
      return r
    }

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
