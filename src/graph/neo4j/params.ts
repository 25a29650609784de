/**
 * `--param key=value` for `packs query`: the value is read as JSON when it parses (numbers,
 * true/false/null, "quoted strings", [lists], {maps}), otherwise taken as a plain string.
 * Integral numbers are sent as Neo4j integers (so `LIMIT $n` works); see values.ts toParam.
 */
import {PacksError} from '../../domain/errors.js'

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

export function parseQueryParams(pairs: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    if (eq < 0 || !KEY.test(key)) {
      throw new PacksError('E_USAGE', `--param "${pair}" is not key=value (key: letters, digits, _)`, {hint: 'Example: --param id=io.ggen.web --param limit=10'})
    }
    const raw = pair.slice(eq + 1)
    let value: unknown = raw
    try {
      value = JSON.parse(raw)
    } catch {
      // a plain string
    }
    out[key] = value
  }
  return out
}
