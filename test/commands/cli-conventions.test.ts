/**
 * Issue 9: one CLI. help, did-you-mean and shell completion, through the real binary.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {repoRoot, runCli, tempDir} from '../support/cli.js'

describe('help, did-you-mean, completion', () => {
  it('`ggen help packs list` prints the command help', () => {
    const r = runCli(['help', 'packs', 'list'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('USAGE')
    expect(r.stdout).toContain('$ ggen packs list')
  })

  it('a mistyped command suggests the nearest ones and exits 127', () => {
    const r = runCli(['packs', 'lsit'])
    expect(r.code).toBe(127)
    expect(r.stderr).toContain('Did you mean `ggen packs list`')
    expect(r.stderr).toContain('is not a ggen command')
  })

  it('`ggen autocomplete bash` writes a completion script that knows the packs commands', () => {
    const cache = tempDir()
    const r = runCli(['autocomplete', 'bash'], {env: {XDG_CACHE_HOME: cache}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('ggen autocomplete script bash')
    const script = readFileSync(join(cache, 'ggen', 'autocomplete', 'functions', 'bash', 'ggen.bash'), 'utf8')
    for (const id of ['packs:install', 'packs:list', 'packs:registry:trust']) expect(script).toContain(id)
  })
})

describe('parse errors are usage errors', () => {
  it('a missing folder argument, an unknown flag and a bad option value exit 2 with E_USAGE, never 70', () => {
    const home = tempDir()
    for (const args of [
      ['packs', 'registry', 'build', join(home, 'no-such-folder'), join(home, 'out'), '--json'],
      ['packs', 'list', '--no-such-flag', '--json'],
      ['packs', 'list', '--backend', 'oracle', '--json'],
    ]) {
      const r = runCli(args, {env: {GGEN_HOME: home}})
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2)
      expect(r.json.error.code).toBe('E_USAGE')
    }
  })
})

describe('flag snapshot', () => {
  it('every command\'s flags match test/snapshots/command-snapshot.json (a flag change is a visible diff)', () => {
    // to accept a deliberate change: ./bin/dev.js snapshot generate --filepath test/snapshots/command-snapshot.json
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'dev.js'), 'snapshot', 'compare', '--filepath', 'test/snapshots/command-snapshot.json'], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0)
    expect(r.stdout + r.stderr).toContain('No changes have been detected')
  })
})
