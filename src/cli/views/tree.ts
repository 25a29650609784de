/** `packs tree` for people: the nested tree with shared subtrees, cycles and missing packages marked */
import type {TreeNode, TreeResult} from '../../core/tree.js'
import {count} from '../../util/text.js'
import {color} from '../render.js'
import {scannedNote, securityMarker} from './security.js'

function label(n: TreeNode): string {
  const base = `${n.id} ${n.version ?? ''}`.trimEnd() + securityMarker(n.security)
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

/** the keys of the nodes `key` names (null: skip), anywhere in the tree */
function keysIn(nodes: TreeNode[], key: (n: TreeNode) => string | null, keys = new Set<string>()): Set<string> {
  for (const n of nodes) {
    const k = key(n)
    if (k !== null) keys.add(k)
    keysIn(n.dependencies, key, keys)
  }
  return keys
}

export function renderTree(r: TreeResult, depth?: number): string {
  const head = `${color.bold(r.project.name)} ${color.dim(r.project.path)}`
  if (r.dependencies.length === 0) return `${head}\n(no dependencies: ggen.toml requires no packs; add one with \`ggen packs install <id>\`)`
  const n = keysIn(r.dependencies, (x) => (x.version !== null ? x.id : null)).size
  const vulnerable = keysIn(r.dependencies, (x) => (x.security ? `${x.id}@${x.version}` : null)).size
  const summary = `${count(n, 'package')}, ${r.dependencies.length} direct${depth ? ` (depth ${depth})` : ''}${r.last_scanned ? `, ${vulnerable} vulnerable` : ''}`
  return [head, ...drawTree(r.dependencies), color.dim(summary), ...(r.last_scanned ? [scannedNote(r.last_scanned)] : [])].join('\n')
}
