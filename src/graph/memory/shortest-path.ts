/**
 * The first path `simplePaths` gives (the shortest from a direct lock to the target, then the
 * smallest by ids), for every target of a project at once: a breadth-first search over the
 * LockGraph from the direct locks in id order, each node's dependencies visited in id order
 * (index order). Nodes enter each level in the order of their smallest shortest path, so the
 * first node a target is reached from is the one its first path goes through. For `why` with one
 * path and a counting cap of one (what `dependents` and the security scan ask of every project
 * locking a package).
 */
import type {LockGraph} from './lock-graph.js'

/** shortestTree's mark of a node no search reaches (and of the roots: the direct locks) */
export const UNREACHED = -1

/**
 * The search run to the end: node -> the node it is first reached from (UNREACHED for the direct
 * locks and for nodes no search reaches). `treePath` reads one path from it.
 */
export function shortestTree(graph: LockGraph): Int32Array {
  if (!graph || !Array.isArray(graph.out)) throw new TypeError('ggen-packs/memory/shortest-path: expected a LockGraph')
  const parent = new Int32Array(graph.order).fill(UNREACHED)
  const seen = new Uint8Array(graph.order)
  const queue = new Int32Array(graph.order)
  let tail = 0
  for (let i = 0; i < graph.order; i++) {
    if (!graph.direct[i]) continue
    seen[i] = 1
    queue[tail++] = i
  }
  for (let head = 0; head < tail; head++) {
    const n = queue[head]!
    for (const m of graph.out[n]!) {
      if (seen[m]) continue
      seen[m] = 1
      parent[m] = n
      queue[tail++] = m
    }
  }
  return parent
}

/** the nodes along the first path to `target`, both ends included ([target] when it is direct); [] when no path reaches it */
export function treePath(graph: LockGraph, tree: Int32Array, target: number): number[] {
  if (!graph.direct[target] && tree[target] === UNREACHED) return []
  const path: number[] = []
  for (let n = target; n !== UNREACHED; n = tree[n]!) path.push(n)
  return path.reverse()
}
