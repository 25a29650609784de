/** `packs gc` and `packs projects prune` for people: what was (or would be) removed */
import type {PruneProjectsResult} from '../../core/projects-prune.js'
import type {GcResult} from '../../ops/gc.js'
import {count, someLines} from '../../util/text.js'
import {bytes, color} from '../render.js'

const LISTED = 20

export function renderGc(r: GcResult): string {
  const verb = r.dry_run ? 'would remove' : 'removed'
  const temps = r.stale_temps.length ? `; ${count(r.stale_temps.length, 'temp folder')} of interrupted extractions ${r.dry_run ? 'would be ' : ''}removed` : ''
  return [`${verb} ${count(r.removed.length, 'store entry')} (${bytes(r.freed)}); ${r.kept} kept${temps}`, ...r.removed.map((e) => `  - ${e.id}@${e.version} ${bytes(e.size)}`)].join('\n')
}

export function renderPrune(r: PruneProjectsResult): string {
  const head = `${r.dry_run ? 'would forget' : 'forgot'} ${count(r.removed.length, 'known project')} whose folder is gone; ${r.kept} kept`
  return [head, ...someLines(r.removed.map((d) => `  - ${d}`), LISTED).map((l, i) => (i === LISTED ? color.dim(l) : l))].join('\n')
}
