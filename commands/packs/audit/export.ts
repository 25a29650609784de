import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {audited} from '../../../src/audit/log.js'
import {auditFilterFlags, auditQuery} from '../../../src/cli/audit-flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../../src/cli/output.js'
import {AUDIT_EXPORT_FORMATS, renderAudit} from '../../../src/cli/views/audit.js'
import {queryAudit, type AuditResult} from '../../../src/audit/query.js'

export default class AuditExport extends PacksCommand {
  static override summary = 'Export audit log entries for compliance: JSON Lines, JSON, CSV or YAML.'
  static override description =
    'The selected entries (every filter of `packs audit`), oldest first, each with its hash so the export can be checked against the log. Writes stdout, or --output FILE atomically; without --format the extension of FILE chooses (.jsonl, .json, .csv, .yaml), else JSON Lines.'
  static override flags = {
    ...auditFilterFlags,
    format: formatFlag(AUDIT_EXPORT_FORMATS),
    output: outputFlag,
  }
  static override examples = [
    '<%= config.bin %> packs audit export --output audit.jsonl',
    '<%= config.bin %> packs audit export --since 2026-01-01 --format csv --output audit-q1.csv',
    '<%= config.bin %> packs audit export --action install --result failure --format json',
  ]

  async run(): Promise<AuditResult> {
    const {flags} = await this.parse(AuditExport)
    const format = chooseFormat(AUDIT_EXPORT_FORMATS, flags.format, flags.output)
    // the export is itself audited (action audit-export), after it was read: it does not contain itself
    return audited(contextFor(this), {action: 'audit-export'}, async () => {
      const r = queryAudit(this.paths, auditQuery(flags))
      await this.emit(() => renderAudit(r, format), flags.output)
      return r
    }, (r) => `exported ${r.entries.length} of ${r.total} entries as ${format}${flags.output ? ` to ${flags.output}` : ' (stdout)'}`)
  }
}
