/**
 * `packs search`: ranked over id, name, keywords, tags and description (every query term must
 * match somewhere); ties broken by quality score, downloads, id.
 */
import type {Catalog, CatalogPackage} from '../registry/catalog.js'

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

function termScore(p: CatalogPackage, t: string): number {
  const id = p.id.toLowerCase()
  const name = p.name.toLowerCase()
  let s = 0
  if (id === t || name === t) s += 100
  else if (id.startsWith(t) || name.startsWith(t)) s += 50
  else if (id.includes(t) || name.includes(t)) s += 30
  if (p.keywords.some((k) => k.toLowerCase() === t)) s += 20
  else if (p.keywords.some((k) => k.toLowerCase().includes(t))) s += 8
  if (p.tags.some((k) => k.toLowerCase() === t)) s += 15
  else if (p.tags.some((k) => k.toLowerCase().includes(t))) s += 6
  if ((p.category ?? '').toLowerCase() === t) s += 10
  if (p.description.toLowerCase().includes(t)) s += 10
  return s
}

export function search(catalog: Catalog, query: string, o: SearchOptions = {}): SearchRow[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean)
  const rows: SearchRow[] = []
  for (const p of catalog.all()) {
    let score = 0
    let all = true
    for (const t of terms) {
      const s = termScore(p, t)
      if (s === 0) {
        all = false
        break
      }
      score += s
    }
    if (!all) continue
    const latest = catalog.latest(p.id)
    const row: SearchRow = {
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
    if (o.category && (row.category ?? '').toLowerCase() !== o.category.toLowerCase()) continue
    if (o.minQuality !== undefined && (row.quality_score ?? 0) < o.minQuality) continue
    if (o.productionReady && !row.production_ready) continue
    rows.push(row)
  }
  rows.sort((a, b) => b.score - a.score || (b.quality_score ?? 0) - (a.quality_score ?? 0) || (a.id < b.id ? -1 : 1))
  return o.limit ? rows.slice(0, o.limit) : rows
}
