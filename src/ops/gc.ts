/**
 * `packs gc`: remove store entries no known project's lockfile uses. Projects that cannot be read
 * stop the collection (their entries might be in use): fix or unregister them first.
 */
import {audited} from '../audit/log.js'
import {count} from '../util/text.js'
import type {PacksContext} from '../core/context.js'
import {isErrorCode, PacksError} from '../domain/errors.js'
import {withLock} from '../formats/lock.js'
import {Store, type StoreEntry} from '../store/store.js'
import {scanWorkspace} from '../workspace/projects.js'

export interface GcResult {
  dry_run: boolean
  removed: {id: string; version: string; integrity: string; size: number}[]
  freed: number
  kept: number
  /** temp folders of interrupted extractions removed (or that would be) */
  stale_temps: string[]
}

/** gc, audited (action gc) unless it is a dry run */
export async function gc(ctx: PacksContext, o: {dryRun: boolean; roots?: string[]}): Promise<GcResult> {
  if (o.dryRun) return collect(ctx, o)
  return audited(ctx, {action: 'gc'}, () => collect(ctx, o), (r) => ({
    details: `removed ${count(r.removed.length, 'store entry')} (${r.freed} bytes), ${r.kept} kept${r.stale_temps.length ? `, ${count(r.stale_temps.length, 'stale temp folder')}` : ''}`,
    affected: r.removed.map((e) => `${e.id}@${e.version}`),
  }))
}

async function collect(ctx: PacksContext, o: {dryRun: boolean; roots?: string[]}): Promise<GcResult> {
  return withLock(ctx.paths.homeLock, async () => {
    // the lockfiles are read under the store lock (inside store.gc), after the live pins: an
    // install either committed its lockfile before, or holds a pin gc sees
    const inUse = (): Set<string> => {
      const scan = scanWorkspace(ctx.paths, o.roots ?? [], {useCache: false})
      const broken = scan.projects.filter((p) => p.error && p.error.code !== 'E_NO_PROJECT')
      if (broken.length) {
        const first = broken[0]!.error!
        throw new PacksError(isErrorCode(first.code) ? first.code : 'E_PARSE', `cannot read ${broken.length} project(s), so their store entries might be in use: ${broken.map((b) => `${b.path} (${b.error!.message})`).join('; ')}`, {
          ...(first.file ? {file: first.file} : {}),
          hint: `${first.hint ? `${first.hint} ` : ''}Fix those project files (or remove the projects) and run gc again. Nothing was removed.`,
        })
      }
      const keep = new Set<string>()
      for (const p of scan.projects) for (const e of Object.values(p.lock?.packs ?? {})) keep.add(e.integrity)
      return keep
    }
    const store = new Store(ctx.paths)
    const r = await store.gc(inUse, o.dryRun)
    const total = Object.keys(store.readIndex().entries).length
    return {
      dry_run: o.dryRun === true,
      removed: r.removed.map((e: StoreEntry) => ({id: e.id, version: e.version, integrity: e.integrity, size: e.size})),
      freed: r.freed,
      kept: o.dryRun ? total - r.removed.length : total,
      stale_temps: r.stale,
    }
  })
}
