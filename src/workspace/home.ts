/**
 * $GGEN_HOME layout (default ~/.ggen). Everything the tool keeps outside projects lives here.
 */
import {homedir, hostname} from 'node:os'
import {join, resolve} from 'node:path'
import {environment, type Environment} from '../util/environment.js'

export interface HomePaths {
  root: string
  config: string
  projects: string
  store: string
  storeIndex: string
  storeLock: string
  registryCache: string
  history: string
  audit: string
  auditLock: string
  advisories: string
  bundles: string
  policy: string
  cache: string
  workspaceCache: string
  /** the snapshot cache read commands answer from (src/graph/snapshot-file.ts) */
  snapshotCache: string
  /** projects patched in beside snapshot.cache without rewriting it (src/graph/snapshot-file.ts) */
  snapshotDelta: string
  /** list's rows for the current snapshot (src/core/list-view.ts) */
  listView: string
  /** what list needs to patch its kept rows without the snapshot's body (src/core/list-patch.ts) */
  listAid: string
  /** the last scan's findings before ignores, for its inputs (src/core/scan-keep.ts) */
  scanCore: string
  homeLock: string
  /** registry keys pinned on first use or accepted by the user */
  trust: string
  trustLock: string
  /** the local deprecation/yank overlay (`packs deprecate` for registries you cannot write) and its lock */
  deprecations: string
  deprecationsLock: string
  /** every machine's overlay records, as the last `graph sync` read them from Neo4j */
  teamDeprecations: string
  /** the registries' deprecated/yanked word on installed versions, kept by each catalog load */
  versionStates: string
  /** each vulnerable version's status from advisories/last-scan.json, kept by its first reader (a cache) */
  scanStatusCache: string
  /** what this machine's last `graph sync` read and wrote (its nothing-changed check; a cache) */
  lastSync: string
}

export function ggenHome(env: Pick<Environment, 'home'> = environment()): string {
  return resolve(env.home ?? join(homedir(), '.ggen'))
}

export function homePaths(root = ggenHome()): HomePaths {
  return {
    root,
    config: join(root, 'config.json'),
    projects: join(root, 'projects.json'),
    store: join(root, 'store', 'v1'),
    storeIndex: join(root, 'store', 'v1', 'index.json'),
    storeLock: join(root, 'store', 'v1', '.lock'),
    registryCache: join(root, 'cache', 'registries'),
    history: join(root, 'history'),
    audit: join(root, 'audit', 'audit.log'),
    auditLock: join(root, 'audit', '.lock'),
    advisories: join(root, 'advisories'),
    bundles: join(root, 'bundles'),
    policy: join(root, 'policy.toml'),
    cache: join(root, 'cache'),
    workspaceCache: join(root, 'cache', 'workspace.json'),
    snapshotCache: join(root, 'cache', 'snapshot.cache'),
    snapshotDelta: join(root, 'cache', 'snapshot-delta.cache'),
    listView: join(root, 'cache', 'list-view.cache'),
    listAid: join(root, 'cache', 'list-aid.cache'),
    scanCore: join(root, 'cache', 'scan-core.cache'),
    homeLock: join(root, '.lock'),
    trust: join(root, 'trust.json'),
    trustLock: join(root, '.trust.lock'),
    deprecations: join(root, 'overlay', 'deprecations.json'),
    deprecationsLock: join(root, 'overlay', '.lock'),
    teamDeprecations: join(root, 'overlay', 'team-deprecations.json'),
    versionStates: join(root, 'cache', 'version-states.json'),
    scanStatusCache: join(root, 'cache', 'scan-status.json'),
    lastSync: join(root, 'cache', 'last-sync.json'),
  }
}

export function machineName(env: Pick<Environment, 'machine'> = environment()): string {
  return env.machine ?? hostname()
}
