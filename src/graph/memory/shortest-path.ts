/**
 * The first path `simplePaths` gives (the shortest from a direct lock to the target, then the
 * smallest by ids), found without building a LockGraph: a breadth-first search over the lock rows
 * from the direct locks in id order, each lock's dependencies visited in id order, stopping at the
 * target. Nodes enter each level in the order of their smallest shortest path, so the first time
 * the target is met its path is that one. Same graph as lockGraph: the first row of an id wins,
 * dependencies on ids the project does not lock are ignored. For `why` with one path and a
 * counting cap of one (what `dependents` asks of every project locking a package).
 */
import type {LockInput} from './lock-graph.js'

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** the locks along the path, both ends included ([target] when it is direct); [] when no path reaches it; null when `target` is not locked */
export function shortestPath<L extends LockInput>(locks: readonly L[], target: string): L[] | null {
  if (!Array.isArray(locks)) throw new TypeError('ggen-packs/memory/shortest-path: expected an array of locks')
  const byId = new Map<string, L>()
  for (const l of locks) if (!byId.has(l.id)) byId.set(l.id, l)
  const goal = byId.get(target)
  if (!goal) return null
  if (goal.direct) return [goal]
  const parent = new Map<L, L | null>()
  const queue = [...byId.values()].filter((l) => l.direct).sort((a, b) => byCodePoint(a.id, b.id))
  for (const r of queue) parent.set(r, null)
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head]!
    for (const d of [...n.dependencies].sort(byCodePoint)) {
      const m = byId.get(d)
      if (!m || parent.has(m)) continue
      parent.set(m, n)
      if (m === goal) {
        const path: L[] = []
        for (let x: L | null = m; x; x = parent.get(x)!) path.push(x)
        return path.reverse()
      }
      queue.push(m)
    }
  }
  return []
}
