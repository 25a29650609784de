import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {serializeManifest, type ManifestFormat} from '../../../src/core/manifest.js'
import {generateManifest} from '../../../src/core/manifest-generate.js'
import type {Manifest} from '../../../src/domain/schemas.js'

export default class ManifestGenerate extends PacksCommand {
  static override summary = 'Write the environment manifest of a project (or of every project tagged with the environment).'
  static override description =
    'The project in --project (default: the current folder), or with --all (alias --all-projects; the default outside a project folder) every known project tagged with the environment. Reads the lockfile(s) and records every package with its exact version and integrity, transitive dependencies included, plus who made it and when. Direct packages keep their ggen.toml range as required_version unless --lock-all pins everything to the exact version (and stamps metadata.locked_at). Without -o the manifest is printed to stdout.'
  static override args = {environment: Args.string({description: 'environment name (dev, staging, prod, ...)', required: true})}
  static override flags = {
    project: Flags.directory({char: 'C', summary: 'Project directory (default: the current directory).', helpValue: 'DIR', exclusive: ['all']}),
    all: Flags.boolean({
      summary: 'Every known project tagged `[project] environment = "<env>"` in its ggen.toml, merged (the default outside a project folder).',
      aliases: ['all-projects'],
      exclusive: ['project'],
    }),
    root: Flags.directory({summary: 'With --all: also scan this directory tree for projects. Repeatable.', multiple: true, helpValue: 'DIR', exclusive: ['project']}),
    'lock-all': Flags.boolean({summary: 'Pin every entry to its exact version (required_version = version) and stamp metadata.locked_at.'}),
    output: Flags.string({char: 'o', summary: 'Write the manifest to this file (YAML when it ends in .yaml/.yml).', helpValue: 'FILE'}),
    format: Flags.string({summary: 'Output format (default: from the -o extension, else json).', options: ['json', 'yaml']}),
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
      format: flags.format as ManifestFormat | undefined,
      team: flags.team,
      description: flags.description,
    })
    if (r.file) {
      const direct = r.manifest.packages.filter((p) => !p.transitive).length
      this.out(
        `${r.file}: ${r.manifest.environment} manifest, ${r.manifest.packages.length} package${r.manifest.packages.length === 1 ? '' : 's'} (${direct} direct, ${r.manifest.packages.length - direct} transitive) from ${r.projects.length === 1 ? r.projects[0] : `${r.projects.length} projects`}${r.manifest.metadata.locked_at ? ', locked' : ''}`,
      )
    } else if (!this.jsonEnabled()) {
      process.stdout.write(await serializeManifest(r.manifest, (flags.format as ManifestFormat | undefined) ?? 'json'))
    }
    return r.manifest
  }
}
