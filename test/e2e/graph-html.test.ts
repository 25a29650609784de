/**
 * Issue 12, "An interactive HTML view": `packs graph export --format html` on the bundled example,
 * opened in a real headless Chromium (Debian's `chromium`, started here, driven over the DevTools
 * protocol). The page loads offline without a console error or a network request, draws every
 * package, version and project of the JSON export, search focuses a node, a click highlights its
 * dependents and dependencies, flags come from the snapshot and the last scan, a scoped export is
 * smaller and loads, and a hostile package id stays text. The screenshot is kept in
 * test-artifacts/graph-view.png; UPDATE_SCREENSHOT=1 (npm run docs:screenshot) also writes
 * docs/img/graph-view.png for the README.
 */
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderGraphHtml} from '../../src/graph/export/html.js'
import type {GraphViewData, ViewNode} from '../../src/graph/export/html-data.js'
import {chromiumMissing, distinctColours, inkedPixels, launchChromium, VIEWPORT, type Browser, type Page} from '../support/browser.js'
import {binPath, repoRoot, runCli, tempDir, type CliResult} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'

const skip = chromiumMissing()
const VIEW_KINDS = new Set(['Package', 'Version', 'Project'])
/** the graph's part of the page (the side panel is 300 px wide) */
const GRAPH_BOX: [number, number, number, number] = [0, 0, VIEWPORT.width - 300, VIEWPORT.height]

let ex: Example
let out = ''
let browser: Browser
const cli = (args: string[]): CliResult => runCli(['packs', ...args], {env: ex.env, cwd: ex.workspace})

interface PageState {
  nodes: number
  edges: number
  ready: boolean
  focused: string | null
  selected: string | null
  highlighted: number
}
const state = (page: Page) => page.evaluate<PageState>('({...window.__ggenGraph})')
const viewData = (page: Page) => page.evaluate<GraphViewData>(`JSON.parse(document.getElementById('ggen-graph-data').textContent)`)

/** export html to a file and open it, ready */
async function openExport(name: string, extra: string[] = []): Promise<{page: Page; result: CliResult}> {
  const file = join(out, name)
  const result = cli(['graph', 'export', '--format', 'html', '--output', file, ...extra, '--json'])
  expect(result.code, result.stderr).toBe(0)
  const page = await browser.open(file)
  await page.waitFor('window.__ggenGraph && window.__ggenGraph.ready')
  return {page, result}
}

/** the page made no request but for itself, and reported no error */
function expectClean(page: Page): void {
  expect(page.errors).toEqual([])
  expect(page.failed).toEqual([])
  expect(page.requests.filter((u) => u !== page.url)).toEqual([])
}

describe.skipIf(!!skip)(`graph export --format html in headless Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let expected: {key: string; kind: string}[] = []
  let page: Page

  beforeAll(async () => {
    if (!existsSync(binPath)) throw new Error('build first: npm run build')
    ex = exampleHome()
    out = tempDir('ggen-graph-html-')
    const json = cli(['graph', 'export', '--format', 'json', '--json'])
    expect(json.code, json.stderr).toBe(0)
    expected = (json.json.graph.nodes as {key: string; attributes: {kind: string}}[]).map((n) => ({key: n.key, kind: n.attributes.kind})).filter((n) => VIEW_KINDS.has(n.kind))
    browser = await launchChromium()
    ;({page} = await openExport('graph.html'))
  }, 300_000)

  afterAll(async () => {
    await page?.close()
    await browser?.close()
    if (out) rmSync(out, {recursive: true, force: true})
  })

  it('loads offline: no console error, no request but the file itself, one node per package, version and project of the JSON export', async () => {
    expectClean(page)
    const s = await state(page)
    expect(expected.length).toBeGreaterThan(50)
    expect(s.nodes).toBe(expected.length)
    expect(s.edges).toBeGreaterThan(0)
    expect((await viewData(page)).nodes.map((n) => n.key).sort()).toEqual(expected.map((n) => n.key).sort())
  })

  it('draws the graph: the canvas is not blank and shows several colours (kinds and flags); the screenshot is kept', async () => {
    await new Promise((r) => setTimeout(r, 300))
    const png = await page.screenshot()
    expect(inkedPixels(png, GRAPH_BOX)).toBeGreaterThan(2000)
    expect(distinctColours(png, GRAPH_BOX)).toBeGreaterThan(4)
    mkdirSync(join(repoRoot, 'test-artifacts'), {recursive: true})
    writeFileSync(join(repoRoot, 'test-artifacts', 'graph-view.png'), png)
    if (process.env.UPDATE_SCREENSHOT === '1') copyFileSync(join(repoRoot, 'test-artifacts', 'graph-view.png'), join(repoRoot, 'docs', 'img', 'graph-view.png'))
  })

  it('flags: deprecated from the snapshot, vulnerable from the last scan (and the projects locking it), drift across projects; the legend counts them', async () => {
    // the example's own scan (examples/advisories) already flags the versions it found
    expect((await viewData(page)).nodes.some((n) => n.flags.vulnerable)).toBe(true)
    // the last scan found one locked version vulnerable
    mkdirSync(join(ex.home, 'advisories'), {recursive: true})
    writeFileSync(join(ex.home, 'advisories', 'last-scan.json'), JSON.stringify({scanned_at: '2026-01-01T00:00:00Z', findings: [{package: 'io.ggen.core.log', version: '1.0.0', severity: 'high'}]}))
    const {page: flagged} = await openExport('flags.html')
    try {
      await expectFlags(flagged)
      expectClean(flagged)
    } finally {
      await flagged.close()
    }
  })

  async function expectFlags(page: Page): Promise<void> {
    const nodes = new Map((await viewData(page)).nodes.map((n) => [n.key, n] as [string, ViewNode]))
    expect(nodes.get('Version:io.ggen.ts.legacy-forms@0.1.0')?.flags.deprecated).toBe(true)
    expect(nodes.get('Version:io.ggen.core.log@1.0.0')?.flags.vulnerable).toBe(true)
    expect(nodes.get('Package:io.ggen.core.log')?.flags.vulnerable).toBe(true)
    expect([...nodes.values()].some((n) => n.kind === 'Project' && n.flags.vulnerable)).toBe(true)
    expect(nodes.get('Package:io.ggen.rust.cli')?.flags.drift).toBe(true)
    expect(nodes.get('Package:io.ggen.academic.bib')?.flags).toEqual({deprecated: false, vulnerable: false, drift: false})
    const legend = await page.evaluate<string>(`document.getElementById('legend').textContent`)
    expect(legend).toMatch(/vulnerable \([1-9]\d*\)/)
    expect(legend).toMatch(/deprecated \([1-9]\d*\)/)
    expect(legend).toMatch(/drift \([1-9]\d*\)/)
  }

  it('search: typing an exact id focuses that node and highlights it; Enter on part of an id focuses the first match; no match says so', async () => {
    await page.type('#search', 'io.ggen.rust.cli')
    await page.waitFor(`window.__ggenGraph.focused === 'Package:io.ggen.rust.cli'`)
    const s = await state(page)
    expect(s.selected).toBe('Package:io.ggen.rust.cli')
    expect(s.highlighted).toBeGreaterThan(1)
    expect(await page.evaluate<string>(`document.getElementById('info').textContent`)).toContain('io.ggen.rust.cli')

    await page.evaluate(`document.getElementById('search').value = ''`)
    await page.type('#search', 'academic.pap')
    expect((await state(page)).focused).toBe('Package:io.ggen.rust.cli')
    await page.press('Enter')
    await page.waitFor(`window.__ggenGraph.focused === 'Package:io.ggen.academic.paper'`)

    await page.evaluate(`document.getElementById('search').value = ''`)
    await page.type('#search', 'no-such-node-anywhere')
    await page.press('Enter')
    expect(await page.evaluate<string>(`document.getElementById('info').textContent`)).toContain('No node matches')
    expectClean(page)
  })

  it('click: a node highlights itself, its dependents and its dependencies (the rest dimmed); the background clears it', async () => {
    const project = expected.find((n) => n.kind === 'Project')!.key
    // focus the node (the camera centres it), then click where it is drawn
    await page.evaluate(`document.getElementById('search').value = ''`)
    await page.type('#search', project)
    await page.waitFor(`window.__ggenGraph.focused === ${JSON.stringify(project)} && !window.__ggenGraph.moving`)
    // where it is drawn once the camera has stopped (the same position twice, 150 ms apart)
    const where = () => page.evaluate<{x: number; y: number}>(`window.__ggenGraph.positionOf(${JSON.stringify(project)})`)
    let at = await where()
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 150))
      const again = await where()
      if (Math.abs(again.x - at.x) < 0.5 && Math.abs(again.y - at.y) < 0.5) break
      at = again
    }
    expect(at.x).toBeGreaterThan(0)
    expect(at.x).toBeLessThan(GRAPH_BOX[2])
    await page.evaluate(`window.__ggenGraph.selected = null`)
    await page.click(at.x, at.y)
    await page.waitFor(`window.__ggenGraph.selected === ${JSON.stringify(project)}`)
    const s = await state(page)
    // a project depends on what it requires and locks: more than itself, fewer than everything
    expect(s.highlighted).toBeGreaterThan(2)
    expect(s.highlighted).toBeLessThan(s.nodes)
    expect(await page.evaluate<string>(`document.getElementById('info').textContent`)).toMatch(/dependencies\d+ \(direct \d+\)/)
    // a second click within sigma's double-click time would be a double click (a zoom)
    await new Promise((r) => setTimeout(r, 600))
    await page.click(GRAPH_BOX[2] - 5, 5)
    await page.waitFor('window.__ggenGraph.selected === null')
    expect((await state(page)).highlighted).toBe(0)
    expectClean(page)
  })

  it('--package keeps the subgraph around one package: fewer nodes, and it still loads', async () => {
    const {page: scoped, result} = await openExport('scoped.html', ['--package', 'io.ggen.core.log'])
    try {
      expect(result.json).toMatchObject({format: 'html', scope: 'package io.ggen.core.log'})
      const s = await state(scoped)
      expect(s.nodes).toBe(result.json.nodes)
      expect(s.nodes).toBeGreaterThan(1)
      expect(s.nodes).toBeLessThan(expected.length)
      const keys = (await viewData(scoped)).nodes.map((n) => n.key)
      expect(keys).toContain('Package:io.ggen.core.log')
      expect(keys).toContain('Version:io.ggen.core.log@1.0.0')
      expect(await scoped.evaluate<string>(`document.querySelector('.scope').textContent`)).toBe('package io.ggen.core.log')
      expectClean(scoped)
    } finally {
      await scoped.close()
    }
  })

  it('a broken last-scan.json is E_SCHEMA (exit 3) naming the file and field; --package with another format is a usage error (exit 2)', () => {
    const scan = join(ex.home, 'advisories', 'last-scan.json')
    const before = existsSync(scan) ? readFileSync(scan, 'utf8') : null
    mkdirSync(join(ex.home, 'advisories'), {recursive: true})
    writeFileSync(scan, '{"findings": 5}')
    try {
      const r = cli(['graph', 'export', '--format', 'html', '--output', join(out, 'broken.html')])
      expect(r.code, r.stderr).toBe(3)
      expect(r.stderr).toContain(scan)
      expect(r.stderr).toContain('`findings`')
      expect(existsSync(join(out, 'broken.html'))).toBe(false)
    } finally {
      if (before === null) rmSync(scan, {force: true})
      else writeFileSync(scan, before)
    }
    const usage = cli(['graph', 'export', '--format', 'json', '--package', 'io.ggen.core.log'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/HTML view only[\s\S]*Try this:/)
  })

  it('--project keeps what one project requires and locks', async () => {
    const {page: scoped, result} = await openExport('project.html', ['--project', join(ex.workspace, 'billing-api')])
    try {
      const keys = (await viewData(scoped)).nodes.map((n) => n.key)
      expect(keys.filter((k) => k.startsWith('Project:'))).toEqual([`Project:example-laptop:${join(ex.workspace, 'billing-api')}`])
      expect((await state(scoped)).nodes).toBe(result.json.nodes)
      expect(result.json.nodes).toBeLessThan(expected.length)
      expectClean(scoped)
    } finally {
      await scoped.close()
    }
  })

  it('a hostile package id (</script><img onerror=…>) stays text: the page loads with the right node count and runs no injected code', async () => {
    const hostile = `</script><img src=x onerror="window.__pwned=1">\u2028<!--`
    const data: GraphViewData = {
      nodes: [
        {key: `Package:${hostile}`, kind: 'Package', label: hostile, id: hostile, flags: {deprecated: false, vulnerable: true, drift: false}, x: 0, y: 0},
        {key: `Version:${hostile}@1.0.0`, kind: 'Version', label: `${hostile}@1.0.0`, id: hostile, version: '1.0.0', flags: {deprecated: true, vulnerable: true, drift: false}, x: 10, y: 10},
        {key: 'Project:m:/p', kind: 'Project', label: 'p', path: '/p', flags: {deprecated: true, vulnerable: true, drift: false}, x: -10, y: 5},
      ],
      edges: [
        {source: `Version:${hostile}@1.0.0`, target: `Package:${hostile}`, type: 'OF'},
        {source: 'Project:m:/p', target: `Version:${hostile}@1.0.0`, type: 'LOCKS'},
      ],
    }
    const file = join(out, 'hostile.html')
    writeFileSync(file, renderGraphHtml(data, {title: hostile, scope: `package ${hostile}`}))
    const hp = await browser.open(file)
    try {
      await hp.waitFor('window.__ggenGraph && window.__ggenGraph.ready')
      expect((await state(hp)).nodes).toBe(3)
      expect(await hp.evaluate<number | null>('window.__pwned ?? null')).toBeNull()
      expect(await hp.evaluate<number>('document.querySelectorAll("img").length')).toBe(0)
      expect(await hp.evaluate<string>('document.title')).toBe(hostile)
      expect(await hp.evaluate<string>(`document.querySelector('h1').textContent`)).toBe(hostile)
      await hp.type('#search', hostile)
      await hp.waitFor(`window.__ggenGraph.focused === ${JSON.stringify(`Package:${hostile}`)}`)
      expect(await hp.evaluate<string>(`document.getElementById('info').textContent`)).toContain(hostile)
      expectClean(hp)
    } finally {
      await hp.close()
    }
  })

  it('the written file is the one the JSON result names, and it holds the bundled renderer (no external script)', () => {
    const html = readFileSync(join(out, 'graph.html'), 'utf8')
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).not.toMatch(/<script[^>]+src=/i)
  })
})
