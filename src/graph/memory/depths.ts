/**
 * Depths in a project's resolved graph: breadth-first from the direct locks (depth 1); a lock
 * no path reaches has no depth. `forEachDepth` visits reachable nodes in BFS order (by depth,
 * then in the order they were discovered from nodes in ascending order); `depths` returns the
 * array (0 = unreachable).
 */
import type {LockGraph} from './lock-graph.js'

export function forEachDepth(graph: LockGraph, callback: (node: number, depth: number) => void): void {
  if (!graph || typeof graph.order !== 'number') throw new TypeError('ggen-packs/memory/depths: expected a LockGraph')
  const depth = new Int32Array(graph.order)
  const queue = new Int32Array(graph.order)
  let head = 0
  let tail = 0
  for (let i = 0; i < graph.order; i++) {
    if (!graph.direct[i]) continue
    depth[i] = 1
    queue[tail++] = i
  }
  while (head < tail) {
    const n = queue[head++]!
    callback(n, depth[n]!)
    for (const m of graph.out[n]!) {
      if (depth[m] !== 0) continue
      depth[m] = depth[n]! + 1
      queue[tail++] = m
    }
  }
}

/** node -> depth (1 = direct), 0 when unreachable */
export function depths(graph: LockGraph): Int32Array {
  const out = new Int32Array(graph.order)
  forEachDepth(graph, (n, d) => {
    out[n] = d
  })
  return out
}
