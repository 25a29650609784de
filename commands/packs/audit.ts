import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {AUDIT_FILTERS, auditFilterFlags, auditQuery} from '../../src/cli/audit-flags.js'
import {backendFlag} from '../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../src/cli/output.js'
import {AUDIT_EXPORT_FORMATS, AUDIT_FORMATS, renderAudit, renderVerification} from '../../src/cli/views/audit.js'
import {queryAudit, type AuditOutput} from '../../src/audit/query.js'
import {queryTeamAudit, readTeamAnchor} from '../../src/core/audit-team.js'
import {chooseBackend} from '../../src/graph/open.js'
import {adoptLog, verifyAudit, type AuditVerification} from '../../src/audit/verify.js'

const FILTERS = [...AUDIT_FILTERS.filter((f) => f !== 'machine'), 'format', 'output', 'export']

export default class Audit extends PacksCommand {
  static override summary = 'Show and verify the audit log of every package operation on this machine.'
  static override description =
    'Every install, uninstall, update, manifest apply, rollback, undo and registry trust change appends one entry (who, what, when, where, result) to $GGEN_HOME/audit/audit.log. Each entry carries the hash of the one before it, and $GGEN_HOME/audit/anchor.json (rewritten with every entry), every history generation and, after `packs graph sync`, the team Neo4j record how many entries the log holds and the hash of the last: --verify detects an edited, removed, reordered or inserted entry, a truncated, emptied or deleted log, a log rewritten with its hashes recomputed, and a deleted anchor (exit 1). It prints the first break and how many problems follow it.'
  static override flags = {
    ...auditFilterFlags,
    verify: Flags.boolean({summary: 'Check the whole log against its hash chain, its anchor and the history; exit 1 if it was tampered with.', exclusive: FILTERS}),
    'accept-anchor': Flags.boolean({
      summary: 'Adopt the log as it is: rewrite the anchor from its last entry (once, for a log written before anchors existed, or after investigating a break). Recorded in the log; then verifies.',
      exclusive: FILTERS,
    }),
    backend: {...backendFlag, summary: 'neo4j: the team trail (every machine\'s entries pushed by `packs graph sync`, each machine\'s chain re-checked), with the same filters; with --verify, also compares the local log with the team copy of its anchor. memory (default): this machine\'s log.'},
    machine: {...auditFilterFlags.machine, summary: 'Only operations run on this machine; with --verify --backend neo4j, the machine whose team copy of the anchor to compare (default: as `packs graph sync`).'},
    format: formatFlag(AUDIT_FORMATS),
    output: outputFlag,
    export: Flags.file({summary: 'Same as `packs audit export --output FILE`.', helpValue: 'FILE', hidden: true, exclusive: ['output']}),
  }
  static override examples = [
    '<%= config.bin %> packs audit --since 7d',
    '<%= config.bin %> packs audit --action install --result failure --json',
    '<%= config.bin %> packs audit --team payments --since 30d --until 7d',
    '<%= config.bin %> packs audit --verify',
    '<%= config.bin %> packs audit --verify --backend neo4j --json',
    '<%= config.bin %> packs audit --backend neo4j --team payments --action bundle-apply   # the team trail',
    '<%= config.bin %> packs audit --accept-anchor',
    '<%= config.bin %> packs audit --since 2026-01-01 --output audit-q1.csv',
    '<%= config.bin %> packs audit export --since 90d --format jsonl --output audit.jsonl',
  ]

  async run(): Promise<AuditOutput> {
    const {flags} = await this.parse(Audit)
    if (flags.verify || flags['accept-anchor']) return this.verify(flags)
    const q = auditQuery(flags)
    const r = chooseBackend(flags.backend, this.packsConfig) === 'neo4j' ? await queryTeamAudit(contextFor(this), q) : queryAudit(this.paths, q)
    if (!r.chain.ok) this.note(`warning: the ${flags.backend === 'neo4j' ? 'team' : 'local'} audit trail has ${r.chain.broken.length} break(s), first: ${r.chain.broken[0]!.message}`)
    if (flags.export) {
      // the old spelling: the entries to FILE (JSON unless its extension says otherwise), the table on stdout
      await this.emit(() => renderAudit(r, chooseFormat(AUDIT_EXPORT_FORMATS, undefined, flags.export)), flags.export)
      await this.emit(() => renderAudit(r, 'table'))
    } else await this.emit(() => renderAudit(r, chooseFormat(AUDIT_FORMATS, flags.format, flags.output)), flags.output)
    return r
  }

  /** --verify / --accept-anchor: only the verification is printed; exit 1 when broken */
  private async verify(flags: {'accept-anchor': boolean; backend?: string; machine?: string}): Promise<AuditVerification> {
    const ctx = contextFor(this, {identity: flags.machine})
    if (flags['accept-anchor']) this.note(adoptLog(this.paths, ctx.machine).message)
    const v = verifyAudit(this.paths, {team: await readTeamAnchor(ctx, flags.backend)})
    this.out(renderVerification(v))
    if (!v.ok) this.findings()
    return v
  }
}
