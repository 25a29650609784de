/** src/util/environment.ts: the one reader of process.env, and the context that carries it */
import {describe, expect, it} from 'vitest'
import {makeContext} from '../../src/core/context.js'
import {chooseBackend, neo4jSettings} from '../../src/graph/open.js'
import {readEnvironment} from '../../src/util/environment.js'
import {defaultConfig} from '../../src/workspace/config.js'
import {homePaths} from '../../src/workspace/home.js'

describe('readEnvironment', () => {
  it('reads nothing from an empty environment: defaults everywhere', () => {
    const e = readEnvironment({})
    expect(e).toMatchObject({registryUrls: [], offline: false, trustedKeys: [], registryTtlSeconds: 300, httpTimeoutMs: 30_000, lockTimeoutMs: 120_000, noColor: false, debug: false})
    expect(e.neo4j).toEqual({uri: undefined, user: undefined, password: undefined, database: undefined, batchSize: 5000, connectTimeoutMs: 5000})
    expect(e.requireSignatures).toBeUndefined()
    expect(e.progress).toBeUndefined()
  })

  it('flags: 1/true/anything on, 0/false/empty off; GGEN_REQUIRE_SIGNATURES=0 is an explicit off', () => {
    for (const [v, on] of [['1', true], ['true', true], ['yes', true], ['0', false], ['FALSE', false], ['', false]] as const) expect(readEnvironment({GGEN_OFFLINE: v}).offline, v).toBe(on)
    expect(readEnvironment({GGEN_REQUIRE_SIGNATURES: '0'}).requireSignatures).toBe(false)
    expect(readEnvironment({GGEN_REQUIRE_SIGNATURES: ''}).requireSignatures).toBeUndefined()
  })

  it('numbers that are not numbers fall back to the default instead of becoming NaN timeouts', () => {
    const e = readEnvironment({GGEN_PACKS_LOCK_TIMEOUT_MS: 'soon', GGEN_HTTP_TIMEOUT_MS: '-5', GGEN_REGISTRY_TTL: '0', GGEN_NEO4J_BATCH: '250'})
    expect([e.lockTimeoutMs, e.httpTimeoutMs, e.registryTtlSeconds, e.neo4j.batchSize]).toEqual([120_000, 30_000, 0, 250])
  })

  it('lists split on commas; GGEN_USER before USER; GGEN_PROGRESS forces either way', () => {
    const e = readEnvironment({GGEN_REGISTRY_URL: ' a , ,b', GGEN_USER: 'ann', USER: 'root', GGEN_PROGRESS: '0'})
    expect(e.registryUrls).toEqual(['a', 'b'])
    expect([e.user, e.fallbackUser, e.progress]).toEqual(['ann', 'root', false])
  })
})

describe('the context carries the Environment it was given (no process.env)', () => {
  const env = readEnvironment({GGEN_MACHINE: 'env-box', GGEN_REGISTRY_URL: 'https://r.example/', GGEN_OFFLINE: '1', GGEN_MARKETPLACE_PUBLIC_KEY: 'k', GGEN_BACKEND: 'neo4j', GGEN_NEO4J_URI: 'bolt://team:7687'})
  const config = {...defaultConfig(), registries: ['https://cfg.example/'], machine: 'cfg-box'}

  it('flag > environment > config for machine, registries, offline, trust', () => {
    const ctx = makeContext({env, paths: homePaths('/tmp/ggen-env-test'), config, registry: ['https://flag.example/']})
    expect(ctx.env).toBe(env)
    expect(ctx.machine).toBe('env-box')
    expect(makeContext({env, paths: homePaths('/tmp/ggen-env-test'), config, machine: 'flag-box'}).machine).toBe('flag-box')
    expect(ctx.registries).toEqual(['https://flag.example/', 'https://r.example/', 'https://cfg.example/'])
    expect(ctx.offline).toBe(true)
    expect(ctx.trust.envKeys).toEqual(['k'])
  })

  it('backend and Neo4j settings come from the given environment over config', () => {
    expect(chooseBackend(undefined, config, env)).toBe('neo4j')
    expect(chooseBackend('memory', config, env)).toBe('memory')
    expect(neo4jSettings(config, env).uri).toBe('bolt://team:7687')
    expect(neo4jSettings(config, readEnvironment({})).uri).toBe('bolt://127.0.0.1:7687')
  })
})
