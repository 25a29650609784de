/** `packs graph sync` for people: what was pushed into the team graph */
import type {GraphSyncResult} from '../../core/graph-sync.js'
import {color} from '../render.js'

export function renderSync(r: GraphSyncResult, uri: string): string {
  const w = r.written
  return [
    `Synced machine ${color.bold(r.machine)} to ${uri} in ${(r.durationMs / 1000).toFixed(1)} s`,
    `  projects  ${r.projects}${w ? ` (${w.projects} changed)` : ''}, ${r.pruned} stale pruned`,
    `  versions  ${r.versions}${w ? ` (${w.versions} changed, ${w.versionsDropped} dropped)` : ''}`,
    `  packages  ${r.packages}`,
    `  edges     ${r.edges}`,
    ...(r.audit ? [`  audit     ${r.audit.status === 'written' ? `anchor ${r.audit.anchor?.count ?? 0} entries` : color.red('anchor kept (the local log does not verify)')}`] : []),
  ].join('\n')
}
