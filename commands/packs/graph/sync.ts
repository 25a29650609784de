import {Flags} from '@oclif/core'
import {contextFor, PacksCommand} from '../../../src/cli/base-command.js'
import {audited} from '../../../src/audit/log.js'
import {registryFlags, rootFlag} from '../../../src/cli/flags.js'
import {renderSync} from '../../../src/cli/views/graph.js'
import {syncGraph, type GraphSyncResult} from '../../../src/core/graph-sync.js'
import {neo4jSettings, openGraphStore} from '../../../src/graph/open.js'

export default class GraphSync extends PacksCommand {
  static override summary = "Push this machine's projects, lockfiles, registry versions and edges into the team Neo4j."
  static override description =
    'Projects are keyed by machine and path. The machine\'s audit anchor (entry count and head hash of its audit log) is recorded too, moved forward only when the local log verifies against the copy already there (otherwise it is kept and the sync exits 1), so `packs audit --verify --backend neo4j` can check the log against the team copy. Re-running with nothing changed changes nothing; rows this machine synced earlier that no longer exist (a deleted project, an uninstalled pack, a version dropped from a registry) are pruned, and other machines\' rows are never touched. Connection: GGEN_NEO4J_URI, GGEN_NEO4J_USER, GGEN_NEO4J_PASSWORD, GGEN_NEO4J_DATABASE or the neo4j section of $GGEN_HOME/config.json. Progress goes to stderr.'
  static override flags = {
    as: Flags.string({summary: 'Name this machine in the team graph (default: GGEN_MACHINE, config `machine`, or the host name).', helpValue: 'NAME', aliases: ['machine']}),
    root: rootFlag,
    full: Flags.boolean({summary: 'Rewrite every row, even those unchanged since the last sync (repairs a graph edited by hand).'}),
    ...registryFlags,
  }
  static override examples = [
    '<%= config.bin %> packs graph sync',
    '<%= config.bin %> packs graph sync --as build-01 --root ~/work',
    '<%= config.bin %> packs graph sync --full',
    'GGEN_NEO4J_URI=bolt://neo4j.team:7687 GGEN_NEO4J_PASSWORD=... <%= config.bin %> packs graph sync --json',
  ]

  async run(): Promise<GraphSyncResult> {
    const {flags} = await this.parse(GraphSync)
    const ctx = contextFor(this, {identity: flags.as, registry: flags.registry, offline: flags.offline})
    const uri = neo4jSettings(ctx.config, ctx.env).uri
    ctx.progress.step(`Connecting to ${uri}`)
    const store = await openGraphStore('neo4j', ctx)
    let r: GraphSyncResult
    try {
      r = await audited(ctx, {action: 'graph-sync'}, () => syncGraph(ctx, store, {roots: flags.root, full: flags.full}), (x) => `synced machine ${x.machine} to ${uri}: ${x.projects} projects, ${x.versions} versions, ${x.edges} edges, ${x.pruned} stale pruned`)
    } finally {
      await store.close()
    }
    for (const p of r.problems) this.note(`warning: ${p.path}: ${p.message}`)
    // the team audit anchor is never moved over a log that does not verify: a finding (exit 1)
    if (r.audit?.status === 'kept') {
      this.note(`warning: ${r.audit.message}`)
      this.findings()
    }
    this.out(renderSync(r, uri))
    return r
  }
}
