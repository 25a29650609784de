/**
 * `packs search`: the query is split into words and every word must match (AND) somewhere in a
 * package's id, name, keywords, tags, category or description, case-insensitively. Text is
 * compared word by word: ids and names split at dots, hyphens, underscores, slashes and
 * camelCase, so `rest` matches `io.ggen.rest-api`, `REST` and `RESTful` (a word prefix) but not
 * `interest`; a query word with punctuation (`web-api`) must match those words in a row.
 *
 * Ranking: each word scores where it matches best, id/name above keywords/tags/category above
 * description, and within a field exact > whole word > word prefix (> any substring, id and name
 * only); a package's score is the sum over the words. Ties: quality score, downloads, id.
 */
import type {Catalog, CatalogPackage} from '../registry/catalog.js'
import {suggestPackages} from './package-name.js'

export interface SearchRow {
  id: string
  name: string
  version: string | null
  description: string
  category: string | null
  keywords: string[]
  quality_score: number | null
  production_ready: boolean
  deprecated: string | null
  author: string | null
  registry: string
  score: number
}

export interface SearchOptions {
  category?: string
  minQuality?: number
  productionReady?: boolean
  limit?: number
}

/** how well a word matches a text: 0 none, 1 substring, 2 word prefix, 3 whole word(s), 4 the whole text */
type Strength = 0 | 1 | 2 | 3 | 4

/** points per strength, by field tier: id/name > keywords/tags/category > description */
const POINTS = {
  name: [0, 20, 40, 60, 100],
  tag: [0, 0, 15, 25, 30],
  text: [0, 0, 5, 10, 10],
} as const satisfies Record<string, readonly number[]>

/** words of a text, lowercased: split at anything not a letter or digit, and at camelCase humps (kept whole too) */
export function wordsOf(text: string): string[] {
  const out: string[] = []
  for (const token of text.split(/[^\p{L}\p{N}]+/u)) {
    if (!token) continue
    out.push(token.toLowerCase())
    const humps = token.split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u)
    if (humps.length > 1) for (const h of humps) out.push(h.toLowerCase())
  }
  return out
}

interface Term {
  /** the word as typed, lowercased */
  raw: string
  /** its words (`web-api` -> web, api) */
  parts: string[]
}

export function queryTerms(query: string): Term[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .map((raw) => ({raw, parts: wordsOf(raw)}))
    .filter((t) => t.parts.length > 0)
}

/** the parts appear as consecutive words (the last one may be a prefix when `prefix`) */
function hasRun(words: string[], parts: string[], prefix: boolean): boolean {
  const last = parts.length - 1
  for (let i = 0; i + last < words.length; i++) {
    let ok = true
    for (let j = 0; j <= last && ok; j++) ok = words[i + j] === parts[j] || (prefix && j === last && words[i + j]!.startsWith(parts[j]!))
    if (ok) return true
  }
  return false
}

function strength(t: Term, text: string, substring: boolean): Strength {
  const lower = text.toLowerCase()
  if (lower === t.raw) return 4
  const words = wordsOf(text)
  if (hasRun(words, t.parts, false)) return 3
  if (hasRun(words, t.parts, true)) return 2
  return substring && lower.includes(t.raw) ? 1 : 0
}

/** a word's best score in a package (0: it matches nowhere) */
function termScore(p: CatalogPackage, t: Term): number {
  let best = 0
  const take = (tier: keyof typeof POINTS, texts: (string | undefined)[]) => {
    for (const x of texts) if (x) best = Math.max(best, POINTS[tier][strength(t, x, tier === 'name')])
  }
  take('name', [p.id, p.name])
  take('tag', [...p.keywords, ...p.tags, p.category])
  take('text', [p.description])
  return best
}

/** the package's score for every term; null when a term matches nowhere */
function scoreOf(p: CatalogPackage, terms: Term[]): number | null {
  let score = 0
  for (const t of terms) {
    const s = termScore(p, t)
    if (s === 0) return null
    score += s
  }
  return score
}

function toRow(catalog: Catalog, p: CatalogPackage, score: number): SearchRow {
  const latest = catalog.latest(p.id)
  return {
    id: p.id,
    name: p.name,
    version: latest?.version ?? null,
    description: p.description,
    category: p.category ?? null,
    keywords: p.keywords,
    quality_score: latest?.quality_score ?? null,
    production_ready: latest?.production_ready ?? false,
    deprecated: latest?.deprecated ?? null,
    author: p.author ?? null,
    registry: p.registry.location.url,
    score,
  }
}

function passes(r: SearchRow, o: SearchOptions): boolean {
  if (o.category && (r.category ?? '').toLowerCase() !== o.category.toLowerCase()) return false
  if (o.minQuality !== undefined && (r.quality_score ?? 0) < o.minQuality) return false
  return !o.productionReady || r.production_ready
}

export function search(catalog: Catalog, query: string, o: SearchOptions = {}): SearchRow[] {
  const terms = queryTerms(query)
  const rows: (SearchRow & {downloads: number})[] = []
  for (const p of catalog.all()) {
    const score = scoreOf(p, terms)
    if (score === null) continue
    const row = toRow(catalog, p, score)
    if (passes(row, o)) rows.push({...row, downloads: p.downloads ?? 0})
  }
  rows.sort((a, b) => b.score - a.score || (b.quality_score ?? 0) - (a.quality_score ?? 0) || b.downloads - a.downloads || (a.id < b.id ? -1 : 1))
  const out = rows.map(({downloads: _, ...r}) => r)
  return o.limit ? out.slice(0, o.limit) : out
}

/**
 * Why a search found nothing, as a hint: the filters hid the matches; or, for several words, how
 * many packages each word alone matches; or, for one word, the nearest package names. null when
 * there is nothing useful to say.
 */
export function noMatchHint(catalog: Catalog, query: string, o: SearchOptions = {}): string | null {
  const unfiltered = search(catalog, query)
  if (unfiltered.length > 0) {
    const given = [o.category !== undefined && `--category ${o.category}`, o.minQuality !== undefined && `--min-quality ${o.minQuality}`, o.productionReady && '--production-ready'].filter(Boolean)
    return `${unfiltered.length} package${unfiltered.length === 1 ? ' matches' : 's match'} "${query}" but none passes ${given.join(', ')}; drop a filter to see them.`
  }
  const terms = queryTerms(query)
  if (terms.length > 1) {
    const parts = terms.map((t) => {
      const ids = search(catalog, t.raw).map((r) => r.id)
      return ids.length ? `\`${t.raw}\` alone matches ${ids.length} (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', ...' : ''})` : `\`${t.raw}\` matches nothing`
    })
    return `Every word must match: ${parts.join('; ')}. Try fewer words.`
  }
  const near = terms.length === 1 ? suggestPackages(terms[0]!.raw, catalog.all()) : []
  return near.length ? `Did you mean ${near.map((n) => `\`${n}\``).join(', ')}?` : null
}
