/**
 * Choose and open a GraphStore. memory: built in-process from this machine's snapshot.
 * neo4j: the shared team database (src/graph/neo4j, imported lazily so memory-backed commands
 * never load neo4j-driver); it answers from what every machine synced.
 */
import {environment, type Environment} from '../util/environment.js'
import type {Config} from '../workspace/config.js'
import type {GraphStore} from './graph-store.js'
import type {GraphSnapshot} from './model.js'

export type BackendName = 'memory' | 'neo4j'

export function chooseBackend(flag: string | undefined, cfg: Config, env: Pick<Environment, 'backend'> = environment()): BackendName {
  const b = flag ?? env.backend ?? cfg.backend
  return b === 'neo4j' ? 'neo4j' : 'memory'
}

export interface Neo4jSettings {
  uri: string
  user: string
  password: string
  database?: string
}

export function neo4jSettings(cfg: Config, env: Pick<Environment, 'neo4j'> = environment()): Neo4jSettings {
  return {
    uri: env.neo4j.uri ?? cfg.neo4j.uri ?? 'bolt://127.0.0.1:7687',
    user: env.neo4j.user ?? cfg.neo4j.user ?? 'neo4j',
    password: env.neo4j.password ?? cfg.neo4j.password ?? 'ggen-packs-local',
    database: env.neo4j.database ?? cfg.neo4j.database,
  }
}

/** what opening a store reads: the config and the environment (a PacksContext is one) */
export interface StoreSettings {
  config: Config
  env?: Pick<Environment, 'neo4j'>
}

/**
 * memory: a fresh store loaded with `snapshot()` (called only for memory; without one the store
 * starts empty). neo4j: a connected store (schema migrated); the caller syncs explicitly with
 * `packs graph sync`.
 */
export async function openGraphStore(backend: BackendName, s: StoreSettings, snapshot?: () => GraphSnapshot): Promise<GraphStore> {
  if (backend === 'neo4j') {
    const {Neo4jGraphStore} = await import('./neo4j/neo4j-store.js')
    return Neo4jGraphStore.connect(neo4jSettings(s.config, s.env))
  }
  // loaded here: choosing a backend (chooseBackend) loads no store
  const {MemoryGraphStore} = await import('./memory/memory-store.js')
  const store = new MemoryGraphStore()
  if (snapshot) await store.load(snapshot())
  return store
}
