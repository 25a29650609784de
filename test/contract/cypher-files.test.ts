/**
 * The statement files under cypher/: one statement per file, a header comment saying what it
 * answers and its parameters, every `$parameter` the body uses documented in the header, MERGE
 * keys backed by a uniqueness constraint, no string-built Cypher in the adapter.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {bodyOf, cypherDir, cypherFolder, headerOf} from '../../src/graph/neo4j/cypher.js'

const all = (['schema', 'write', 'read', 'examples'] as const).flatMap((f) => cypherFolder(f))

describe('cypher/ statement files', () => {
  it('are found from the source tree', () => {
    expect(all.length).toBeGreaterThan(20)
    expect(cypherDir()).toMatch(/cypher$/)
  })

  for (const s of all) {
    it(`${s.name}: header comment, parameters documented, one statement`, () => {
      const header = headerOf(s)
      const body = bodyOf(s)
      expect(header, 'header comment').toMatch(/\S/)
      expect(header, 'says which parameters it takes').toMatch(/Parameters?:/)
      expect(body.length).toBeGreaterThan(0)
      // one statement: no `;` outside string literals
      expect(body.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, ''), 'a single statement').not.toContain(';')
      for (const [, p] of body.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) expect(header, `$${p} documented in the header`).toContain(`$${p}`)
    })
  }

  it('every MERGE key of a write statement has a uniqueness constraint', () => {
    const constrained = new Set(
      cypherFolder('schema')
        .map((s) => /FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE/.exec(s.text))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => `${m[1]}.${m[2]}`),
    )
    for (const s of cypherFolder('write')) {
      for (const [, label, key] of bodyOf(s).matchAll(/MERGE \(\w+:(\w+) \{(\w+):/g)) expect(constrained, `${s.name}: ${label}.${key}`).toContain(`${label}.${key}`)
    }
  })

  it('the adapter builds no Cypher from strings: it only names statement files', () => {
    const dir = new URL('../../src/graph/neo4j/', import.meta.url)
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = readFileSync(join(dir.pathname, f), 'utf8')
      expect(text, f).not.toMatch(/\b(?:MATCH|MERGE|CREATE|UNWIND|RETURN)\s*\(/)
      expect(text, f).not.toMatch(/`[^`]*\b(?:MATCH|MERGE|UNWIND)\b[^`]*\$\{/)
    }
  })
})
