/**
 * A function that remembers only its last answer: asked again with the same key it answers from
 * it, asked with another key it computes afresh and forgets the old one. For work that comes in
 * runs of one key (the security scan goes package by package): the memo never grows with the run.
 */
export function lastAnswer<A, V>(keyOf: (arg: A) => string, compute: (arg: A) => V): (arg: A) => V {
  let last: {key: string; value: V} | undefined
  return (arg) => {
    const key = keyOf(arg)
    if (last?.key !== key) last = {key, value: compute(arg)}
    return last.value
  }
}
