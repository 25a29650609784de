/**
 * Issue 12, the export's small pure parts: DOT strings no id can break out of (read back with
 * dotparser), SRI integrity to CycloneDX hex hashes, the name-based serial number (RFC 4122 v5,
 * checked against Python's uuid.uuid5), the fixed clock, and the graph scope.
 */
import {createRequire} from 'node:module'
import {describe, expect, it} from 'vitest'
import {integrityHashes, purlOf, uuidV5} from '../../src/core/export/sbom.js'
import {dotString, toDot} from '../../src/graph/export/dot.js'
import {snapshotGraph} from '../../src/graph/export/graph.js'
import {scopeSnapshots} from '../../src/graph/export/scope.js'
import type {GraphSnapshot} from '../../src/graph/model.js'
import {readEnvironment} from '../../src/util/environment.js'

const parseDot = createRequire(import.meta.url)('dotparser') as (t: string) => {children: {type: string; node_id?: {id: string}; attr_list?: {id: string; eq: string}[]}[]}[]

describe('DOT', () => {
  const nasty = ['a"b', 'back\\slash', 'two\nlines', '"]; x -> y; //', 'uni ✓ ü', 'ends\\']
  it('every id and label is one quoted string: statements cannot be ended or injected', () => {
    for (const s of nasty) {
      const ast = parseDot(`digraph g { ${dotString(s)} [label=${dotString(s)}]; }`)[0]!
      expect(ast.children).toHaveLength(1)
      const n = ast.children[0]!
      expect(n.type).toBe('node_stmt')
      // the parser reads back exactly the quoted text (DOT unescapes only \")
      expect(n.node_id!.id).toBe(dotString(s).slice(1, -1).replace(/\\"/g, '"'))
      expect(n.attr_list).toHaveLength(1)
    }
  })

  it('a graph with hostile names still has one statement per node and edge', () => {
    const snap: GraphSnapshot = {machine: 'm', packages: [], versions: [{id: 'x"; evil', version: '1.0.0', requires: {'y\n}': '*'}}], projects: []}
    const g = snapshotGraph(snap)
    const ast = parseDot(toDot(g))[0]!
    expect(ast.children.filter((s) => s.type === 'node_stmt')).toHaveLength(g.order)
    expect(ast.children.filter((s) => s.type === 'edge_stmt')).toHaveLength(g.size)
  })
})

describe('SBOM helpers', () => {
  it('integrity: each SRI hash as hex, legacy sha256 hex kept, junk dropped', () => {
    const digest = Buffer.alloc(64, 7)
    const short = Buffer.alloc(32, 9)
    expect(integrityHashes(`sha512-${digest.toString('base64')}`)).toEqual([{alg: 'SHA-512', hex: digest.toString('hex')}])
    expect(integrityHashes(`sha256-${short.toString('base64')} sha512-${digest.toString('base64')}`).map((h) => h.alg)).toEqual(['SHA-256', 'SHA-512'])
    expect(integrityHashes(`sha256-${'AB'.repeat(32)}`)).toEqual([{alg: 'SHA-256', hex: 'ab'.repeat(32)}])
    expect(integrityHashes('sha256-UNKNOWN-pack-not-found-locally')).toEqual([])
    expect(integrityHashes(undefined)).toEqual([])
  })

  it('purl and the v5 serial number', () => {
    expect(purlOf('io.ggen.core.util', '1.2.0')).toBe('pkg:generic/io.ggen.core.util@1.2.0')
    expect(uuidV5('ggen-packs-sbom:test')).toBe('1c40138b-ed1a-5615-ac8d-308beb791d78') // python3: uuid.uuid5(uuid.NAMESPACE_URL, ...)
  })

  it('the fixed clock: GGEN_NOW first, then SOURCE_DATE_EPOCH; unreadable values are ignored', () => {
    expect(readEnvironment({GGEN_NOW: '2026-01-02T03:04:05Z', SOURCE_DATE_EPOCH: '0'}).fixedTime).toBe('2026-01-02T03:04:05.000Z')
    expect(readEnvironment({SOURCE_DATE_EPOCH: '1767225600'}).fixedTime).toBe('2026-01-01T00:00:00.000Z')
    expect(readEnvironment({GGEN_NOW: 'soon', SOURCE_DATE_EPOCH: '-5'}).fixedTime).toBeUndefined()
    expect(readEnvironment({}).fixedTime).toBeUndefined()
    // the audit clock is GGEN_NOW alone: a build's SOURCE_DATE_EPOCH never dates audit entries
    expect(readEnvironment({SOURCE_DATE_EPOCH: '1767225600'}).now).toBeUndefined()
    expect(readEnvironment({GGEN_NOW: '2026-01-02T03:04:05Z'}).now).toBe(Date.parse('2026-01-02T03:04:05Z'))
  })
})

describe('graph scope', () => {
  // a <- b <- c (versions' ranges), project p locks c 1.0.0 and its resolved b; q locks only d
  const snap: GraphSnapshot = {
    machine: 'm',
    packages: ['a', 'b', 'c', 'd'].map((id) => ({id, name: id})),
    versions: [
      {id: 'a', version: '1.0.0', requires: {}},
      {id: 'b', version: '1.0.0', requires: {a: '^1'}},
      {id: 'c', version: '1.0.0', requires: {b: '^1'}},
      {id: 'd', version: '1.0.0', requires: {}},
    ],
    projects: [
      {key: 'm:/p', path: '/p', name: 'p', machine: 'm', requires: [{id: 'c', range: '^1'}], locks: [{id: 'c', version: '1.0.0', direct: true, dependencies: ['b']}, {id: 'b', version: '1.0.0', direct: false, dependencies: []}]},
      {key: 'm:/q', path: '/q', name: 'q', machine: 'm', requires: [{id: 'd', range: '^1'}], locks: [{id: 'd', version: '1.0.0', direct: true, dependencies: []}]},
    ],
  }
  const nodes = (s: GraphSnapshot) => snapshotGraph(s).nodes().sort()

  it('a package: its versions, what they need and who needs them; nothing unrelated', () => {
    const {merged} = scopeSnapshots([snap], snap, {packages: ['b']})
    expect(nodes(merged)).toEqual(['Package:a', 'Package:b', 'Package:c', 'Project:m:/p', 'Version:b@1.0.0', 'Version:c@1.0.0'].sort())
  })

  it('a project: what it requires and locks, transitively', () => {
    const {merged, snapshots} = scopeSnapshots([snap], snap, {projects: ['m:/q']})
    expect(nodes(merged)).toEqual(['Package:d', 'Project:m:/q', 'Version:d@1.0.0'])
    expect(snapshots[0]!.projects.map((p) => p.key)).toEqual(['m:/q'])
  })

  it('no scope: the snapshots as given', () => {
    expect(scopeSnapshots([snap], snap, {}).merged).toBe(snap)
  })
})
