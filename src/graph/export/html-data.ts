/**
 * What the HTML graph view is given: the nodes (packages, versions, projects) and edges of the
 * exported graph, laid out, each node with its flags. Shared by the Node side (src/core/graph-export.ts
 * builds it, ./html.ts inlines it) and the page (./html-app/main.ts reads it), so it imports nothing.
 */

export type ViewKind = 'Package' | 'Version' | 'Project'

export interface ViewFlags {
  /** a deprecated or yanked version; a package whose every version is; a project locking one */
  deprecated: boolean
  /** a version with a finding in the last scan; its package; a project locking it */
  vulnerable: boolean
  /** a package locked at two or more versions across projects; its locked versions; the projects locking them */
  drift: boolean
}

export interface ViewNode {
  /** the exported graph's node key (`Package:<id>`, `Version:<id>@<version>`, `Project:<machine>:<path>`) */
  key: string
  kind: ViewKind
  /** what search matches and the label shows: the package id, `id@version`, the project name */
  label: string
  /** the package id (packages, versions) */
  id?: string
  version?: string
  /** the project's path */
  path?: string
  /** the deprecation message */
  deprecated?: string
  flags: ViewFlags
  /** layout position */
  x: number
  y: number
}

export interface ViewEdge {
  source: string
  target: string
  /** OF, REQUIRES, LOCKS, DEPENDS_ON */
  type: string
}

export interface GraphViewData {
  nodes: ViewNode[]
  edges: ViewEdge[]
}

/** the page's state for tests and scripts: `window.__ggenGraph` */
export interface GraphViewState {
  nodes: number
  edges: number
  ready: boolean
  /** the node key search last focused */
  focused: string | null
  /** the node key clicked or focused (its dependents and dependencies highlighted) */
  selected: string | null
  /** nodes highlighted: the selected one, its dependents and its dependencies (0 when none is) */
  highlighted: number
  /** the camera is moving to the focused node (until its last step is drawn) */
  moving: boolean
  /** the viewport position of a node (for tests that click it) */
  positionOf(key: string): {x: number; y: number} | null
}
