/**
 * graphology graph -> GraphML (for Gephi, yEd, Cytoscape). One <key> per attribute name and
 * domain, typed boolean / double / string from the values it holds (lists are written as JSON
 * strings). Output is deterministic: keys sorted by name, nodes and edges in graph order.
 */
import type {Attributes, PacksGraph} from './graph.js'

type KeyType = 'boolean' | 'double' | 'string'

// characters XML 1.0 forbids, even escaped
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function xmlEscape(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

function typeOf(x: unknown): KeyType {
  if (typeof x === 'boolean') return 'boolean'
  if (typeof x === 'number') return 'double'
  return 'string'
}

const text = (x: unknown): string => (typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : JSON.stringify(x))

function collectKeys(all: Attributes[]): Map<string, KeyType> {
  const keys = new Map<string, KeyType>()
  for (const a of all) {
    for (const [k, x] of Object.entries(a)) {
      if (x === undefined || x === null) continue
      const t = typeOf(x)
      const prev = keys.get(k)
      keys.set(k, prev === undefined || prev === t ? t : 'string')
    }
  }
  return new Map([...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export function toGraphML(g: PacksGraph): string {
  const nodeAttrs: Attributes[] = []
  g.forEachNode((_k, a) => void nodeAttrs.push(a))
  const edgeAttrs: Attributes[] = []
  g.forEachEdge((_k, a) => void edgeAttrs.push(a))
  const nodeKeys = collectKeys(nodeAttrs)
  const edgeKeys = collectKeys(edgeAttrs)
  const id = (domain: 'n' | 'e', name: string) => `${domain}_${name}`
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ]
  for (const [name, t] of nodeKeys) out.push(`  <key id="${xmlEscape(id('n', name))}" for="node" attr.name="${xmlEscape(name)}" attr.type="${t}"/>`)
  for (const [name, t] of edgeKeys) out.push(`  <key id="${xmlEscape(id('e', name))}" for="edge" attr.name="${xmlEscape(name)}" attr.type="${t}"/>`)
  out.push(`  <graph id="${xmlEscape(String(g.getAttribute('name') ?? 'ggen packs'))}" edgedefault="directed">`)
  const data = (domain: 'n' | 'e', a: Attributes, indent: string) => {
    for (const [k, x] of Object.entries(a).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) {
      if (x === undefined || x === null) continue
      out.push(`${indent}<data key="${xmlEscape(id(domain, k))}">${xmlEscape(text(x))}</data>`)
    }
  }
  g.forEachNode((key, a) => {
    out.push(`    <node id="${xmlEscape(key)}">`)
    data('n', a, '      ')
    out.push('    </node>')
  })
  g.forEachEdge((key, a, source, target) => {
    out.push(`    <edge id="${xmlEscape(key)}" source="${xmlEscape(source)}" target="${xmlEscape(target)}">`)
    data('e', a, '      ')
    out.push('    </edge>')
  })
  out.push('  </graph>', '</graphml>', '')
  return out.join('\n')
}
