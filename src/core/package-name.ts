/**
 * Short package names, as users type them (`react` for `io.ggen.ts.react`; the requirements'
 * `ggen packs info react --include-dependents`). One resolver for every command that takes a
 * package id (info today; dependents, why and others can call it the same way):
 *
 *   1. an exact id wins;
 *   2. else the one package whose id (case-insensitively), last id segment (after the last `.`
 *      or `/`) or display name equals the text, case-insensitively;
 *   3. several such packages: E_NOT_FOUND naming them all ("did you mean");
 *   4. none: E_NOT_FOUND with the nearest ids, last segments and names by edit distance.
 */
import {PacksError} from '../domain/errors.js'
import {nearest} from '../util/nearest.js'

export interface NamedPackage {
  id: string
  /** the human-readable name, when the package has one */
  name?: string
}

/** the last segment of an id: `react` of `io.ggen.ts.react`, `ui` of `@scope/ui` */
export const lastSegment = (id: string): string => id.slice(Math.max(id.lastIndexOf('.'), id.lastIndexOf('/')) + 1)

/** the ids a short name could mean (sorted); [id] itself when it is an exact id */
export function packagesNamed(text: string, packages: Iterable<NamedPackage>): string[] {
  const q = text.toLowerCase()
  const out = new Set<string>()
  for (const p of packages) {
    if (p.id === text) return [p.id]
    if (p.id.toLowerCase() === q || lastSegment(p.id).toLowerCase() === q || (p.name ?? '').toLowerCase() === q) out.add(p.id)
  }
  return [...out].sort()
}

/** one spelling for comparing names: lowercase, every separator a dot (`Rust-CLI` ~ `rust.cli`) */
const normal = (s: string): string => s.toLowerCase().replace(/[\s_/-]+/g, '.')

/**
 * ids nearest to `text` (for "did you mean" hints), by edit distance to any of: the id, each tail
 * of its segments (`cli`, `rust.cli`, `ggen.rust.cli`), its name
 */
export function suggestPackages(text: string, packages: Iterable<NamedPackage>, max = 3): string[] {
  const idsByKey = new Map<string, Set<string>>()
  const add = (key: string, id: string) => {
    const k = normal(key)
    if (!k) return
    if (!idsByKey.has(k)) idsByKey.set(k, new Set())
    idsByKey.get(k)!.add(id)
  }
  for (const p of packages) {
    const segments = normal(p.id).split('.')
    for (let i = 0; i < segments.length; i++) add(segments.slice(i).join('.'), p.id)
    if (p.name) add(p.name, p.id)
  }
  const out: string[] = []
  for (const key of nearest(normal(text), idsByKey.keys(), max * 2)) for (const id of [...idsByKey.get(key)!].sort()) if (!out.includes(id)) out.push(id)
  return out.slice(0, max)
}

const quoted = (ids: string[]) => ids.map((n) => `\`${n}\``).join(', ')

/**
 * The one package id `text` names; E_NOT_FOUND (exit 4) listing the candidates or the nearest
 * names. `where` says where the packages were looked for ("any configured registry").
 */
export function resolvePackageName(text: string, packages: Iterable<NamedPackage>, where = 'any configured registry'): string {
  const list = [...packages]
  const ids = packagesNamed(text, list)
  if (ids.length === 1) return ids[0]!
  if (ids.length > 1) {
    throw new PacksError('E_NOT_FOUND', `\`${text}\` names ${ids.length} packages in ${where}: ${ids.join(', ')}`, {hint: `Did you mean ${quoted(ids)}? Give the full id.`})
  }
  const near = suggestPackages(text, list)
  throw new PacksError('E_NOT_FOUND', `package \`${text}\` is not in ${where}`, {
    hint: near.length ? `Did you mean ${quoted(near)}?` : `Search with \`ggen packs search ${text}\`.`,
  })
}
