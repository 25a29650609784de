import {Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag} from '../../src/cli/flags.js'
import {color, csv, table} from '../../src/cli/render.js'
import {queryAudit, sinceToIso, type AuditOutput} from '../../src/audit/query.js'
import {renderVerification} from '../../src/cli/audit-render.js'
import {readTeamAnchor} from '../../src/audit/team.js'
import {adoptLog, verifyAudit, type AuditVerification} from '../../src/audit/verify.js'
import {PacksError} from '../../src/domain/errors.js'
import {writeFileAtomic} from '../../src/formats/fs.js'

const FILTERS = ['action', 'project', 'user', 'package', 'result', 'since', 'limit', 'export']

export default class Audit extends PacksCommand {
  static override summary = 'Show and verify the audit log of every package operation on this machine.'
  static override description =
    'Every install, uninstall, update, manifest apply and rollback appends one entry (who, what, when, where, result) to $GGEN_HOME/audit/audit.log. Each entry carries the hash of the one before it, and $GGEN_HOME/audit/anchor.json (rewritten with every entry), every history generation and, after `packs graph sync`, the team Neo4j record how many entries the log holds and the hash of the last: --verify detects an edited, removed, reordered or inserted entry, a truncated, emptied or deleted log, a log rewritten with its hashes recomputed, and a deleted anchor (exit 1). It prints the first break and how many problems follow it.'
  static override flags = {
    action: Flags.string({summary: 'Only this action (install, uninstall, update, manifest-apply, rollback, ...).'}),
    project: Flags.directory({summary: 'Only operations on this project.', helpValue: 'DIR'}),
    user: Flags.string({summary: 'Only operations by this user.'}),
    package: Flags.string({summary: 'Only operations that affected this package id.'}),
    result: Flags.string({summary: 'Only successes or failures.', options: ['success', 'failure']}),
    since: Flags.string({summary: 'Only entries since a duration (7d, 24h, 30m) or an ISO date.'}),
    limit: Flags.integer({summary: 'Only the newest N entries.', min: 1}),
    verify: Flags.boolean({summary: 'Check the whole log against its hash chain, its anchor and the history; exit 1 if it was tampered with.', exclusive: FILTERS}),
    'accept-anchor': Flags.boolean({
      summary: 'Adopt the log as it is: rewrite the anchor from its last entry (once, for a log written before anchors existed, or after investigating a break). Recorded in the log; then verifies.',
      exclusive: FILTERS,
    }),
    backend: {...backendFlag, summary: 'With --verify: neo4j also compares the log with the team copy of its anchor (recorded by `packs graph sync`); memory (default) has no team copy.'},
    machine: Flags.string({summary: 'With --verify --backend neo4j: the machine name the log was synced under (default: as `packs graph sync`).', helpValue: 'NAME'}),
    export: Flags.string({summary: 'Write the selected entries to FILE (.json, .jsonl or .csv) for compliance.', helpValue: 'FILE'}),
  }
  static override examples = [
    '<%= config.bin %> packs audit --since 7d',
    '<%= config.bin %> packs audit --action install --result failure --json',
    '<%= config.bin %> packs audit --verify',
    '<%= config.bin %> packs audit --verify --backend neo4j --json',
    '<%= config.bin %> packs audit --accept-anchor',
    '<%= config.bin %> packs audit --since 2026-01-01 --export audit-q1.csv',
  ]

  async run(): Promise<AuditOutput> {
    const {flags} = await this.parse(Audit)
    if (flags.verify || flags['accept-anchor']) return this.verify(flags)
    if (flags.since && !sinceToIso(flags.since)) throw new PacksError('E_USAGE', `--since ${flags.since} is neither a duration (7d, 24h, 30m) nor a date`, {hint: 'Example: --since 7d'})
    const r = queryAudit(this.paths, {
      action: flags.action,
      project: flags.project ? resolve(flags.project) : undefined,
      user: flags.user,
      package: flags.package,
      result: flags.result as 'success' | 'failure' | undefined,
      since: flags.since,
      limit: flags.limit,
    })
    if (flags.export) {
      const f = flags.export
      const text = f.endsWith('.csv')
        ? csv(
            ['seq', 'timestamp', 'user', 'action', 'result', 'project', 'machine', 'os', 'affected_packages', 'details', 'hash'],
            r.entries.map((e) => [e.seq, e.timestamp, e.user, e.action, e.result, e.environment.project, e.environment.machine, e.environment.os, e.affected_packages.join(' '), e.details, e.hash]),
          )
        : f.endsWith('.jsonl')
          ? r.entries.map((e) => JSON.stringify(e)).join('\n') + '\n'
          : JSON.stringify(r.entries, null, 2) + '\n'
      writeFileAtomic(f, text)
      this.note(`wrote ${r.entries.length} entries to ${f}`)
    }
    if (r.entries.length === 0) this.out(r.total === 0 ? 'The audit log is empty: no package operation has run on this machine yet.' : 'No entry matches.')
    else
      this.out(
        table(
          ['#', 'TIME', 'USER', 'ACTION', 'RESULT', 'PROJECT', 'DETAILS'],
          r.entries.map((e) => [e.seq, e.timestamp.slice(0, 19).replace('T', ' '), e.user, e.action, e.result === 'success' ? color.green('ok') : color.red('failed'), e.environment.project ?? '-', e.details.length > 80 ? e.details.slice(0, 77) + '...' : e.details]),
        ),
      )
    return r
  }

  /** --verify / --accept-anchor: only the verification is printed; exit 1 when broken */
  private async verify(flags: {'accept-anchor': boolean; backend?: string; machine?: string}): Promise<AuditVerification> {
    const ctx = contextFor(this, {machine: flags.machine})
    if (flags['accept-anchor']) this.note(adoptLog(this.paths, ctx.machine).message)
    const v = verifyAudit(this.paths, {team: await readTeamAnchor(ctx, flags.backend)})
    this.out(renderVerification(v))
    if (!v.ok) this.findings()
    return v
  }
}
