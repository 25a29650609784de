/**
 * The one `id@rest` parser: package specs on the command line (`io.x.web@^1.2`), legacy
 * dependency lists (`"io.x.util@^1.0"`, ggen v1), version keys (`io.x.web@1.2.0`) and requirers.
 * The split is at the last `@` that is not the first character, so an id never loses a leading
 * `@` and a range never contains one.
 */
import {PacksError} from './errors.js'

/** the gpack id grammar (here, not in schemas.ts, so read commands check ids without loading zod) */
export const PACKAGE_ID_RE = /^(@[a-z0-9][a-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/

export interface SplitSpec {
  id: string
  /** what follows the `@`; undefined when there is none; '' when the spec ends with `@` */
  rest: string | undefined
}

export function splitAt(text: string): SplitSpec {
  const at = text.lastIndexOf('@')
  return at > 0 ? {id: text.slice(0, at), rest: text.slice(at + 1)} : {id: text, rest: undefined}
}

/** a legacy dependency entry: `id` or `id@range`; a missing or empty range reads as `*` */
export function splitDependency(text: string): {id: string; range: string} {
  const {id, rest} = splitAt(text)
  return {id, range: rest || '*'}
}

export interface PackSpec {
  id: string
  range?: string
}

/**
 * A package spec as users type it (`io.ggen.web`, `io.ggen.web@^1.2`). `validRange` decides what a
 * range is (the resolver's definition), so this module needs no semver of its own.
 */
export function parsePackSpec(spec: string, validRange: (r: string) => boolean, example = 'ggen packs install io.ggen.rust.cli@^1.2'): PackSpec {
  const {id, rest} = splitAt(spec)
  if (!PACKAGE_ID_RE.test(id)) {
    throw new PacksError('E_USAGE', `\`${spec}\` is not a package id (letters, digits, . _ -, optionally @range)`, {hint: `Example: ${example}`})
  }
  if (rest !== undefined && (rest === '' || !validRange(rest))) {
    throw new PacksError('E_USAGE', `\`${rest}\` in \`${spec}\` is not a version range`, {hint: 'Use an exact version (1.2.3) or a range such as ^1.2, ~1.2.3, >=1 <2.'})
  }
  return {id, range: rest}
}
