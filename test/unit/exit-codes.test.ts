/** docs/cli.md's exit-code and error-code tables say exactly what src/domain/errors.ts does */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ERROR_EXIT, ExitCode, PacksError} from '../../src/domain/errors.js'
import {repoRoot} from '../support/cli.js'

const doc = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8')

/** the rows of the markdown table under `## title` */
function tableRows(title: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${title}\n`))
  if (!section) throw new Error(`docs/cli.md has no "## ${title}"`)
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l))
    .slice(1)
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()))
}

describe('the one exit-code table', () => {
  it('lists every ExitCode with its number, and nothing else but 127', () => {
    const rows = tableRows('Exit codes').map(([exit, name]) => [Number(exit), name])
    const documented = Object.fromEntries(rows.filter(([, name]) => name !== '-').map(([exit, name]) => [name, exit]))
    expect(documented).toEqual({...ExitCode})
    expect(rows.find(([, name]) => name === '-')?.[0]).toBe(127)
  })

  it('lists every error code with the exit code PacksError gives it', () => {
    const rows = tableRows('Error codes')
    const documented: Record<string, number> = {}
    for (const [codes, exit] of rows) for (const c of codes!.match(/E_[A-Z0-9_]+/g) ?? []) documented[c] = Number(exit)
    const {E_INTERNAL, ...errors} = documented
    expect(E_INTERNAL).toBe(ExitCode.INTERNAL)
    expect(errors).toEqual({...ERROR_EXIT})
    for (const [code, exit] of Object.entries(ERROR_EXIT)) expect(new PacksError(code as keyof typeof ERROR_EXIT, 'x').exitCode).toBe(exit)
  })

  it('a policy block has its own exit code', () => {
    const others = Object.entries(ExitCode).filter(([k]) => k !== 'POLICY').map(([, v]) => v)
    expect(others).not.toContain(ExitCode.POLICY)
    expect(new PacksError('E_POLICY', 'blocked').exitCode).toBe(ExitCode.POLICY)
  })
})
