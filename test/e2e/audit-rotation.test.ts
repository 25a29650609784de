/** issue 10 (audit): rotation keeps one chain across segments; verify, queries and the anchor read them all */
import {existsSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {exampleHome, type Example} from '../support/example.js'

let ex: Example
beforeAll(() => {
  ex = exampleHome()
}, 240_000)

describe('audit log rotation', () => {
  it('a full log is rotated to audit.log.N; the segments chain; deleting one is detected', () => {
    const env = {...ex.env, GGEN_AUDIT_MAX_BYTES: '1500'}
    const log = join(ex.home, 'audit', 'audit.log')
    const before = runCli(['packs', 'audit', '--json'], {env}).json.entries.length as number
    for (let i = 0; i < 4; i++) expect(runCli(['packs', 'manifest', 'generate', 'prod', '--all', '--json'], {env, cwd: ex.workspace}).code).toBe(0)
    expect(existsSync(`${log}.1`)).toBe(true)
    expect(existsSync(`${log}.2`)).toBe(true)
    // the first entry of a new segment chains to the last entry of the one before
    const lastOf = (f: string) => JSON.parse(readFileSync(f, 'utf8').trimEnd().split('\n').at(-1)!)
    const firstOf = (f: string) => JSON.parse(readFileSync(f, 'utf8').split('\n')[0]!)
    expect(firstOf(`${log}.2`).prev_hash).toBe(lastOf(`${log}.1`).hash)
    const all = runCli(['packs', 'audit', '--json'], {env}).json.entries as {seq: number}[]
    expect(all).toHaveLength(before + 4)
    expect(all.map((e) => e.seq)).toEqual([...all.keys()])
    const v = runCli(['packs', 'audit', '--verify', '--json'], {env})
    expect(v.code, v.stdout).toBe(0)
    expect(v.json.entries).toBe(before + 4)
    // removing a segment is a break: the anchor counts every entry of every segment
    rmSync(`${log}.1`)
    const broken = runCli(['packs', 'audit', '--verify', '--json'], {env})
    expect(broken.code).toBe(1)
    expect(broken.json.ok).toBe(false)
  })
})
