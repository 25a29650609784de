import {MemoryGraphStore} from '../../src/graph/memory/memory-store.js'
import {advisoryContract} from './advisory-cases.js'
import {analysisContract} from './analysis-cases.js'

analysisContract('memory', async () => new MemoryGraphStore(), {multiMachine: true})
advisoryContract('memory', async () => new MemoryGraphStore(), {multiMachine: true})
