/**
 * graphology graph -> GEXF 1.3 (Gephi) through graphology-gexf's writer. Each node and edge keeps
 * its attributes; lists become JSON strings (GEXF attributes are scalars), the edge's `type`
 * (OF, REQUIRES, LOCKS, DEPENDS_ON, AFFECTS) is its GEXF label and kind.
 */
import {write} from 'graphology-gexf'
import type {Attributes, PacksGraph} from './graph.js'

const scalars = (a: Attributes): Attributes =>
  Object.fromEntries(Object.entries(a).filter(([k, x]) => k !== 'label' && x !== undefined && x !== null).map(([k, x]) => [k, typeof x === 'object' ? JSON.stringify(x) : x]))

export function toGexf(g: PacksGraph): string {
  return write(g, {
    version: '1.3',
    formatNode: (key, a) => ({label: String(a.label ?? key), attributes: scalars(a)}),
    formatEdge: (_key, a) => ({label: String(a.type ?? ''), kind: String(a.type ?? ''), attributes: scalars(a)}),
  })
}
