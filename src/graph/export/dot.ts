/**
 * graphology graph -> Graphviz DOT (`dot -Tsvg graph.dot`). Every id and attribute value is a
 * double-quoted DOT string with `\` and `"` escaped and line breaks written as `\n`, so no package
 * id, path or summary can end a statement or open a new one. One statement per line: the
 * nodes (label, kind as a shape), then the edges (label = the relationship type).
 */
import type {PacksGraph} from './graph.js'

/** a DOT double-quoted string */
export function dotString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n').replace(/[\u0000-\u001f\u007f]/g, ' ')}"`
}

const SHAPE: Record<string, string> = {Package: 'box', Version: 'ellipse', Project: 'folder', Advisory: 'octagon'}

const attrs = (a: Record<string, string>) => `[${Object.entries(a).map(([k, v]) => `${k}=${dotString(v)}`).join(', ')}]`

export function toDot(g: PacksGraph): string {
  const out = [`digraph ${dotString(String(g.getAttribute('name') ?? 'ggen packs'))} {`, '  rankdir="LR";']
  g.forEachNode((key, a) => {
    const kind = String(a.kind ?? '')
    out.push(`  ${dotString(key)} ${attrs({label: String(a.label ?? key), kind, shape: SHAPE[kind] ?? 'ellipse'})};`)
  })
  g.forEachEdge((_key, a, source, target) => {
    out.push(`  ${dotString(source)} -> ${dotString(target)} ${attrs({label: String(a.type ?? '')})};`)
  })
  out.push('}', '')
  return out.join('\n')
}
