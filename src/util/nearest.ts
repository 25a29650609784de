/** "Did you mean" suggestions: names close to a query by edit distance (a substring counts as close). */

/** names close to `id` among `known`, nearest first */
export function nearest(id: string, known: Iterable<string>, max = 3): string[] {
  const q = id.toLowerCase()
  const scored: {k: string; d: number}[] = []
  for (const k of known) scored.push({k, d: distance(q, k.toLowerCase()) - (k.toLowerCase().includes(q) ? 3 : 0)})
  return scored
    .sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : 1))
    .filter((s) => s.d <= Math.max(3, q.length / 2))
    .slice(0, max)
    .map((s) => s.k)
}

/** Levenshtein distance */
export function distance(a: string, b: string): number {
  const dp = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!
    dp[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return dp[b.length]!
}
