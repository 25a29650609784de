/**
 * Simple paths (no lock twice) of resolved edges from a project's direct locks to one target
 * lock. Paths come shortest first, and among equal lengths in lexicographic order of their ids
 * (node indexes follow id order), so taking the first `limit` keeps the shortest.
 * `forEachSimplePath` stops when the callback returns false; `simplePaths` collects up to
 * `limit` paths and counts all of them up to `cap`.
 */
import {reverseAdjacency, type LockGraph} from './lock-graph.js'

export interface SimplePathsOptions {
  /** paths to return (default 100) */
  limit?: number
  /** stop counting at this many paths (default 10,000) */
  cap?: number
}

export interface SimplePathsResult {
  paths: number[][]
  count: number
  truncated: boolean
}

/** node -> fewest edges to `target` (-1: cannot reach it) */
function distancesTo(graph: LockGraph, target: number): Int32Array {
  const rev = reverseAdjacency(graph)
  const dist = new Int32Array(graph.order).fill(-1)
  const queue = new Int32Array(graph.order)
  let head = 0
  let tail = 0
  dist[target] = 0
  queue[tail++] = target
  while (head < tail) {
    const n = queue[head++]!
    for (const m of rev[n]!) {
      if (dist[m] !== -1) continue
      dist[m] = dist[n]! + 1
      queue[tail++] = m
    }
  }
  return dist
}

function check(graph: LockGraph, target: number, name: string): void {
  if (!graph || typeof graph.order !== 'number') throw new TypeError(`ggen-packs/memory/${name}: expected a LockGraph`)
  if (!Number.isInteger(target) || target < 0 || target >= graph.order) throw new RangeError(`ggen-packs/memory/${name}: target ${target} is not a node of the graph`)
}

/** visit simple paths to `target`, shortest first; return false from the callback to stop */
export function forEachSimplePath(graph: LockGraph, target: number, callback: (path: number[]) => boolean | void): void {
  check(graph, target, 'simple-paths')
  const dist = distancesTo(graph, target)
  const roots: number[] = []
  for (let i = 0; i < graph.order; i++) if (graph.direct[i] && dist[i] !== -1) roots.push(i)
  if (roots.length === 0) return
  const onPath = new Uint8Array(graph.order)
  const path: number[] = []
  let stop = false
  // paths of exactly `edges` edges, in lexicographic order
  const walk = (n: number, left: number): void => {
    if (stop) return
    if (left === 0) {
      if (n === target && callback([...path]) === false) stop = true
      return
    }
    if (n === target) return // the target ends a path; it is never passed through
    for (const m of graph.out[n]!) {
      if (onPath[m] || dist[m] === -1 || dist[m]! > left - 1) continue
      onPath[m] = 1
      path.push(m)
      walk(m, left - 1)
      path.pop()
      onPath[m] = 0
      if (stop) return
    }
  }
  let shortest = Infinity
  for (const r of roots) shortest = Math.min(shortest, dist[r]!)
  for (let edges = shortest; edges < graph.order && !stop; edges++) {
    for (const r of roots) {
      if (dist[r]! > edges) continue
      onPath[r] = 1
      path.push(r)
      walk(r, edges)
      path.pop()
      onPath[r] = 0
      if (stop) return
    }
  }
}

export function simplePaths(graph: LockGraph, target: number, options: SimplePathsOptions = {}): SimplePathsResult {
  const limit = options.limit ?? 100
  const cap = options.cap ?? 10_000
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError('ggen-packs/memory/simple-paths: limit must be a non-negative integer')
  const paths: number[][] = []
  let count = 0
  forEachSimplePath(graph, target, (p) => {
    if (paths.length < limit) paths.push(p)
    count++
    return count < cap
  })
  return {paths, count, truncated: count > paths.length}
}
