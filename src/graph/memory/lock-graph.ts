/**
 * One project's resolved graph in compact, integer-indexed form: node i is the project's lock of
 * `ids[i]` (ids sorted by code point, so adjacency in index order is adjacency by id). Lock L
 * depends on the project's lock of each id in L.dependencies; ids the project does not lock are
 * kept per node as `dangling`. The algorithms beside this file (depths, simple-paths,
 * strongly-connected, cycles) take a LockGraph; they are pure and backend-neutral, so an adapter
 * that fetches a project's locks as rows (the neo4j one) can run them too.
 */

/** what a lock contributes to the graph (ProjectLock rows, or rows read back from Neo4j) */
export interface LockInput {
  id: string
  version: string
  direct: boolean
  dependencies: readonly string[]
}

export interface LockGraph {
  /** number of nodes */
  readonly order: number
  /** node -> package id (sorted) */
  readonly ids: readonly string[]
  readonly versions: readonly string[]
  readonly direct: readonly boolean[]
  /** node -> nodes it depends on, ascending (no duplicates; a self-dependency is kept) */
  readonly out: readonly (readonly number[])[]
  /** node -> dependency ids the project does not lock, sorted */
  readonly dangling: readonly (readonly string[])[]
  /** package id -> node */
  readonly index: ReadonlyMap<string, number>
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
const NONE: readonly string[] = Object.freeze([])
const NO_NODES: readonly number[] = Object.freeze([])

/**
 * Build a LockGraph. A package id locked twice keeps its first row (a project locks one version
 * per id), as the Neo4j writer does.
 */
export function lockGraph(locks: readonly LockInput[]): LockGraph {
  if (!Array.isArray(locks)) throw new TypeError('ggen-packs/memory/lock-graph: expected an array of locks')
  const first = new Map<string, LockInput>()
  for (const l of locks) if (!first.has(l.id)) first.set(l.id, l)
  const ids = [...first.keys()].sort(byCodePoint)
  const index = new Map<string, number>()
  ids.forEach((id, i) => index.set(id, i))
  const versions: string[] = []
  const direct: boolean[] = []
  // plain arrays of small integers: an Int32Array per node (an ArrayBuffer each) was about half of lockGraph's time in the scan's profile (24,000 nodes)
  const out: (readonly number[])[] = []
  const dangling: (readonly string[])[] = []
  for (const id of ids) {
    const l = first.get(id)!
    versions.push(l.version)
    direct.push(l.direct)
    // dependency lists are short: arrays beat sets here
    const targets: number[] = []
    let missing: string[] | undefined
    for (const d of l.dependencies) {
      const j = index.get(d)
      if (j === undefined) {
        if (!missing) missing = [d]
        else if (!missing.includes(d)) missing.push(d)
      } else if (!targets.includes(j)) {
        targets.push(j)
      }
    }
    out.push(targets.length === 0 ? NO_NODES : targets.sort((a, b) => a - b))
    dangling.push(missing ? missing.sort(byCodePoint) : NONE)
  }
  return {order: ids.length, ids, versions, direct, out, dangling, index}
}

/** node -> nodes depending on it, ascending */
export function reverseAdjacency(graph: LockGraph): Int32Array[] {
  const counts = new Int32Array(graph.order)
  for (const targets of graph.out) for (const t of targets) counts[t]!++
  const rev = Array.from({length: graph.order}, (_, i) => new Int32Array(counts[i]!))
  const fill = new Int32Array(graph.order)
  for (let s = 0; s < graph.order; s++) for (const t of graph.out[s]!) rev[t]![fill[t]!++] = s
  return rev
}
