/**
 * $GGEN_HOME/config.json: registries, backend, neo4j connection, machine name.
 * Environment variables win over the file (documented in docs/formats.md#config).
 */
import {z} from 'zod'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {parseJsonText, validate} from '../formats/parse.js'
import {homePaths, machineName, type HomePaths} from './home.js'

export const Config = z.object({
  registries: z.array(z.string()).default([]),
  backend: z.enum(['memory', 'neo4j']).default('memory'),
  machine: z.string().optional(),
  neo4j: z
    .object({uri: z.string().optional(), user: z.string().optional(), password: z.string().optional(), database: z.string().optional()})
    .default({}),
  registry_keys: z.array(z.object({keyid: z.string(), public_key: z.string()})).default([]),
})
export type Config = z.infer<typeof Config>

export function readConfig(paths: HomePaths = homePaths()): Config {
  const text = readTextOrNull(paths.config)
  if (text === null) return Config.parse({})
  return validate(Config, parseJsonText(text, paths.config), paths.config)
}

export function writeConfig(cfg: Config, paths: HomePaths = homePaths()): void {
  writeJsonAtomic(paths.config, cfg)
}

/**
 * Registry precedence (first wins for a package id that several registries carry):
 *   1. --registry flags (in the order given)
 *   2. GGEN_REGISTRY_URL (comma-separated)
 *   3. config.json `registries`
 */
export function registryUrls(cfg: Config, flags: string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env.GGEN_REGISTRY_URL ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const all = [...flags, ...fromEnv, ...cfg.registries]
  return [...new Set(all)]
}

export function isOffline(flag?: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag) return true
  const v = env.GGEN_OFFLINE
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false'
}

export function resolveMachine(cfg: Config, flag?: string): string {
  return flag || process.env.GGEN_MACHINE || cfg.machine || machineName()
}
