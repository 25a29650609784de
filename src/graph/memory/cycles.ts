/**
 * Dependency cycles: one per strongly connected component that has a cycle (two or more locks,
 * or one lock depending on itself). The reported cycle is the shortest one through the
 * component's smallest node, found breadth-first inside the component with neighbours in
 * ascending order, so the answer is deterministic. `forEachCycle` visits them in order of the
 * smallest node; `cycles` returns them.
 */
import type {LockGraph} from './lock-graph.js'
import {stronglyConnectedComponents} from './strongly-connected.js'

export interface Cycle {
  /** nodes along the cycle, starting at the component's smallest; the last depends on the first */
  cycle: number[]
  /** every node of the component, ascending */
  members: number[]
}

/** BFS inside the component from `start` back to it; `prev` is all -1 on entry and on return */
function shortestCycleFrom(graph: LockGraph, start: number, inComponent: Uint8Array, prev: Int32Array): number[] {
  const queue: number[] = [start]
  let found: number[] | null = null
  for (let head = 0; head < queue.length && !found; head++) {
    const n = queue[head]!
    for (const m of graph.out[n]!) {
      if (!inComponent[m]) continue
      if (m === start) {
        const cycle = [n]
        for (let x = prev[n]!; x !== -1 && x !== start; x = prev[x]!) cycle.push(x)
        if (n !== start) cycle.push(start)
        found = cycle.reverse()
        break
      }
      if (prev[m] !== -1) continue
      prev[m] = n
      queue.push(m)
    }
  }
  for (const n of queue) prev[n] = -1
  return found ?? [start]
}

export function forEachCycle(graph: LockGraph, callback: (c: Cycle) => void): void {
  if (!graph || typeof graph.order !== 'number') throw new TypeError('ggen-packs/memory/cycles: expected a LockGraph')
  const inComponent = new Uint8Array(graph.order)
  const prev = new Int32Array(graph.order).fill(-1)
  for (const members of stronglyConnectedComponents(graph)) {
    const start = members[0]!
    if (members.length === 1 && !graph.out[start]!.includes(start)) continue
    for (const m of members) inComponent[m] = 1
    callback({cycle: shortestCycleFrom(graph, start, inComponent, prev), members})
    for (const m of members) inComponent[m] = 0
  }
}

export function cycles(graph: LockGraph): Cycle[] {
  const out: Cycle[] = []
  forEachCycle(graph, (c) => out.push(c))
  return out
}
