/**
 * Glob patterns over package ids (`io.ggen.rust.*`, `*.{cli,web}`, `io.?gen.*`), matched with
 * picomatch: `*` and `?` stop at `/` only (so `io.ggen.*` spans dotted segments, `@scope/*` stays in
 * its scope), `[abc]`, `{a,b}`, case-insensitive. Loaded on demand: `list` without `--name`
 * never pays for it.
 */
import {PacksError} from '../domain/errors.js'

/** one predicate: true when the text matches any of the patterns */
export async function globMatcher(patterns: string[], what = '--name'): Promise<(text: string) => boolean> {
  const {default: picomatch} = await import('picomatch')
  for (const p of patterns) {
    if (p.trim() === '') throw new PacksError('E_USAGE', `${what} got an empty pattern`, {hint: "Give a package id or a glob, e.g. --name 'io.ggen.rust.*'."})
  }
  try {
    return picomatch(patterns, {nocase: true, dot: true, windows: false, strictBrackets: true})
  } catch (error) {
    throw new PacksError('E_USAGE', `${what}: ${(error as Error).message}`, {hint: "Globs use * (any text), ? (one character), [abc] and {a,b}, e.g. --name 'io.ggen.{rust,ts}.*'."})
  }
}
