// placeholder replaced by the Neo4j adapter (issue 3)
import {PacksError} from '../../domain/errors.js'
import type {GraphStore} from '../graph-store.js'
import type {Neo4jSettings} from '../open.js'

export const Neo4jGraphStore = {
  async connect(_s: Neo4jSettings): Promise<GraphStore> {
    throw new PacksError('E_NEO4J', 'the neo4j backend is not built yet')
  },
}
