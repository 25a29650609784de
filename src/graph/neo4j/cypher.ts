/**
 * The Cypher loader. Every statement the Neo4j adapter runs lives in `cypher/` at the package
 * root, one statement per file, each opening with a `//` header that says what it answers and
 * which `$parameters` it takes. Nothing here builds Cypher from strings: a statement is read
 * verbatim (its header comment stays, Neo4j ignores it) and cached.
 *
 * The package root is found by walking up from this module until a directory holding
 * `cypher/schema` is met, so the same code works from src/ (vitest, tsx) and from
 * dist/src/graph/neo4j/ (the built CLI).
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** a statement file's path below cypher/, without the extension: `read/projects` */
export type StatementName = `${'schema' | 'write' | 'read' | 'examples'}/${string}`

export interface Statement {
  name: StatementName
  text: string
}

let root: string | undefined

/** the `cypher/` directory of this package */
export function cypherDir(): string {
  if (root) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'cypher')
    if (existsSync(join(candidate, 'schema'))) return (root = candidate)
    const up = dirname(dir)
    if (up === dir) break
    dir = up
  }
  throw new Error(`cypher/ statements not found above ${fileURLToPath(import.meta.url)} (is the package installed whole?)`)
}

const cache = new Map<StatementName, Statement>()

/** one statement, by name (`read/projects` -> cypher/read/projects.cypher) */
export function cypher(name: StatementName): Statement {
  let s = cache.get(name)
  if (!s) {
    const text = readFileSync(join(cypherDir(), `${name}.cypher`), 'utf8').trim().replace(/;\s*$/, '')
    s = {name, text}
    cache.set(name, s)
  }
  return s
}

/** every statement of a folder, in file-name order (schema migrations run in this order) */
export function cypherFolder(folder: 'schema' | 'write' | 'read' | 'examples'): Statement[] {
  return readdirSync(join(cypherDir(), folder))
    .filter((f) => f.endsWith('.cypher'))
    .sort()
    .map((f) => cypher(`${folder}/${f.slice(0, -'.cypher'.length)}`))
}

/** the header comment of a statement (leading `//` lines, markers stripped) */
export function headerOf(s: Statement): string {
  const lines: string[] = []
  for (const line of s.text.split('\n')) {
    const t = line.trim()
    if (!t.startsWith('//')) break
    lines.push(t.replace(/^\/\/\s?/, ''))
  }
  return lines.join('\n')
}

/** the statement without its header comment */
export function bodyOf(s: Statement): string {
  const lines = s.text.split('\n')
  let i = 0
  while (i < lines.length && lines[i]!.trim().startsWith('//')) i++
  return lines.slice(i).join('\n').trim()
}
