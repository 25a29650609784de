import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import {analysisContract} from './analysis-cases.js'

analysisContract('memory', async () => new MemoryGraphStore(), {multiMachine: true})
