/**
 * An advisory's severity: the CVSS base score of its vectors (CVSS v4.0, then v3.x, then v2, with
 * ae-cvss-calculator), mapped to the qualitative rating (critical >= 9.0, high >= 7.0,
 * medium >= 4.0, low otherwise); without a usable vector, `database_specific.severity` (GHSA's
 * CRITICAL/HIGH/MODERATE/LOW) or an Ubuntu priority; else `unknown`.
 */
import {createRequire} from 'node:module'
import type {Severity} from '../domain/scan.js'
import type {OsvRecord} from './osv.js'

export interface SeverityInfo {
  severity: Severity
  score?: number
  vector?: string
}

type Calculator = {calculateScores(): {base?: number; overall?: number}}
type CvssModule = Record<'Cvss2' | 'Cvss3P0' | 'Cvss3P1' | 'Cvss4P0', new (vector: string) => Calculator>

let cvss: CvssModule | undefined
/** the CVSS library (CommonJS), loaded on first use */
const lib = (): CvssModule => (cvss ??= createRequire(import.meta.url)('ae-cvss-calculator') as CvssModule)

export function ratingOf(score: number): Severity {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'medium'
  return 'low'
}

function calculatorFor(type: string, vector: string): keyof CvssModule | undefined {
  if (type === 'CVSS_V4') return 'Cvss4P0'
  if (type === 'CVSS_V3') return vector.startsWith('CVSS:3.0/') ? 'Cvss3P0' : 'Cvss3P1'
  if (type === 'CVSS_V2') return 'Cvss2'
  return undefined
}

/** the base score of one vector; undefined when the library cannot read it */
export function cvssScore(type: string, vector: string): number | undefined {
  const name = calculatorFor(type, vector)
  if (!name) return undefined
  try {
    const s = new (lib()[name])(vector).calculateScores()
    const score = s.base ?? s.overall
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined
  } catch {
    return undefined
  }
}

const WORDS: Record<string, Severity> = {critical: 'critical', high: 'high', important: 'high', moderate: 'medium', medium: 'medium', low: 'low', negligible: 'low'}
const PREFERENCE = ['CVSS_V4', 'CVSS_V3', 'CVSS_V2']

const wordOf = (v: unknown): Severity | undefined => (typeof v === 'string' ? WORDS[v.toLowerCase()] : undefined)

export function severityOf(r: OsvRecord): SeverityInfo {
  const entries = [...(r.severity ?? []), ...(r.affected ?? []).flatMap((a) => a.severity ?? [])]
  for (const type of PREFERENCE) {
    for (const e of entries.filter((x) => x.type === type)) {
      const score = cvssScore(e.type, e.score)
      if (score !== undefined) return {severity: ratingOf(score), score, vector: e.score}
    }
  }
  const specific = [r.database_specific, ...(r.affected ?? []).map((a) => a.database_specific)].map((d) => wordOf(d?.severity)).find(Boolean)
  if (specific) return {severity: specific}
  const ubuntu = entries.filter((e) => e.type === 'Ubuntu').map((e) => wordOf(e.score)).find(Boolean)
  return {severity: ubuntu ?? 'unknown'}
}
