/** the entry filters `packs audit` and `packs audit export` share, and how they become a query */
import {Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {sinceToIso, type AuditQuery} from '../audit/query.js'
import {PacksError} from '../domain/errors.js'
import {projectFilterFlag} from './flags.js'

export const auditFilterFlags = {
  action: Flags.string({summary: 'Only this action (install, uninstall, update, manifest-apply, rollback, gc, trust-accept, ...).'}),
  project: {...projectFilterFlag, summary: 'Only operations on this project.'},
  user: Flags.string({summary: 'Only operations by this user.'}),
  package: Flags.string({summary: 'Only operations that affected this package id.'}),
  result: Flags.option({summary: 'Only successes or failures.', options: ['success', 'failure'] as const})(),
  since: Flags.string({summary: 'Only entries since a duration (24h, 7d, 2w, 3mo, 1y; 30m is minutes) or an ISO date.'}),
  until: Flags.string({summary: 'Only entries up to a duration ago (7d) or an ISO date.'}),
  team: Flags.string({summary: 'Only operations on projects of this team ([project] team).'}),
  machine: Flags.string({summary: 'Only operations run on this machine.', helpValue: 'NAME'}),
  limit: Flags.integer({summary: 'Only the newest N entries.', min: 1}),
}

export const AUDIT_FILTERS = Object.keys(auditFilterFlags)

export interface AuditFilterValues {
  action?: string
  project?: string
  user?: string
  package?: string
  result?: 'success' | 'failure'
  since?: string
  until?: string
  team?: string
  machine?: string
  limit?: number
}

export function auditQuery(f: AuditFilterValues): AuditQuery {
  for (const [flag, v] of [['--since', f.since], ['--until', f.until]] as const) {
    if (v && !sinceToIso(v)) throw new PacksError('E_USAGE', `${flag} ${v} is neither a duration (24h, 7d, 2w, 3mo, 1y, 30m) nor a date`, {hint: `Example: ${flag} 7d, or ${flag} 2026-01-01`})
  }
  return {action: f.action, project: f.project ? resolve(f.project) : undefined, user: f.user, package: f.package, result: f.result, since: f.since, until: f.until, team: f.team, machine: f.machine, limit: f.limit}
}
