/**
 * What `packs graph export` and `packs query` print with --json. Both are assembled in their
 * command from the graph layer's answers (src/graph), so their shapes are declared here.
 */
import type {ExportFormat} from '../graph/export/index.js'

export interface GraphExportOutput {
  format: ExportFormat
  backend: 'memory' | 'neo4j'
  machines: string[]
  nodes: number
  relationships: number
  /** the file written (with --output) */
  output?: string
  /** the export itself (without --output): text for cypher and graphml, the graph for json */
  content?: string
  graph?: unknown
}

/** a read-only Cypher query's answer: the columns, and one object per row keyed by column */
export interface QueryOutput {
  columns: string[]
  rows: Record<string, unknown>[]
}
