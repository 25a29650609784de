/**
 * GraphSnapshots -> a Cypher script that recreates the graph (`cypher-shell -f graph.cypher`).
 * The script replays exactly what `packs graph sync` runs on an empty graph: the schema
 * statements, then for each machine (in the order they first synced) the cypher/write statements
 * with their `$parameters` written out as literals, in batches. Loading it into an empty Neo4j gives the graph the adapter
 * answers from (`--backend neo4j` works on it). The statements themselves come from cypher/; this
 * file only renders parameter values as Cypher literals, it writes no query of its own.
 */
import {bodyOf, cypher, cypherFolder, type StatementName} from '../neo4j/cypher.js'
import {snapshotRows, writePhases} from '../neo4j/rows.js'
import type {GraphSnapshot} from '../model.js'

const LITERAL_BATCH = 1000

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** a JS value as a Cypher literal (numbers as floats: the driver sends JS numbers as Float) */
export function cypherLiteral(x: unknown): string {
  if (x === null || x === undefined) return 'null'
  if (typeof x === 'boolean') return x ? 'true' : 'false'
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) return 'null'
    const s = String(x)
    if (/e/i.test(s)) return s.replace('e+', 'e')
    return Number.isInteger(x) ? `${s}.0` : s
  }
  if (typeof x === 'string') return cypherString(x)
  if (Array.isArray(x)) return `[${x.map(cypherLiteral).join(', ')}]`
  if (typeof x === 'object') {
    const parts = Object.entries(x as Record<string, unknown>).map(([k, v]) => `${IDENT.test(k) ? k : '`' + k.replace(/`/g, '``') + '`'}: ${cypherLiteral(v)}`)
    return `{${parts.join(', ')}}`
  }
  return cypherString(String(x))
}

export function cypherString(s: string): string {
  let out = "'"
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === "'") out += "\\'"
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return out + "'"
}

/** a statement's body with each `$name` replaced by the literal of params[name] */
function inline(name: StatementName, params: Record<string, unknown>): string {
  return bodyOf(cypher(name)).replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, p: string) => {
    if (!(p in params)) throw new Error(`${name}.cypher uses $${p}, which the export does not provide`)
    return cypherLiteral(params[p])
  })
}

export interface CypherScriptOptions {
  /** stamp written as lastSynced (default: `export`) */
  runId?: string
  /** ISO time written as the machines' syncedAt (default: now) */
  syncedAt?: string
}

/** the script's statements (without `;`), comments included: one snapshot per machine, in first-sync order */
export function cypherScriptStatements(snapshots: GraphSnapshot[], opts: CypherScriptOptions = {}): string[] {
  const runId = opts.runId ?? 'export'
  const syncedAt = opts.syncedAt ?? new Date().toISOString()
  const out: string[] = cypherFolder('schema').map((s) => bodyOf(s))
  for (const snap of snapshots) {
    const base = {machine: snap.machine, runId, syncedAt}
    out.push(`// machine ${snap.machine}\n${inline('write/010-machine', base)}`)
    for (const [name, list] of writePhases(snapshotRows(snap))) {
      for (let i = 0; i < list.length; i += LITERAL_BATCH) {
        const header = i === 0 ? `// ${name}.cypher: ${list.length} rows\n` : ''
        out.push(header + inline(name, {...base, rows: list.slice(i, i + LITERAL_BATCH)}))
      }
    }
  }
  return out
}

/** the whole script: a header, then every statement terminated by `;` */
export function toCypherScript(snapshots: GraphSnapshot[], opts: CypherScriptOptions = {}): string {
  const head = [
    '// ggen packs graph export: a Cypher script recreating the graph.',
    '// Load into an empty Neo4j 5: cypher-shell -u neo4j -p "$GGEN_NEO4J_PASSWORD" -f graph.cypher',
    `// machines: ${snapshots.map((s) => s.machine).join(', ') || '(none)'}`,
    '',
  ]
  return head.join('\n') + cypherScriptStatements(snapshots, opts).map((s) => `${s};\n`).join('')
}
