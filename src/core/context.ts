/**
 * The context a use-case runs in: where $GGEN_HOME is, the config, this machine's name, which
 * registries to read, whether we are offline, and where progress and warnings go. Built once per
 * command by the CLI layer. It carries the Environment (src/util/environment.ts, the only reader of
 * process.env) and resolves flag > environment > config here, so use-cases take values from it.
 */
import {PacksError} from '../domain/errors.js'
import {fileStamp} from '../formats/fs.js'
import type {Catalog} from '../registry/catalog.js'
import {Store} from '../store/store.js'
import {environment, type Environment} from '../util/environment.js'
import {isOffline, readConfig, registryUrls, requireSignatures, resolveMachine, type Config} from '../workspace/config.js'
import {ggenHome, homePaths, type HomePaths} from '../workspace/home.js'
import {extractLimits} from '../workspace/limits.js'

export interface ProgressSink {
  step(text: string, done?: number, total?: number): void
  stop(ok?: boolean, text?: string): void
}

export interface PacksContext {
  /** the environment variables, read once */
  env: Environment
  paths: HomePaths
  config: Config
  machine: string
  registries: string[]
  offline: boolean
  refresh: boolean
  /** trust settings (read from the environment here, nowhere else) */
  trust: {requireSignatures: boolean; envKeys: string[]}
  progress: ProgressSink
  warn: (message: string) => void
}

export const silentProgress: ProgressSink = {step() {}, stop() {}}

export interface ContextOptions {
  env?: Environment
  paths?: HomePaths
  config?: Config
  registry?: string[]
  offline?: boolean
  refresh?: boolean
  machine?: string
  requireSignatures?: boolean
  progress?: ProgressSink
  warn?: (message: string) => void
}

export function makeContext(o: ContextOptions = {}): PacksContext {
  const env = o.env ?? environment()
  const paths = o.paths ?? homePaths(ggenHome(env))
  const config = o.config ?? readConfig(paths)
  return {
    env,
    paths,
    config,
    machine: resolveMachine(config, o.machine, env),
    registries: registryUrls(config, o.registry ?? [], env),
    offline: isOffline(o.offline, env),
    refresh: o.refresh ?? false,
    trust: {
      requireSignatures: requireSignatures(config, o.requireSignatures, env),
      envKeys: env.trustedKeys,
    },
    progress: o.progress ?? silentProgress,
    warn: o.warn ?? ((m) => process.stderr.write(`warning: ${m}\n`)),
  }
}

const catalogCache = new WeakMap<PacksContext, Promise<Catalog>>()

export function loadCatalog(ctx: PacksContext): Promise<Catalog> {
  let c = catalogCache.get(ctx)
  if (!c) {
    if (ctx.registries.length === 0) {
      return Promise.reject(
        new PacksError('E_REGISTRY', 'no registry is configured', {
          hint: 'Set GGEN_REGISTRY_URL to a registry folder or URL (one holding index.json), pass --registry, or add it to $GGEN_HOME/config.json `registries`.',
        }),
      )
    }
    c = (async () => {
      ctx.progress.step('Reading registries')
      const {Catalog} = await import('../registry/catalog.js')
      const {registryStamps} = await import('../registry/source.js')
      const deps = await import('../registry/deprecations.js')
      const cat = await Catalog.load(ctx.registries, {cacheDir: ctx.paths.registryCache, offline: ctx.offline, refresh: ctx.refresh, records: deps.effectiveRecords(ctx.paths)})
      // the offline graph (list, the snapshot) reads the registries' word on installed versions from
      // here; computed again only when a registry index, the store index or the overlays changed
      const inputs = statesInputs(ctx, registryStamps)
      if (inputs === null || !deps.statesAreOf(ctx.paths, inputs)) deps.writeStates(ctx.paths, cat.states(installedVersions(ctx)), inputs ?? undefined)
      ctx.progress.stop()
      return cat
    })()
    catalogCache.set(ctx, c)
  }
  return c
}

/** the stamps of what the version states are computed from; null when a registry has none (then they are computed) */
function statesInputs(ctx: PacksContext, registryStamps: typeof import('../registry/source.js').registryStamps): string | null {
  // after the load: an http index fetched just now is fresh in the cache
  const stamps = registryStamps(ctx.registries, {cacheDir: ctx.paths.registryCache, offline: true})
  if (stamps === null) return null
  return [`store ${fileStamp(ctx.paths.storeIndex)}`, `overlay ${fileStamp(ctx.paths.deprecations)}`, `team ${fileStamp(ctx.paths.teamDeprecations)}`, ...stamps.map(([url, stamp]) => `${url} ${stamp}`)].join('|')
}

/** the versions the store holds (none when its index cannot be read: the commands that need it say why) */
export function installedVersions(ctx: PacksContext): {id: string; version: string}[] {
  try {
    return Object.values(openStore(ctx).readIndex().entries)
  } catch {
    return []
  }
}

/** the store, with the extraction limits from config.json `limits` and GGEN_MAX_* */
export const openStore = (ctx: PacksContext): Store => new Store(ctx.paths, extractLimits(ctx.config, ctx.env))
