/**
 * Every example in README.md runs on the bundled example. Each ```bash block after the set-up
 * block runs as one bash script in a fresh copy of the example (`npm run example` output), from a
 * folder laid out like the repository (bin/, examples/.out/{home,registry,workspace}) and starting
 * in examples/.out/workspace with GGEN_HOME, GGEN_REGISTRY_URL and `ggen` (bin/ggen) on PATH, as the
 * README tells a reader to set up. Each command's exit code must be the documented one: 0 unless
 * the line ends with a comment `# exit N`. Blocks that use Neo4j run against the test Neo4j.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoRoot} from '../support/cli.js'
import {buildExample, copyExample} from '../support/example.js'
import {useNeo4j, wipeNeo4j} from '../support/neo4j.js'

interface Example {
  block: number
  line: number
  text: string
  expect: number
}

/** the README's bash blocks, each a list of commands (backslash continuations joined) */
export function readmeExamples(markdown: string): {block: number; startLine: number; commands: Example[]}[] {
  const lines = markdown.split('\n')
  const blocks: {block: number; startLine: number; commands: Example[]}[] = []
  let current: {block: number; startLine: number; commands: Example[]} | null = null
  let pending = ''
  let pendingLine = 0
  lines.forEach((raw, i) => {
    if (current === null) {
      if (/^```bash\s*$/.test(raw)) current = {block: blocks.length, startLine: i + 1, commands: []}
      return
    }
    if (/^```\s*$/.test(raw)) {
      blocks.push(current)
      current = null
      return
    }
    if (!pending) pendingLine = i + 1
    if (raw.endsWith('\\')) {
      pending += raw.slice(0, -1) + ' '
      return
    }
    const text = (pending + raw).trim()
    pending = ''
    if (!text || text.startsWith('#')) return
    const m = /#\s*exit\s+(\d+)/.exec(text)
    current.commands.push({block: current.block, line: pendingLine, text, expect: m ? Number(m[1]) : 0})
  })
  return blocks
}

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
const blocks = readmeExamples(readme).slice(1) // block 0 is the set-up (npm ci / npm test): CI runs it
const neo = await useNeo4j()
const usesNeo4j = (b: {commands: Example[]}) => b.commands.some((c) => /--backend neo4j|graph sync|packs query/.test(c.text))

let sandbox = ''
beforeAll(() => {
  sandbox = buildExample()
}, 240_000)

function script(b: {commands: Example[]}): string {
  const out = [
    'set -o pipefail',
    'cd examples/.out/workspace',
    'export GGEN_HOME=$PWD/../home GGEN_REGISTRY_URL=$PWD/../registry PATH=$PWD/../../../bin:$PATH',
  ]
  for (const c of b.commands) {
    // cd and export change the shell itself; everything else is checked for its exit code
    if (/^(cd|export)\s/.test(c.text)) out.push(c.text)
    else out.push(`${c.text}\nrc=$?; if [ "$rc" -ne ${c.expect} ]; then echo "README.md:${c.line}: exit $rc, documented ${c.expect}: ${c.text.replace(/["`$\\]/g, '\\$&')}" >&2; exit 99; fi`)
  }
  return out.join('\n') + '\n'
}

describe('README examples run on the bundled example', () => {
  it('the README has examples to run', () => {
    expect(blocks.length).toBeGreaterThan(10)
  })

  for (const b of blocks) {
    const title = `README.md:${b.startLine}: ${b.commands[0]?.text.slice(0, 70) ?? '(empty)'}`
    const needsNeo = usesNeo4j(b)
    it.skipIf(needsNeo && !!neo.skip)(needsNeo && neo.skip ? `${title} (skipped: ${neo.skip})` : title, async () => {
      const dir = copyExample(sandbox)
      const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', GGEN_PROGRESS: '0', GGEN_MACHINE: 'example-laptop'}
      for (const k of ['GGEN_REGISTRY_URL', 'GGEN_OFFLINE', 'GGEN_PACKS_FAULT', 'GGEN_BACKEND', 'GGEN_HOME']) delete env[k]
      if (needsNeo) {
        const s = neo.settings()
        await wipeNeo4j(s)
        Object.assign(env, {GGEN_NEO4J_URI: s.uri, GGEN_NEO4J_USER: s.user, GGEN_NEO4J_PASSWORD: s.password, ...(s.database ? {GGEN_NEO4J_DATABASE: s.database} : {})})
      }
      const r = spawnSync('bash', ['-c', script(b)], {cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
      expect(r.status, `${r.stderr}\n${r.stdout.slice(-2000)}`).toBe(0)
    }, 180_000)
  }
})
