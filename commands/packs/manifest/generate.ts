import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {scopeFlags} from '../../../src/cli/flags.js'
import {formatFlag, outputFlag} from '../../../src/cli/output.js'
import {MANIFEST_FORMATS, renderGenerated} from '../../../src/cli/views/manifest.js'
import {serializeManifest} from '../../../src/core/manifest.js'
import {generateManifest} from '../../../src/core/manifest-generate.js'
import type {Manifest} from '../../../src/domain/schemas.js'

export default class ManifestGenerate extends PacksCommand {
  static override summary = 'Write the environment manifest of a project (or of every project tagged with the environment).'
  static override description =
    'The project in --project (default: the current folder), or with --all (alias --all-projects; the default outside a project folder) every known project tagged with the environment. Reads the lockfile(s) and records every package with its exact version and integrity, transitive dependencies included, plus who made it and when. Direct packages keep their ggen.toml range as required_version unless --lock-all pins everything to the exact version (and stamps metadata.locked_at). Without -o the manifest is printed to stdout.'
  static override args = {environment: Args.string({description: 'environment name (dev, staging, prod, ...)', required: true})}
  static override flags = {
    project: scopeFlags.project,
    all: {...scopeFlags.all, summary: 'Every known project tagged `[project] environment = "<env>"` in its ggen.toml, merged (the default outside a project folder; also --all-projects).'},
    root: Flags.directory({summary: 'With --all: also scan this directory tree for projects. Repeatable.', multiple: true, helpValue: 'DIR', exclusive: ['project']}),
    'lock-all': Flags.boolean({summary: 'Pin every entry to its exact version (required_version = version) and stamp metadata.locked_at.'}),
    output: {...outputFlag, summary: 'Write the manifest to this file (YAML when it ends in .yaml/.yml).'},
    format: formatFlag(MANIFEST_FORMATS, 'Output form: json or yaml (default: from the --output extension, else json).'),
    team: Flags.string({summary: 'metadata.team (default: the projects\' common [project] team).'}),
    description: Flags.string({summary: 'metadata.description.'}),
  }
  static override examples = [
    '<%= config.bin %> packs manifest generate prod --lock-all -o prod.json',
    '<%= config.bin %> packs manifest generate staging --project ./api > staging.json',
    '<%= config.bin %> packs manifest generate prod --all-projects --root ~/work --lock-all -o prod.yaml',
    '<%= config.bin %> packs manifest generate dev --json | jq \'.packages[] | select(.transitive)\'',
  ]

  async run(): Promise<Manifest> {
    const {args, flags} = await this.parse(ManifestGenerate)
    const ctx = contextFor(this)
    const r = await generateManifest(ctx, {
      environment: args.environment,
      projectDir: flags.project,
      allProjects: flags.all,
      roots: flags.root,
      lockAll: flags['lock-all'],
      out: flags.output,
      format: flags.format,
      team: flags.team,
      description: flags.description,
    })
    if (r.file) this.out(renderGenerated({...r, file: r.file}))
    else if (!this.jsonEnabled()) process.stdout.write(await serializeManifest(r.manifest, flags.format ?? 'json'))
    return r.manifest
  }
}
