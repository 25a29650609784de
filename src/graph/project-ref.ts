import type {ProjectRef} from './graph-store.js'
import type {ProjectRow} from './model.js'

/** how every answer names a project (no team or owner key when it has none) */
export const refOf = (p: ProjectRow): ProjectRef => ({
  key: p.key,
  name: p.name,
  path: p.path,
  machine: p.machine,
  ...(p.team ? {team: p.team} : {}),
  ...(p.owner ? {owner: p.owner} : {}),
})
