/**
 * The page script of the HTML graph view (bundled with graphology and sigma into
 * dist/assets/graph-view.js by scripts/build.mjs, inlined by ../html.ts). Reads the laid-out
 * graph from the page's JSON block, draws it with sigma, colours nodes by kind and flag (with a
 * legend), finds nodes by id (the search box), highlights a node's dependents and dependencies
 * on click or search (the rest dimmed) and shows it in the info panel. Its state is
 * `window.__ggenGraph` (GraphViewState) for tests and scripts.
 */
import {DirectedGraph as Graph} from 'graphology'
import Sigma from 'sigma'
import type {GraphViewData, GraphViewState, ViewFlags, ViewKind, ViewNode} from '../html-data.js'

declare global {
  interface Window {
    __ggenGraph: GraphViewState
  }
}

const KIND_COLOURS: Record<ViewKind, string> = {Package: '#4c78a8', Version: '#9ecae9', Project: '#54a24b'}
/** a flagged node takes its first flag's colour, in this order */
const FLAG_COLOURS: [keyof ViewFlags, string][] = [
  ['vulnerable', '#e45756'],
  ['deprecated', '#f58518'],
  ['drift', '#b279a2'],
]
const SIZES: Record<ViewKind, number> = {Project: 9, Package: 7, Version: 4}
const DIM = '#e4e4e4'

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

const colourOf = (n: ViewNode) => FLAG_COLOURS.find(([f]) => n.flags[f])?.[1] ?? KIND_COLOURS[n.kind]

function readData(): GraphViewData {
  return JSON.parse(byId('ggen-graph-data').textContent ?? '{"nodes":[],"edges":[]}') as GraphViewData
}

function buildGraph(data: GraphViewData): Graph {
  const g = new Graph()
  for (const n of data.nodes) g.addNode(n.key, {x: n.x, y: n.y, label: n.label, size: SIZES[n.kind], color: colourOf(n), view: n})
  for (const e of data.edges) g.mergeEdge(e.source, e.target, {rel: e.type, size: 1, color: '#c8c8c8'})
  return g
}

/** nodes reached from `start` along out-edges (dependencies) or in-edges (dependents), start excluded */
function reach(g: Graph, start: string[], dir: 'out' | 'in', skip: string): Set<string> {
  const seen = new Set<string>()
  const queue = [...start]
  while (queue.length) {
    const k = queue.pop()!
    for (const n of dir === 'out' ? g.outNeighbors(k) : g.inNeighbors(k)) {
      if (n === skip || seen.has(n)) continue
      seen.add(n)
      queue.push(n)
    }
  }
  return seen
}

interface Related {
  dependents: Set<string>
  dependencies: Set<string>
}

/** a package's dependencies are its versions' */
function related(g: Graph, key: string): Related {
  const view = g.getNodeAttribute(key, 'view') as ViewNode
  const from = view.kind === 'Package' ? g.inNeighbors(key).filter((v) => (g.getNodeAttribute(v, 'view') as ViewNode).kind === 'Version') : [key]
  return {dependents: reach(g, [key], 'in', key), dependencies: reach(g, from, 'out', key)}
}

function legend(data: GraphViewData): void {
  const count = (f: (n: ViewNode) => boolean) => data.nodes.filter(f).length
  const rows: [string, string, number][] = [
    ...(Object.keys(KIND_COLOURS) as ViewKind[]).map((k): [string, string, number] => [KIND_COLOURS[k], `${k}s`, count((n) => n.kind === k)]),
    ...FLAG_COLOURS.map(([f, c]): [string, string, number] => [c, f, count((n) => n.flags[f])]),
  ]
  byId('legend').replaceChildren(
    ...rows.map(([colour, text, n]) => {
      const li = document.createElement('li')
      const sw = document.createElement('span')
      sw.className = 'swatch'
      sw.style.background = colour
      li.append(sw, `${text} (${n})`)
      return li
    }),
  )
}

function showInfo(g: Graph, key: string | null, rel?: Related): void {
  const info = byId('info')
  if (!key || !rel) {
    const p = document.createElement('p')
    p.className = 'hint'
    p.textContent = key === null ? 'Click a node to highlight its dependents and dependencies; click the background to clear.' : 'No node matches.'
    info.replaceChildren(p)
    return
  }
  const n = g.getNodeAttribute(key, 'view') as ViewNode
  const flags = FLAG_COLOURS.map(([f]) => f).filter((f) => n.flags[f])
  const rows: [string, string | undefined][] = [
    ['kind', n.kind],
    ['id', n.id ?? n.label],
    ['version', n.version],
    ['path', n.path],
    ['flags', flags.length ? flags.join(', ') : 'none'],
    ['deprecated', n.deprecated],
    ['dependents', `${rel.dependents.size} (direct ${g.inDegree(key)})`],
    ['dependencies', `${rel.dependencies.size} (direct ${g.outDegree(key)})`],
  ]
  const dl = document.createElement('dl')
  for (const [term, value] of rows) {
    if (value === undefined) continue
    const dt = document.createElement('dt')
    dt.textContent = term
    const dd = document.createElement('dd')
    dd.textContent = value
    dl.append(dt, dd)
  }
  info.replaceChildren(dl)
}

/** search: an exact id, label or key (case-insensitive) first; with Enter, else the first label containing the text */
function finder(data: GraphViewData): (text: string, loose: boolean) => string | undefined {
  const exact = new Map<string, string>()
  for (const n of data.nodes) for (const name of [n.key, n.label, n.id]) if (name && !exact.has(name.toLowerCase())) exact.set(name.toLowerCase(), n.key)
  return (text, loose) => {
    const q = text.trim().toLowerCase()
    if (!q) return undefined
    return exact.get(q) ?? (loose ? data.nodes.find((n) => n.label.toLowerCase().includes(q))?.key : undefined)
  }
}

function main(): void {
  const data = readData()
  const g = buildGraph(data)
  let highlight: Set<string> | null = null
  const state: GraphViewState = {
    nodes: g.order,
    edges: g.size,
    ready: false,
    focused: null,
    selected: null,
    highlighted: 0,
    moving: false,
    positionOf: (key) => (g.hasNode(key) ? renderer.graphToViewport({x: g.getNodeAttribute(key, 'x') as number, y: g.getNodeAttribute(key, 'y') as number}) : null),
  }
  window.__ggenGraph = state
  const renderer = new Sigma(g, byId('graph'), {
    defaultEdgeType: 'arrow',
    labelRenderedSizeThreshold: 6,
    zIndex: true,
    nodeReducer: (key, attrs) => {
      if (!highlight) return attrs
      if (key === state.selected) return {...attrs, highlighted: true, forceLabel: true, zIndex: 2}
      return highlight.has(key) ? {...attrs, zIndex: 1} : {...attrs, color: DIM, label: '', zIndex: 0}
    },
    edgeReducer: (key, attrs) => {
      if (!highlight) return attrs
      return highlight.has(g.source(key)) && highlight.has(g.target(key)) ? {...attrs, color: '#888', zIndex: 1} : {...attrs, hidden: true}
    },
  })

  const select = (key: string | null) => {
    const rel = key ? related(g, key) : undefined
    highlight = key && rel ? new Set([key, ...rel.dependents, ...rel.dependencies]) : null
    state.selected = key
    state.highlighted = highlight?.size ?? 0
    showInfo(g, key, rel)
    renderer.refresh()
  }
  let moves = 0
  const focus = (key: string) => {
    state.focused = key
    select(key)
    const at = renderer.getNodeDisplayData(key)
    if (!at) return
    state.moving = true
    const move = ++moves
    // moving ends when the last camera step of the LAST focus is drawn (clicks are picked from what
    // is drawn); an earlier focus whose animation a later one cut short does not end it
    const camera = renderer.getCamera()
    void camera.animate({x: at.x, y: at.y, ratio: 0.35}, {duration: 300}).then(() => {
      renderer.once('afterRender', () => {
        if (move === moves && !camera.isAnimated()) state.moving = false
      })
      renderer.refresh()
    })
  }

  renderer.on('clickNode', ({node}) => select(node))
  renderer.on('clickStage', () => select(null))
  const find = finder(data)
  const search = byId<HTMLInputElement>('search')
  search.addEventListener('input', () => {
    const key = find(search.value, false)
    if (key) focus(key)
  })
  search.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return
    const key = find(search.value, true)
    if (key) focus(key)
    else showInfo(g, search.value)
  })
  legend(data)
  requestAnimationFrame(() => {
    state.ready = true
  })
}

main()
