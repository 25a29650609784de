import {describe} from 'vitest'
import {useNeo4j} from '../support/neo4j.js'
import {graphStoreContract} from './graph-store.contract.js'

const neo = await useNeo4j()
describe.skipIf(!!neo.skip)(`neo4j${neo.skip ? ` (skipped: ${neo.skip})` : ''}`, () => {
  graphStoreContract('neo4j', neo.fresh, {multiMachine: true})
})
