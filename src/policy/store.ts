/**
 * Where bundles and the team policy live: $GGEN_HOME/bundles/<id>.toml (one file per bundle,
 * shareable as is; `bundle export` writes TOML, JSON or YAML) and $GGEN_HOME/policy.toml (or
 * --policy FILE). Every write is atomic and under the bundles lock, so two `bundle add` runs never
 * lose each other's package. Unknown keys a team adds are kept.
 */
import {readdirSync} from 'node:fs'
import {extname, join} from 'node:path'
import {stringify as stringifyToml} from 'smol-toml'
import {PacksError} from '../domain/errors.js'
import {readTextOrNull, stableStringify, writeFileAtomic} from '../formats/fs.js'
import {editTomlTables} from '../formats/toml-edit.js'
import {withLock} from '../formats/lock.js'
import {parseJsonText, parseTomlText, validate} from '../formats/parse.js'
import {nearest} from '../util/nearest.js'
import type {HomePaths} from '../workspace/home.js'
import {Bundle, BUNDLE_NAME_RE, PolicyFile} from './model.js'
import type {TeamPolicy} from './evaluate.js'

export type BundleFormat = 'toml' | 'json' | 'yaml'

export const bundleFile = (paths: HomePaths, id: string): string => join(paths.bundles, `${id}.toml`)
const bundlesLock = (paths: HomePaths) => join(paths.bundles, '.lock')

export function bundleFormatOf(file: string): BundleFormat {
  const ext = extname(file).toLowerCase()
  return ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : 'toml'
}

/** drop undefined values (TOML has no null) and keep key order stable */
const clean = (v: unknown): unknown => JSON.parse(JSON.stringify(v))

export async function serializeBundle(b: Bundle, format: BundleFormat): Promise<string> {
  const value = clean(b) as Record<string, unknown>
  if (format === 'json') return JSON.stringify(value, null, 2) + '\n'
  if (format === 'yaml') return (await import('yaml')).stringify(value)
  return `# ggen packs bundle (ggen packs bundle --help)\n${stringifyToml(value)}\n`
}

export async function parseBundleText(text: string, file: string, format = bundleFormatOf(file)): Promise<Bundle> {
  let raw: unknown
  if (format === 'json') raw = parseJsonText(text, file)
  else if (format === 'yaml') {
    const {parse, YAMLParseError} = await import('yaml')
    try {
      raw = parse(text)
    } catch (error) {
      if (error instanceof YAMLParseError) throw new PacksError('E_PARSE', `${file}: invalid YAML: ${error.message.split('\n')[0]}`, {file, hint: 'Fix the YAML syntax; nothing was changed.'})
      throw error
    }
  } else raw = parseTomlText(text, file)
  return validate(Bundle, raw, file)
}

export function checkBundleName(name: string): string {
  if (!BUNDLE_NAME_RE.test(name)) throw new PacksError('E_USAGE', `"${name}" is not a bundle name`, {hint: 'Use letters, digits, dots, dashes and underscores (at most 64), e.g. team-standard.'})
  return name
}

export interface BundleList {
  bundles: Bundle[]
  /** bundle files that cannot be read: each is skipped, named here */
  problems: {file: string; message: string}[]
}

export async function listBundles(paths: HomePaths): Promise<BundleList> {
  let names: string[] = []
  try {
    names = readdirSync(paths.bundles).filter((n) => n.endsWith('.toml')).sort()
  } catch {
    return {bundles: [], problems: []}
  }
  const out: BundleList = {bundles: [], problems: []}
  for (const n of names) {
    const file = join(paths.bundles, n)
    try {
      const b = await parseBundleText(readTextOrNull(file) ?? '', file, 'toml')
      if (`${b.id}.toml` !== n) throw new PacksError('E_SCHEMA', `${file}: field \`id\` is "${b.id}" but the file is named ${n}`, {file, field: 'id'})
      out.bundles.push(byPackageId(b))
    } catch (error) {
      out.problems.push({file, message: (error as Error).message})
    }
  }
  return out
}

export async function readBundle(paths: HomePaths, id: string): Promise<Bundle> {
  const file = bundleFile(paths, checkBundleName(id))
  const text = readTextOrNull(file)
  if (text === null) {
    const known = (await listBundles(paths)).bundles.map((b) => b.id)
    const near = nearest(id, known)
    throw new PacksError('E_NOT_FOUND', `no bundle named ${id}`, {
      hint: near.length ? `Did you mean ${near.join(', ')}? (ggen packs bundle list)` : known.length ? `Known bundles: ${known.join(', ')}.` : `Create it with \`ggen packs bundle create ${id}\`, or import a shared one with \`ggen packs bundle import FILE\`.`,
    })
  }
  return byPackageId(await parseBundleText(text, file, 'toml'))
}

/** write a bundle; `text` (a TOML file that parses to `b`, e.g. the one imported) is kept as written */
export async function writeBundle(paths: HomePaths, b: Bundle, text?: string): Promise<string> {
  const file = bundleFile(paths, checkBundleName(b.id))
  writeFileAtomic(file, text ?? (await serializeBundle(b, 'toml')))
  return file
}

/** read-modify-write one bundle under the bundles lock, keeping the file's comments and layout */
export async function updateBundle(paths: HomePaths, id: string, fn: (b: Bundle) => Bundle | Promise<Bundle>): Promise<{bundle: Bundle; file: string}> {
  return withLock(bundlesLock(paths), async () => {
    const next = await fn(await readBundle(paths, id))
    const file = bundleFile(paths, id)
    return {bundle: next, file: await writeBundle(paths, next, await editedBundleText(file, readTextOrNull(file), next))}
  })
}

const sameValue = (a: unknown, b: unknown) => stableStringify(clean(a ?? null)) === stableStringify(clean(b ?? null))
/** packages in id order (how every reader shows a bundle, whatever the file's order) */
const byPackageId = (b: Bundle): Bundle => ({...b, packages: [...b.packages].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))})

/**
 * The bundle file's text after a change, edited in place (src/formats/toml-edit.ts): changed
 * top-level keys are replaced, removed or changed `[[packages]]` sections go with the comments
 * directly above them, new ones are appended. Whatever that cannot express (a layout the editor
 * refuses, a changed [policy]) is written afresh instead — the result is re-read and must equal
 * `after`, so a bundle is never written wrong.
 */
async function editedBundleText(file: string, text: string | null, after: Bundle): Promise<string | undefined> {
  if (text === null) return undefined
  const before = await parseBundleText(text, file, 'toml') // packages in file order: the editor's indices
  if (!sameValue(before.policy, after.policy)) return undefined
  const top = (b: Bundle) => Object.fromEntries(Object.entries(clean(b) as Record<string, unknown>).filter(([k]) => k !== 'packages' && k !== 'policy'))
  const key = (p: unknown) => stableStringify(clean(p))
  const wanted = new Set(after.packages.map(key))
  const kept = new Set(before.packages.map(key).filter((k) => wanted.has(k)))
  const remove = before.packages.flatMap((p, i) => (wanted.has(key(p)) ? [] : [i]))
  const append = after.packages.filter((p) => !kept.has(key(p))).map((p) => clean(p) as Record<string, unknown>)
  try {
    const out = editTomlTables(text, file, [{path: [], before: top(before), after: top(after)}], [{path: ['packages'], remove, append}])
    return sameValue(byPackageId(await parseBundleText(out, file, 'toml')), byPackageId(after)) ? out : undefined
  } catch {
    return undefined
  }
}

export const lockBundles = <T>(paths: HomePaths, fn: () => Promise<T> | T): Promise<T> => withLock(bundlesLock(paths), fn)

/** the team policy: --policy FILE, else $GGEN_HOME/policy.toml when it exists, else none */
export function readTeamPolicy(paths: HomePaths, file?: string): TeamPolicy | null {
  const path = file ?? paths.policy
  const text = readTextOrNull(path)
  if (text === null) {
    if (file) throw new PacksError('E_NOT_FOUND', `no policy file at ${file}`, {file, hint: 'Pass the path of a TOML file with a [policy] table (see docs/guide/compliance.md).'})
    return null
  }
  const raw = extname(path).toLowerCase() === '.json' ? parseJsonText(text, path) : parseTomlText(text, path)
  return {file: path, rules: validate(PolicyFile, raw, path).policy}
}
