/**
 * Run the real binary (bin/run.js, built by `npm run build`) in a child process with a temporary
 * GGEN_HOME. Tests assert on exit codes, stdout/stderr and the files left on disk.
 */
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const binPath = join(repoRoot, 'bin', 'run.js')
export const ggenRealDir = process.env.GGEN_REAL_DIR ?? resolve(repoRoot, '..', 'shared', 'ggen-real')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

export function tempDir(prefix = 'ggen-packs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

function baseEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', GGEN_PROGRESS: '0', GGEN_MACHINE: 'test-machine'}
  delete e.GGEN_REGISTRY_URL
  delete e.GGEN_OFFLINE
  delete e.GGEN_PACKS_FAULT
  delete e.GGEN_BACKEND
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete e[k]
    else e[k] = v
  }
  return e
}

const parse = (stdout: string) => {
  try {
    return JSON.parse(stdout)
  } catch {
    return undefined
  }
}

export function runCli(args: string[], opts: {env?: Record<string, string | undefined>; cwd?: string} = {}): CliResult {
  const r = spawnSync(process.execPath, [binPath, ...args], {env: baseEnv(opts.env ?? {}), cwd: opts.cwd ?? repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
  return {code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, json: parse(r.stdout)}
}

export function runCliAsync(args: string[], opts: {env?: Record<string, string | undefined>; cwd?: string} = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [binPath, ...args], {env: baseEnv(opts.env ?? {}), cwd: opts.cwd ?? repoRoot})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code, signal) => resolvePromise({code, signal, stdout, stderr, json: parse(stdout)}))
  })
}

export interface GpackSpec {
  id: string
  version: string
  deps?: Record<string, string>
  description?: string
  keywords?: string[]
  license?: string
  author?: string
  productionReady?: boolean
  deprecated?: string
  yanked?: boolean
  files?: Record<string, string>
}

/** write gpack source directories (one per version) under `dir` */
export function writeGpackSources(dir: string, specs: GpackSpec[]): string {
  for (const s of specs) {
    const d = join(dir, s.id, s.version)
    mkdirSync(d, {recursive: true})
    const lines = [
      '[gpack]',
      `id = "${s.id}"`,
      `name = "${s.id}"`,
      `version = "${s.version}"`,
      `description = "${s.description ?? `the ${s.id} package`}"`,
      `license = "${s.license ?? 'MIT'}"`,
      `authors = ["${s.author ?? 'tester'}"]`,
      `keywords = [${(s.keywords ?? []).map((k) => `"${k}"`).join(', ')}]`,
      `production_ready = ${s.productionReady ? 'true' : 'false'}`,
      '',
      '[dependencies]',
      ...Object.entries(s.deps ?? {}).map(([k, v]) => `"${k}" = "${v}"`),
      '',
      '[registry]',
      ...(s.deprecated ? [`deprecated = "${s.deprecated}"`] : []),
      ...(s.yanked ? ['yanked = true'] : []),
      'published_at = "2026-01-01T00:00:00Z"',
    ]
    writeFileSync(join(d, 'gpack.toml'), lines.join('\n') + '\n')
    for (const [f, text] of Object.entries(s.files ?? {'templates/main.tmpl': `${s.id} ${s.version}\n`})) {
      mkdirSync(dirname(join(d, f)), {recursive: true})
      writeFileSync(join(d, f), text)
    }
  }
  return dir
}

/** build a registry from specs with the real binary; returns its directory */
export function buildRegistry(root: string, specs: GpackSpec[], extra: string[] = []): string {
  const src = writeGpackSources(join(root, 'src'), specs)
  const out = join(root, 'registry')
  const r = runCli(['packs', 'registry', 'build', src, out, ...extra, '--json'], {env: {GGEN_HOME: join(root, 'home')}})
  if (r.code !== 0) throw new Error(`registry build failed: ${r.stderr}${r.stdout}`)
  return out
}

export function writeProject(dir: string, name: string, packs: Record<string, string> = {}, extra = ''): string {
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'ggen.toml'), `[project]\nname = "${name}"\n${extra}\n[packs]\n${Object.entries(packs).map(([k, v]) => `"${k}" = "${v}"`).join('\n')}\n`)
  return dir
}
