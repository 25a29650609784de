import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {buildRegistry, runCli, tempDir, writeProject} from '../support/cli.js'

describe('packs audit', () => {
  let root: string
  let env: Record<string, string>
  let p: string
  beforeAll(() => {
    root = tempDir()
    const reg = buildRegistry(root, [{id: 'io.a.one', version: '1.0.0'}, {id: 'io.a.two', version: '1.0.0'}])
    env = {GGEN_HOME: join(root, 'home'), GGEN_REGISTRY_URL: reg, GGEN_USER: 'auditor'}
    p = writeProject(join(root, 'p'), 'p')
    expect(runCli(['packs', 'install', 'io.a.one', '--project', p], {env}).code).toBe(0)
    expect(runCli(['packs', 'install', 'io.a.missing', '--project', p], {env}).code).toBe(4)
    expect(runCli(['packs', 'install', 'io.a.two', '--project', p], {env}).code).toBe(0)
    expect(runCli(['packs', 'uninstall', 'io.a.one', '--project', p], {env}).code).toBe(0)
  })

  it('records every operation, successes and failures, with who/where, and filters them', () => {
    const r = runCli(['packs', 'audit', '--json'], {env})
    expect(r.code).toBe(0)
    expect(r.json.entries.map((e: {action: string; result: string}) => `${e.action}:${e.result}`)).toEqual(['registry-build:success', 'install:success', 'install:failure', 'install:success', 'uninstall:success'])
    expect(r.json.entries[1]).toMatchObject({user: 'auditor', affected_packages: ['io.a.one'], environment: {project: p, machine: 'test-machine'}})
    expect(r.json.chain.ok).toBe(true)
    expect(runCli(['packs', 'audit', '--result', 'failure', '--json'], {env}).json.entries).toHaveLength(1)
    expect(runCli(['packs', 'audit', '--package', 'io.a.two', '--json'], {env}).json.entries).toHaveLength(1)
    expect(runCli(['packs', 'audit', '--since', '1h', '--json'], {env}).json.entries).toHaveLength(5)
    expect(runCli(['packs', 'audit', '--since', '2999-01-01', '--json'], {env}).json.entries).toHaveLength(0)
    const csvFile = join(root, 'audit.csv')
    expect(runCli(['packs', 'audit', '--export', csvFile], {env}).code).toBe(0)
    expect(readFileSync(csvFile, 'utf8').split('\n')[0]).toMatch(/^seq,timestamp,user,action/)
  })

  it('--verify detects an edited or removed entry and exits 1', () => {
    const log = join(root, 'home', 'audit', 'audit.log')
    const original = readFileSync(log, 'utf8')
    expect(runCli(['packs', 'audit', '--verify'], {env}).code).toBe(0)
    writeFileSync(log, original.replace('"user":"auditor"', '"user":"mallory"'))
    const edited = runCli(['packs', 'audit', '--verify', '--json'], {env})
    expect(edited.code).toBe(1)
    expect(edited.json.first_break.message).toMatch(/modified/)
    const lines = original.trim().split('\n')
    writeFileSync(log, [lines[0], ...lines.slice(2)].join('\n') + '\n')
    const removed = runCli(['packs', 'audit', '--verify'], {env})
    expect(removed.code).toBe(1)
    expect(removed.stdout).toMatch(/does not follow the previous entry/)
    writeFileSync(log, original)
  })
})
