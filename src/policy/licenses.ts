/**
 * License rules on real SPDX expressions. spdx-expression-parse reads the expression (with
 * `LicenseRef-*` custom ids), spdx-correct normalises sloppy strings ("Apache 2", "mit") — the
 * result says so, so the caller can warn — and spdx-satisfies answers the allow list ("MIT OR
 * GPL-3.0-only" satisfies allow [MIT]; "MIT AND GPL-3.0-only" does not). The deny list has no
 * library function: an expression is denied when every way of satisfying it (each conjunction of
 * its disjunctive normal form) needs a denied license.
 */
import parse, {type SpdxNode} from 'spdx-expression-parse'
import correct from 'spdx-correct'
import satisfies from 'spdx-satisfies'

export interface LicenseRules {
  allow?: string[]
  deny?: string[]
}

export type LicenseFinding = 'missing' | 'unparseable' | 'denied' | 'not-allowed'

export interface LicenseVerdict {
  ok: boolean
  /** the expression as evaluated (normalised when `corrected`) */
  expression: string | null
  /** the license string was not valid SPDX and spdx-correct rewrote it */
  corrected?: boolean
  finding?: LicenseFinding
  message?: string
}

/** parse an SPDX expression, correcting each sloppy id (spdx-correct) when the whole fails */
export function normaliseLicense(raw: string): {expression: string; corrected: boolean} | null {
  const text = raw.trim()
  if (!text) return null
  try {
    parse(text)
    return {expression: text, corrected: false}
  } catch {
    const whole = correct(text)
    if (whole) return {expression: whole, corrected: true}
    // correct each id of an expression written with sloppy ids ("mit OR apache 2")
    const parts = text.split(/\s+(AND|OR|WITH)\s+/i)
    const fixed = parts.map((p, i) => (i % 2 === 1 ? p.toUpperCase() : p.startsWith('LicenseRef-') ? p : correct(p.replace(/[()]/g, '')) ?? null))
    if (fixed.some((p) => p === null)) return null
    const expression = fixed.join(' ')
    try {
      parse(expression)
      return {expression, corrected: true}
    } catch {
      return null
    }
  }
}

/** the expression's alternatives: each a set of licenses that together satisfy it */
export function alternatives(node: SpdxNode): string[][] {
  if ('license' in node) return [[node.license + (node.exception ? ` WITH ${node.exception}` : '')]]
  const l = alternatives(node.left)
  const r = alternatives(node.right)
  if (node.conjunction === 'or') return [...l, ...r]
  return l.flatMap((a) => r.map((b) => [...a, ...b]))
}

const bare = (id: string) => id.replace(/ WITH .*$/, '').replace(/\+$/, '')

export function evaluateLicense(raw: string | null | undefined, rules: LicenseRules): LicenseVerdict {
  const allow = rules.allow ?? []
  const deny = rules.deny ?? []
  if (raw === null || raw === undefined || raw.trim() === '') {
    return {ok: false, expression: null, finding: 'missing', message: 'declares no license'}
  }
  const n = normaliseLicense(raw)
  if (!n) return {ok: false, expression: raw, finding: 'unparseable', message: `license "${raw}" is not an SPDX expression`}
  const alts = alternatives(parse(n.expression))
  const denied = new Set(deny)
  const usable = alts.filter((a) => !a.some((id) => denied.has(bare(id))))
  if (usable.length === 0) {
    return {ok: false, expression: n.expression, corrected: n.corrected, finding: 'denied', message: `license ${n.expression} needs a denied license (${[...new Set(alts.flat().map(bare).filter((id) => denied.has(id)))].join(', ')})`}
  }
  if (allow.length > 0) {
    // the allow list through spdx-satisfies, on an alternative that is not denied
    const ok = usable.some((a) => {
      try {
        return satisfies(a.join(' AND '), allow)
      } catch {
        return a.every((id) => allow.includes(bare(id)))
      }
    })
    if (!ok) return {ok: false, expression: n.expression, corrected: n.corrected, finding: 'not-allowed', message: `license ${n.expression} is not satisfied by the allowed licenses (${allow.join(', ')})`}
  }
  return {ok: true, expression: n.expression, corrected: n.corrected}
}
