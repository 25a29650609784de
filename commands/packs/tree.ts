import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, projectFlag, rootFlag} from '../../src/cli/flags.js'
import {renderTree} from '../../src/cli/views/tree.js'
import {projectTree, type TreeResult} from '../../src/core/tree.js'

export default class Tree extends PacksCommand {
  static override summary = "Show a project's resolved dependency tree."
  static override description =
    'Every package the project locks, nested under what requires it, from the direct requirements in ggen.toml down. A subtree that appears several times is drawn once, at its shallowest place, and marked "shared" elsewhere; cycles and packages missing from the lockfile are marked. --json nests {id, version, dependencies: [...]} with `shared`, `cycle`, `missing` and `truncated` set where they apply.'
  static override flags = {
    project: projectFlag,
    depth: Flags.integer({summary: 'Show this many levels (1 = direct dependencies only).', min: 1, helpValue: 'N'}),
    backend: backendFlag,
    root: rootFlag,
  }
  static override examples = [
    '<%= config.bin %> packs tree',
    '<%= config.bin %> packs tree --project ./billing-api --depth 2',
    "<%= config.bin %> packs tree --json | jq '.dependencies[].id'",
  ]

  async run(): Promise<TreeResult> {
    const {flags} = await this.parse(Tree)
    const r = await projectTree(contextFor(this), {project: flags.project, depth: flags.depth, backend: flags.backend, roots: flags.root})
    this.out(renderTree(r, flags.depth))
    return r
  }
}
