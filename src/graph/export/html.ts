/**
 * The interactive HTML view of the graph: one self-contained file that works offline. The page's
 * script (./html-app/main.ts with graphology and sigma, bundled by scripts/build.mjs into
 * dist/assets/graph-view.js) and the data (JSON) are inlined; a Content-Security-Policy allows
 * that one script (by hash) and no network at all, so the page cannot load anything even if a
 * package id smuggled markup into it. Pure: the data comes laid out and flagged (./view.ts).
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {GraphViewData} from './html-data.js'

export interface GraphHtmlOptions {
  title: string
  /** what the view was scoped to (`project /path`, `package io.x`), shown under the title */
  scope?: string
}

export const GRAPH_DATA_ID = 'ggen-graph-data'
const ASSET = join('assets', 'graph-view.js')

let script: string | undefined

/**
 * The bundled page script, read once: next to the compiled module (dist/chunks/ or
 * dist/commands/…: a few folders up is dist/) or, from the sources (tests), in dist/.
 */
export function graphViewScript(): string {
  if (script !== undefined) return script
  const from = dirname(fileURLToPath(import.meta.url))
  let dir = from
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    for (const file of [join(dir, ASSET), join(dir, 'dist', ASSET)]) if (existsSync(file)) return (script = readFileSync(file, 'utf8'))
  }
  throw new Error(`the HTML graph view's script ${ASSET} is missing above ${from}: run npm run build`)
}

const HTML_ESCAPES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/** JSON safe inside <script>: no `<`, `>` or `&` (so no `</script>` or `<!--`), no U+2028/2029 */
export const jsonForScript = (value: unknown): string => JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** script text that cannot end its <script> element early or open an HTML comment in it */
const scriptText = (js: string): string => js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

const STYLE = `
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; color: #222; background: #fff; }
#graph { position: absolute; inset: 0 300px 0 0; }
#side { position: absolute; top: 0; right: 0; bottom: 0; width: 300px; box-sizing: border-box; padding: 12px; overflow: auto; border-left: 1px solid #ddd; background: #fafafa; }
h1 { font-size: 15px; margin: 0 0 2px; }
.scope { color: #666; margin: 0 0 8px; overflow-wrap: anywhere; }
#search { width: 100%; box-sizing: border-box; padding: 6px; font: inherit; }
#legend { list-style: none; padding: 0; margin: 10px 0; }
#legend li { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.swatch { width: 12px; height: 12px; border-radius: 50%; flex: none; }
#info { border-top: 1px solid #ddd; padding-top: 8px; overflow-wrap: anywhere; }
#info dt { font-weight: 600; margin-top: 4px; }
#info dd { margin: 0; }
.hint { color: #666; }
`

export function renderGraphHtml(data: GraphViewData, opts: GraphHtmlOptions): string {
  const js = scriptText(graphViewScript())
  const csp = `default-src 'none'; script-src ${sha256(js)}; style-src ${sha256(STYLE)}; img-src data: blob:`
  const scope = opts.scope ? `<p class="scope">${escapeHtml(opts.scope)}</p>` : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ggen packs graph export">
<title>${escapeHtml(opts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div id="graph"></div>
<aside id="side">
<h1>${escapeHtml(opts.title)}</h1>
${scope}<input id="search" type="search" placeholder="Search by id, then Enter" autocomplete="off" aria-label="Search nodes by id">
<ul id="legend"></ul>
<div id="info"><p class="hint">Click a node to highlight its dependents and dependencies; click the background to clear.</p></div>
</aside>
<script type="application/json" id="${GRAPH_DATA_ID}">${jsonForScript(data)}</script>
<script>${js}</script>
</body>
</html>
`
}
