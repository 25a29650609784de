/**
 * Strongly connected components of a project's resolved graph (Tarjan, iterative so deep chains
 * do not overflow the stack). Components are reported with their nodes ascending, in ascending
 * order of their smallest node. `forEachStronglyConnectedComponent` visits them;
 * `stronglyConnectedComponents` returns them.
 */
import type {LockGraph} from './lock-graph.js'

export function stronglyConnectedComponents(graph: LockGraph): number[][] {
  if (!graph || typeof graph.order !== 'number') throw new TypeError('ggen-packs/memory/strongly-connected: expected a LockGraph')
  const n = graph.order
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const stack: number[] = []
  const components: number[][] = []
  let counter = 0
  // explicit DFS stack of (node, next edge position)
  const work: number[] = []
  const edge: number[] = []
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue
    work.push(s)
    edge.push(0)
    index[s] = low[s] = counter++
    stack.push(s)
    onStack[s] = 1
    while (work.length) {
      const v = work[work.length - 1]!
      const out = graph.out[v]!
      const i = edge[edge.length - 1]!
      if (i < out.length) {
        edge[edge.length - 1] = i + 1
        const w = out[i]!
        if (index[w] === -1) {
          index[w] = low[w] = counter++
          stack.push(w)
          onStack[w] = 1
          work.push(w)
          edge.push(0)
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!)
        }
        continue
      }
      work.pop()
      edge.pop()
      if (work.length) {
        const parent = work[work.length - 1]!
        low[parent] = Math.min(low[parent]!, low[v]!)
      }
      if (low[v] === index[v]) {
        const comp: number[] = []
        let w: number
        do {
          w = stack.pop()!
          onStack[w] = 0
          comp.push(w)
        } while (w !== v)
        components.push(comp.sort((a, b) => a - b))
      }
    }
  }
  return components.sort((a, b) => a[0]! - b[0]!)
}

export function forEachStronglyConnectedComponent(graph: LockGraph, callback: (component: number[]) => void): void {
  for (const c of stronglyConnectedComponents(graph)) callback(c)
}
