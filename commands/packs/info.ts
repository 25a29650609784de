import {Args, Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, machineFlag, registryFlags, rootFlag} from '../../src/cli/flags.js'
import {bytes, color, table} from '../../src/cli/render.js'
import {packageInfo, type InfoResult} from '../../src/core/info.js'

export default class Info extends PacksCommand {
  static override summary = 'Show a package: metadata, versions, dependencies, and who uses it.'
  static override args = {package: Args.string({description: 'package id, optionally @version or @range', required: true})}
  static override flags = {
    ...registryFlags,
    'include-dependents': Flags.boolean({summary: 'List the projects using this package and which version.'}),
    backend: backendFlag,
    machine: machineFlag,
    root: rootFlag,
  }
  static override examples = [
    '<%= config.bin %> packs info io.ggen.rust.cli',
    '<%= config.bin %> packs info io.ggen.rust.cli@1.2.0 --json',
    '<%= config.bin %> packs info io.ggen.web --include-dependents',
    '<%= config.bin %> packs info io.ggen.web --include-dependents --backend neo4j',
  ]

  async run(): Promise<InfoResult> {
    const {args, flags} = await this.parse(Info)
    const r = await packageInfo(contextFor(this, flags), args.package, {includeDependents: flags['include-dependents'], backend: flags.backend, machine: flags.machine, roots: flags.root})
    const lines = [
      `${color.bold(r.id)} ${r.version}${r.name !== r.id ? `  (${r.name})` : ''}`,
      r.description,
      '',
      `latest:     ${r.latest ?? '-'}`,
      `author:     ${r.author ?? '-'}`,
      `license:    ${r.license ?? '-'}`,
      `category:   ${r.category ?? '-'}`,
      `keywords:   ${r.keywords.join(', ') || '-'}`,
      `registry:   ${r.registry}`,
      ...(r.homepage ? [`homepage:   ${r.homepage}`] : []),
      ...(r.repository ? [`repository: ${r.repository}`] : []),
      '',
      color.bold(`dependencies of ${r.version}:`) + (r.dependencies.length ? '' : ' none'),
      ...r.dependencies.map((d) => `  ${d.id} ${d.range}`),
      '',
      table(
        ['VERSION', 'PUBLISHED', 'QUALITY', 'SIZE', 'STATE'],
        r.versions.map((v) => [v.version, v.published_at?.slice(0, 10) ?? '-', v.quality_score ?? '-', bytes(v.size), v.yanked ? color.red('yanked') : v.deprecated ? color.yellow(`deprecated: ${v.deprecated}`) : v.signed ? 'signed' : '']),
      ),
    ]
    if (r.dependents) {
      lines.push(color.bold(`used by ${r.dependents.length} project${r.dependents.length === 1 ? '' : 's'}:`))
      if (r.dependents.length) lines.push(table(['PROJECT', 'VERSION', 'DIRECT', 'PATH'], r.dependents.map((d) => [d.project.name, d.version, d.direct ? 'yes' : 'no', d.project.path])))
    }
    this.out(lines.join('\n'))
    return r
  }
}
