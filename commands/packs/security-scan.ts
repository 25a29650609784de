import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../src/cli/base-command.js'
import {backendFlag, offlineFlag, projectFilterFlag, rootFlag} from '../../src/cli/flags.js'
import {chooseFormat, formatFlag, outputFlag} from '../../src/cli/output.js'
import {renderSarif} from '../../src/cli/views/sarif.js'
import {renderImport, renderScan, SCAN_FORMATS} from '../../src/cli/views/security-scan.js'
import {failsScan, securityScan, updateAdvisories, type SecurityScanOutput} from '../../src/core/security-scan.js'
import {prettyJson} from '../../src/util/json-chunks.js'

export default class SecurityScan extends PacksCommand {
  static override summary = 'Scan projects for known vulnerabilities (offline OSV advisory database), with the dependency path and a fix for each.'
  static override description = [
    'Every locked package version an advisory affects, with its ids and aliases, severity and CVSS score, the projects that lock it with the dependency path from each (as `why` shows) and a fix: the smallest version that is not affected and satisfies every range on it. Default scope: every known project; --project DIR scans one; --backend neo4j scans every machine\'s projects in the team graph.',
    'The advisory database lives in $GGEN_HOME/advisories: --vulnerability-db-update imports OSV records from --from DIR (JSON files), FILE.zip (like OSV all.zip) or an http(s) URL (default: config `advisories.source`). The scan warns when the database is older than --max-db-age (config `advisories.max_age_days`, default 7 days).',
    'Exit codes: 0 clean; 1 with --exit-code-if-vulns when there is any finding, with --fail-on S when a finding is S or worse, or when the team policy ($GGEN_HOME/policy.toml `[policy] max_severity`) is exceeded; an unknown severity counts as high. Ignores: [[IgnoredVulns]] id, reason, ignoreUntil in $GGEN_HOME/advisories/ignore.toml (and the project\'s .ggen/security-ignore.toml), or --ignore-file; an expired ignore counts again.',
  ].join('\n\n')
  static override flags = {
    project: {...projectFilterFlag, summary: 'Only this project (default: every known project).', exclusive: ['all']},
    all: Flags.boolean({summary: 'Every known project (the default).', exclusive: ['project']}),
    backend: backendFlag,
    root: rootFlag,
    'exit-code-if-vulns': Flags.boolean({summary: 'Exit 1 when any vulnerability is found.'}),
    'fail-on': Flags.option({options: ['low', 'medium', 'high', 'critical'] as const, summary: 'Exit 1 when a finding has this severity or worse (unknown counts as high).', helpValue: 'SEVERITY'})(),
    offline: offlineFlag,
    'max-db-age': Flags.integer({summary: 'Warn (and mark the database stale) when it is older than this many days (default: config advisories.max_age_days, else 7).', min: 0, helpValue: 'DAYS'}),
    'ignore-file': Flags.file({summary: 'Ignored vulnerabilities ([[IgnoredVulns]] id, reason, ignoreUntil) instead of the default files.', helpValue: 'FILE'}),
    format: formatFlag(SCAN_FORMATS),
    output: outputFlag,
    'vulnerability-db-update': Flags.boolean({summary: 'Import the advisory database (from --from, else config advisories.source) instead of scanning.'}),
    from: Flags.string({summary: 'Where the update reads OSV records: a folder of JSON files, a .zip (like OSV all.zip) or an http(s) URL.', helpValue: 'DIR|FILE.zip|URL', dependsOn: ['vulnerability-db-update']}),
  }
  static override examples = [
    '<%= config.bin %> packs security-scan --vulnerability-db-update --from examples/advisories',
    '<%= config.bin %> packs security-scan',
    '<%= config.bin %> packs security-scan --fail-on high',
    '<%= config.bin %> packs security-scan --exit-code-if-vulns --output scan.json',
    '<%= config.bin %> packs security-scan --format sarif --output scan.sarif   # for code-scanning dashboards (SARIF 2.1.0)',
    "<%= config.bin %> packs security-scan --json | jq '.findings[] | {package, version, fix: .fix.explanation}'",
  ]

  async run(): Promise<SecurityScanOutput> {
    const {flags} = await this.parse(SecurityScan)
    const ctx = contextFor(this, {offline: flags.offline})
    if (flags['vulnerability-db-update']) {
      const r = await updateAdvisories(ctx, {from: flags.from})
      this.out(renderImport(r))
      return r
    }
    const r = await securityScan(ctx, {project: flags.project, backend: flags.backend, roots: flags.root, maxDbAge: flags['max-db-age'], ignoreFile: flags['ignore-file']})
    const format = chooseFormat(SCAN_FORMATS, flags.format, flags.output)
    await this.emit(() => (format === 'json' ? prettyJson(r) : format === 'sarif' ? JSON.stringify(renderSarif(r, {toolVersion: this.config.version}), null, 2) + '\n' : renderScan(r)), flags.output)
    if (flags.output) this.out(renderScan(r))
    if (failsScan(r, {anyFinding: flags['exit-code-if-vulns'], failOn: flags['fail-on']})) this.findings()
    return r
  }
}
