import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, rootFlag} from '../../src/cli/flags.js'
import {color} from '../../src/cli/render.js'
import {projectTree, type TreeNode, type TreeResult} from '../../src/core/tree.js'

function label(n: TreeNode): string {
  const base = `${n.id} ${n.version ?? ''}`.trimEnd()
  if (n.missing) return `${n.id} ${color.red('(missing: not in the lockfile)')}`
  if (n.cycle) return `${base} ${color.yellow('(cycle)')}`
  if (n.shared) return `${base} ${color.dim('(shared, shown once)')}`
  if (n.truncated) return `${base} ${color.dim('(...)')}`
  return base
}

export function drawTree(nodes: TreeNode[], prefix = ''): string[] {
  const lines: string[] = []
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1
    lines.push(`${prefix}${last ? '└── ' : '├── '}${label(n)}`)
    lines.push(...drawTree(n.dependencies, prefix + (last ? '    ' : '│   ')))
  })
  return lines
}

function count(nodes: TreeNode[], ids = new Set<string>()): Set<string> {
  for (const n of nodes) {
    if (n.version !== null) ids.add(n.id)
    count(n.dependencies, ids)
  }
  return ids
}

export default class Tree extends PacksCommand {
  static override summary = "Show a project's resolved dependency tree."
  static override description =
    'Every package the project locks, nested under what requires it, from the direct requirements in ggen.toml down. A subtree that appears several times is drawn once, at its shallowest place, and marked "shared" elsewhere; cycles and packages missing from the lockfile are marked. --json nests {id, version, dependencies: [...]} with `shared`, `cycle`, `missing` and `truncated` set where they apply.'
  static override flags = {
    project: Flags.directory({char: 'C', summary: 'Project directory (holds ggen.toml).', default: '.', helpValue: 'DIR'}),
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
    const head = `${color.bold(r.project.name)} ${color.dim(r.project.path)}`
    if (r.dependencies.length === 0) {
      this.out(`${head}\n(no dependencies: ggen.toml requires no packs; add one with \`ggen packs install <id>\`)`)
    } else {
      const n = count(r.dependencies).size
      this.out([head, ...drawTree(r.dependencies), color.dim(`${n} package${n === 1 ? '' : 's'}, ${r.dependencies.length} direct${flags.depth ? ` (depth ${flags.depth})` : ''}`)].join('\n'))
    }
    return r
  }
}
