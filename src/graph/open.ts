/**
 * Choose and open a GraphStore. memory: built in-process from this machine's snapshot.
 * neo4j: the shared team database (src/graph/neo4j, imported lazily so memory-backed commands
 * never load neo4j-driver); it answers from what every machine synced.
 */
import type {Config} from '../workspace/config.js'
import type {GraphStore} from './graph-store.js'
import type {GraphSnapshot} from './model.js'
import {MemoryGraphStore} from './memory/memory-store.js'

export type BackendName = 'memory' | 'neo4j'

export function chooseBackend(flag: string | undefined, cfg: Config, env: NodeJS.ProcessEnv = process.env): BackendName {
  const b = flag ?? env.GGEN_BACKEND ?? cfg.backend
  return b === 'neo4j' ? 'neo4j' : 'memory'
}

export interface Neo4jSettings {
  uri: string
  user: string
  password: string
  database?: string
}

export function neo4jSettings(cfg: Config, env: NodeJS.ProcessEnv = process.env): Neo4jSettings {
  return {
    uri: env.GGEN_NEO4J_URI ?? cfg.neo4j.uri ?? 'bolt://127.0.0.1:7687',
    user: env.GGEN_NEO4J_USER ?? cfg.neo4j.user ?? 'neo4j',
    password: env.GGEN_NEO4J_PASSWORD ?? cfg.neo4j.password ?? 'ggen-packs-local',
    database: env.GGEN_NEO4J_DATABASE ?? cfg.neo4j.database,
  }
}

/**
 * memory: a fresh store loaded with `snapshot()` (called only for memory).
 * neo4j: a connected store (schema migrated); the caller syncs explicitly with `packs graph sync`.
 */
export async function openGraphStore(backend: BackendName, cfg: Config, snapshot: () => GraphSnapshot): Promise<GraphStore> {
  if (backend === 'neo4j') {
    const {Neo4jGraphStore} = await import('./neo4j/neo4j-store.js')
    return Neo4jGraphStore.connect(neo4jSettings(cfg))
  }
  const store = new MemoryGraphStore()
  await store.load(snapshot())
  return store
}
