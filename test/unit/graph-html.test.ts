/**
 * The HTML graph view without a browser (test/e2e/graph-html.test.ts opens it in one): the page
 * loads nothing from the network (no http(s) script, stylesheet, import or fetch, and a CSP that
 * allows only its own inline script), a hostile package id is escaped everywhere it appears,
 * and the view model keeps packages, versions and projects, flags them and scopes them.
 * Reads the bundled page script from dist/ (npm run build first).
 */
import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {GRAPH_DATA_ID, jsonForScript, renderGraphHtml} from '../../src/graph/export/html.js'
import type {GraphViewData} from '../../src/graph/export/html-data.js'
import {snapshotGraph} from '../../src/graph/export/graph.js'
import {graphView} from '../../src/graph/export/view.js'
import type {GraphSnapshot} from '../../src/graph/model.js'

const HOSTILE = `</script><img src=x onerror="alert(1)"><!--\u2028\u2029&`
const data: GraphViewData = {
  nodes: [{key: `Package:${HOSTILE}`, kind: 'Package', label: HOSTILE, id: HOSTILE, flags: {deprecated: false, vulnerable: false, drift: false}, x: 0, y: 0}],
  edges: [],
}
const html = renderGraphHtml(data, {title: HOSTILE, scope: `package ${HOSTILE}`})
const dataBlock = () => new RegExp(`<script type="application/json" id="${GRAPH_DATA_ID}">([^<]*)</script>`).exec(html)?.[1]

describe('renderGraphHtml: offline', () => {
  it('loads no resource over the network: no script src, link href, @import, url(), fetch, XMLHttpRequest or WebSocket', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i)
    expect(html).not.toMatch(/<link[^>]*\shref=/i)
    expect(html).not.toMatch(/<(img|iframe|embed|object|source|video|audio)\b/i)
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i)
    expect(html).not.toMatch(/\bfetch\(|XMLHttpRequest|new WebSocket|sendBeacon|importScripts/)
    expect(html).not.toMatch(/["'(=]\s*(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i)
  })

  it('a Content-Security-Policy allows nothing from anywhere but the one inline script and style (by hash)', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? ''
    expect(csp).toMatch(/default-src 'none'/)
    const script = /<script>([\s\S]*)<\/script>\s*<\/body>/.exec(html)?.[1] ?? ''
    expect(script.length).toBeGreaterThan(10_000)
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`)
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/)
  })

  it('holds exactly two scripts: the data (not executed) and the bundled renderer', () => {
    expect(html.match(/<script\b/gi)).toHaveLength(2)
    expect(html.match(/<\/script>/gi)).toHaveLength(2)
  })
})

describe('renderGraphHtml: a hostile id', () => {
  it('stays text in the title, the heading and the scope line', () => {
    expect(html).not.toContain('<img')
    expect(html).toContain('<title>&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;!--')
    expect(html).toContain('<p class="scope">package &lt;/script&gt;')
  })

  it('is inlined as JSON without <, >, & or U+2028/2029, and parses back to the same id', () => {
    const block = dataBlock()!
    expect(block).toBeDefined()
    expect(block).not.toMatch(/[<>&\u2028\u2029]/)
    expect((JSON.parse(block) as GraphViewData).nodes[0]!.id).toBe(HOSTILE)
    expect(jsonForScript({s: '\u2028'})).toBe('{"s":"\\u2028"}')
  })
})

const snapshot: GraphSnapshot = {
  machine: 'm',
  packages: [{id: 'a', name: 'a'}, {id: 'b', name: 'b'}, {id: 'c', name: 'c'}],
  versions: [
    {id: 'a', version: '1.0.0', requires: {b: '^1'}},
    {id: 'b', version: '1.0.0', requires: {}, deprecated: 'use c'},
    {id: 'b', version: '1.1.0', requires: {}},
    {id: 'c', version: '1.0.0', requires: {}},
  ],
  projects: [
    {key: 'm:/p1', path: '/p1', name: 'p1', machine: 'm', requires: [{id: 'a', range: '^1'}], locks: [{id: 'a', version: '1.0.0', direct: true, dependencies: ['b']}, {id: 'b', version: '1.0.0', direct: false, dependencies: []}]},
    {key: 'm:/p2', path: '/p2', name: 'p2', machine: 'm', requires: [{id: 'b', range: '^1'}], locks: [{id: 'b', version: '1.1.0', direct: true, dependencies: []}]},
    {key: 'm:/p3', path: '/p3', name: 'p3', machine: 'm', requires: [{id: 'c', range: '^1'}], locks: [{id: 'c', version: '1.0.0', direct: true, dependencies: []}]},
  ],
  advisories: [{id: 'GHSA-x', package: 'a', affects: ['a@1.0.0']}],
}

describe('graphView: the view model', () => {
  const g = snapshotGraph(snapshot)
  const input = {vulnerable: new Set(['a@1.0.0']), drift: new Set(['b'])}
  const view = graphView(g, input)
  const node = (key: string) => view.nodes.find((n) => n.key === key)!

  it('packages, versions and projects (advisories left out), each edge once, every node laid out', () => {
    expect(view.nodes.map((n) => n.kind).sort()).toEqual([...Array(3).fill('Package'), ...Array(3).fill('Project'), ...Array(4).fill('Version')])
    expect(new Set(view.edges.map((e) => `${e.type} ${e.source} ${e.target}`)).size).toBe(view.edges.length)
    expect(view.edges.some((e) => e.type === 'AFFECTS')).toBe(false)
    expect(new Set(view.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(view.nodes.length)
    expect(graphView(g, input)).toEqual(view)
  })

  it('flags: versions from their own state, packages from their versions, projects from their locks', () => {
    expect(node('Version:a@1.0.0').flags).toEqual({deprecated: false, vulnerable: true, drift: false})
    expect(node('Version:b@1.0.0').flags).toEqual({deprecated: true, vulnerable: false, drift: true})
    expect(node('Version:b@1.0.0').deprecated).toBe('use c')
    expect(node('Package:b').flags).toEqual({deprecated: false, vulnerable: false, drift: true})
    expect(node('Project:m:/p1').flags).toEqual({deprecated: true, vulnerable: true, drift: true})
    expect(node('Project:m:/p3').flags).toEqual({deprecated: false, vulnerable: false, drift: false})
  })

  it('--package keeps the package, its versions, their requirers, lockers and needs; --project what it requires and locks', () => {
    const keys = (scope: {package?: string; project?: string}) => graphView(g, input, scope).nodes.map((n) => n.key).sort()
    expect(keys({package: 'c'})).toEqual(['Package:c', 'Project:m:/p3', 'Version:c@1.0.0'])
    expect(keys({package: 'b'})).toEqual(['Package:a', 'Package:b', 'Project:m:/p1', 'Project:m:/p2', 'Version:a@1.0.0', 'Version:b@1.0.0', 'Version:b@1.1.0'])
    expect(keys({project: 'm:/p2'})).toEqual(['Package:b', 'Project:m:/p2', 'Version:b@1.1.0'])
  })
})
