/**
 * Driver values -> plain JSON values, inside the adapter. Neo4j integers arrive as `Integer`
 * objects, temporal values as driver classes, graph entities as Node/Relationship/Path: nothing
 * of that leaves src/graph/neo4j. Records are read by alias only (`field(record, 'name')`).
 */
import neo4j, {isDate, isDateTime, isDuration, isLocalDateTime, isLocalTime, isNode, isPath, isPoint, isRelationship, isTime, type Record as Neo4jRecord} from 'neo4j-driver'

export type Plain = null | boolean | number | string | Plain[] | {[key: string]: Plain}

/** an integer as a JS number when it fits, else its decimal string (never a lossy number) */
export function intValue(v: {toNumber(): number; toString(): string; inSafeRange(): boolean}): number | string {
  return v.inSafeRange() ? v.toNumber() : v.toString()
}

/** any driver value -> plain JSON (for `packs query` and for reading maps returned by statements) */
export function toPlain(v: unknown): Plain {
  if (v === null || v === undefined) return null
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (neo4j.isInt(v)) return intValue(v)
  if (isDateTime(v) || isDate(v) || isLocalDateTime(v) || isTime(v) || isLocalTime(v) || isDuration(v)) return String(v)
  if (isPoint(v)) return {srid: toPlain(v.srid), x: v.x, y: v.y, ...(v.z === undefined ? {} : {z: v.z})}
  if (isNode(v)) return {elementId: v.elementId, labels: [...v.labels], properties: toPlainMap(v.properties)}
  if (isRelationship(v)) {
    return {elementId: v.elementId, type: v.type, start: v.startNodeElementId, end: v.endNodeElementId, properties: toPlainMap(v.properties)}
  }
  if (isPath(v)) return {start: toPlain(v.start), end: toPlain(v.end), segments: v.segments.map((s) => ({start: toPlain(s.start), relationship: toPlain(s.relationship), end: toPlain(s.end)}))}
  if (Array.isArray(v)) return v.map(toPlain)
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  if (typeof v === 'object') return toPlainMap(v as Record<string, unknown>)
  return String(v)
}

export function toPlainMap(m: Record<string, unknown>): {[key: string]: Plain} {
  const out: {[key: string]: Plain} = {}
  for (const [k, x] of Object.entries(m)) out[k] = toPlain(x)
  return out
}

/** the value a record holds under `alias`, as plain JSON */
export function field(rec: Neo4jRecord, alias: string): Plain {
  return toPlain(rec.get(alias))
}

// typed readers for plain values (null/absent -> undefined)
export const asString = (v: Plain | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v))
export const asNumber = (v: Plain | undefined): number | undefined => {
  if (v === null || v === undefined) return undefined
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : undefined
}
export const asBoolean = (v: Plain | undefined): boolean | undefined => (v === null || v === undefined ? undefined : v === true)
export const asStringList = (v: Plain | undefined): string[] | undefined => (Array.isArray(v) ? v.map((x) => String(x)) : undefined)
export const asMap = (v: Plain | undefined): {[key: string]: Plain} => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {})
export const asList = (v: Plain | undefined): Plain[] => (Array.isArray(v) ? v : [])

/**
 * A parameter value for the driver: integral numbers become Neo4j integers (so `LIMIT $n` and
 * integer comparisons work), everything else passes as is.
 */
export function toParam(v: unknown): unknown {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return neo4j.int(v)
  if (Array.isArray(v)) return v.map(toParam)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toParam(x)]))
  return v
}
