/** The README's first command: the bundled example builds, installs and lists. */
import {spawnSync} from 'node:child_process'
import {cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ggenRealDir, repoRoot, runCli, tempDir} from '../support/cli.js'

describe('bundled example', () => {
  const out = tempDir('ggen-example-')
  const env = {GGEN_HOME: join(out, 'home'), GGEN_REGISTRY_URL: join(out, 'registry')}

  it('npm run example: builds the registry, installs 7 projects and lists 23 versions', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'example.mjs'), '--fresh', '--json'], {
      env: {...process.env, GGEN_EXAMPLE_OUT: out, NO_COLOR: '1'},
      encoding: 'utf8',
    })
    expect(r.status, r.stderr).toBe(0)
    const rows = JSON.parse(r.stdout)
    expect(rows).toHaveLength(23)
    expect(new Set(rows.flatMap((x: {projects: {name: string}[]}) => x.projects.map((p) => p.name)))).toEqual(new Set(['admin-portal', 'billing-api', 'billing-api-staging', 'ml-pipeline', 'ops-tooling', 'storefront', 'thesis']))
    // the yanked io.ggen.core.util 1.3.0 is never chosen; the resolver backtracked storefront to fullstack 1.0.0
    expect(rows.filter((x: {id: string}) => x.id === 'io.ggen.core.util').map((x: {version: string}) => x.version)).toEqual(['1.2.0'])
    expect(rows.find((x: {id: string}) => x.id === 'io.ggen.web.fullstack').version).toBe('1.0.0')
    expect(rows.find((x: {id: string}) => x.id === 'io.ggen.ts.legacy-forms').deprecated).toMatch(/superseded/)
    // three versions of docker coexist across projects (drift; staging is one release behind prod)
    expect(rows.filter((x: {id: string}) => x.id === 'io.ggen.ops.docker').map((x: {version: string}) => x.version)).toEqual(['1.0.0', '1.1.0', '1.2.0'])
  })

  it('info --include-dependents lists the projects using a package and which version', () => {
    const r = runCli(['packs', 'info', 'io.ggen.ops.docker', '--include-dependents', '--json'], {env})
    expect(r.code, r.stderr).toBe(0)
    const used = r.json.dependents.map((d: {project: {name: string}; version: string; direct: boolean}) => `${d.project.name}:${d.version}:${d.direct}`)
    expect(used).toEqual(expect.arrayContaining(['ops-tooling:1.0.0:true', 'billing-api:1.2.0:true', 'storefront:1.2.0:false']))
    expect(r.json.dependent_packages.map((d: {id: string}) => d.id)).toEqual(expect.arrayContaining(['io.ggen.ops.ci', 'io.ggen.ops.k8s', 'io.ggen.web.fullstack']))
  })

  it('the projects carry dev/staging/prod environments: a prod manifest, and staging checked against it', () => {
    const ws = join(out, 'workspace')
    const prod = join(out, 'prod.json')
    const gen = runCli(['packs', 'manifest', 'generate', 'prod', '--all-projects', '-o', prod, '--json'], {env, cwd: ws})
    expect(gen.code, gen.stderr).toBe(0)
    expect(JSON.parse(readFileSync(prod, 'utf8')).metadata.projects.map((p: string) => p.split('/').at(-1)).sort()).toEqual(['billing-api', 'storefront'])
    const v = runCli(['packs', 'verify', '--manifest', prod, '--env', 'staging', '--json'], {env, cwd: ws})
    expect(v.code).toBe(1)
    expect(JSON.stringify(v.json)).toContain('billing-api-staging')
    expect(JSON.stringify(v.json)).toContain('io.ggen.ops.docker')
  })

  it('a project that only has a real legacy ggen.lock is listed too', () => {
    const proj = join(out, 'legacy-proj')
    mkdirSync(proj, {recursive: true})
    writeFileSync(join(proj, 'ggen.toml'), '[project]\nname = "legacy-proj"\n')
    cpSync(join(ggenRealDir, 'tag-v1.2.0', 'extracted', 'ggen.lock'), join(proj, 'ggen.lock'))
    const legacy = readFileSync(join(proj, 'ggen.lock'), 'utf8')
    const r = runCli(['packs', 'list', '--json', '--root', out], {env})
    expect(r.code, r.stderr).toBe(0)
    const mine = r.json.filter((x: {projects: {name: string}[]}) => x.projects.some((p) => p.name === 'legacy-proj'))
    expect(mine.length).toBeGreaterThan(0)
    for (const row of mine) expect(legacy).toContain(row.id)
  })
})
