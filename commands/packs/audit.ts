import {Flags} from '@oclif/core'
import {resolve} from 'node:path'
import {PacksCommand} from '../../src/cli/base-command.js'
import {color, csv, table} from '../../src/cli/render.js'
import {queryAudit, sinceToIso, type AuditResult} from '../../src/audit/query.js'
import {PacksError} from '../../src/domain/errors.js'
import {writeFileAtomic} from '../../src/formats/fs.js'

export default class Audit extends PacksCommand {
  static override summary = 'Show and verify the audit log of every package operation on this machine.'
  static override description =
    'Every install, uninstall, update, manifest apply and rollback appends one entry (who, what, when, where, result) to $GGEN_HOME/audit/audit.log. Each entry carries the hash of the one before it, so an edited, removed or reordered entry is detected by --verify (exit 1).'
  static override flags = {
    action: Flags.string({summary: 'Only this action (install, uninstall, update, manifest-apply, rollback, ...).'}),
    project: Flags.directory({summary: 'Only operations on this project.', helpValue: 'DIR'}),
    user: Flags.string({summary: 'Only operations by this user.'}),
    package: Flags.string({summary: 'Only operations that affected this package id.'}),
    result: Flags.string({summary: 'Only successes or failures.', options: ['success', 'failure']}),
    since: Flags.string({summary: 'Only entries since a duration (7d, 24h, 30m) or an ISO date.'}),
    limit: Flags.integer({summary: 'Only the newest N entries.', min: 1}),
    verify: Flags.boolean({summary: 'Check the hash chain; exit 1 if any entry was tampered with.'}),
    export: Flags.string({summary: 'Write the selected entries to FILE (.json, .jsonl or .csv) for compliance.', helpValue: 'FILE'}),
  }
  static override examples = [
    '<%= config.bin %> packs audit --since 7d',
    '<%= config.bin %> packs audit --action install --result failure --json',
    '<%= config.bin %> packs audit --verify',
    '<%= config.bin %> packs audit --since 2026-01-01 --export audit-q1.csv',
  ]

  async run(): Promise<AuditResult> {
    const {flags} = await this.parse(Audit)
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
    if (flags.verify && !r.chain.ok) this.findings()
    if (r.entries.length === 0) this.out(r.total === 0 ? 'The audit log is empty: no package operation has run on this machine yet.' : 'No entry matches.')
    else
      this.out(
        table(
          ['#', 'TIME', 'USER', 'ACTION', 'RESULT', 'PROJECT', 'DETAILS'],
          r.entries.map((e) => [e.seq, e.timestamp.slice(0, 19).replace('T', ' '), e.user, e.action, e.result === 'success' ? color.green('ok') : color.red('failed'), e.environment.project ?? '-', e.details.length > 80 ? e.details.slice(0, 77) + '...' : e.details]),
        ),
      )
    if (flags.verify) {
      this.out(r.chain.ok ? color.green(`audit chain intact (${r.total} entries)`) : color.red(`audit chain BROKEN:\n${r.chain.broken.map((b) => `  line ${b.line}: ${b.message}`).join('\n')}`))
    }
    return r
  }
}
