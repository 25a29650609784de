import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import {graphStoreContract} from './graph-store.contract.js'

graphStoreContract('memory', async () => new MemoryGraphStore(), {multiMachine: true, scope: 'machine', query: false})
