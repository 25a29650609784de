/**
 * `packs resolve <id> [--apply [--pick N]]`: the conflict analysis of src/core/resolve-conflict.ts
 * with its ways out checked by dry runs of install / update, and, with `apply`, the chosen way
 * (default: the first that works) run for real through the install transaction (history, audit).
 */
import {PacksError} from '../domain/errors.js'
import type {ChangeResult} from '../domain/changes.js'
import {count} from '../util/text.js'
import type {PacksContext} from '../core/context.js'
import {analyseConflict, type ResolveConflictOptions, type ResolveConflictResult, type WayOperation, type WayRunner} from '../core/resolve-conflict.js'
import {install, update} from './install.js'

export interface ResolveApplyOptions extends Omit<ResolveConflictOptions, 'check'> {
  /** apply a way out */
  apply?: boolean
  /** which (1-based index into `ways`; default: the first that works) */
  pick?: number
}

const runner =
  (ctx: PacksContext): WayRunner =>
  (dir: string, w: WayOperation, dryRun: boolean): Promise<ChangeResult> =>
    w.op === 'install' ? install(ctx, dir, w.ids, {dryRun}) : update(ctx, dir, w.ids, {dryRun, to: w.to})

export async function resolveAndApply(ctx: PacksContext, id: string, o: ResolveApplyOptions = {}): Promise<ResolveConflictResult> {
  const run = runner(ctx)
  const {result, dir} = await analyseConflict(ctx, id, {...o, check: run})
  const ways = result.ways
  if (!o.apply || ways.length === 0) return result
  const firstWorking = ways.findIndex((w) => w.works) + 1
  if (o.pick === undefined && firstWorking === 0) throw new PacksError('E_RESOLVE', `${ways[0]!.summary}: does not resolve: ${ways[0]!.error}`, {hint: `See the whole answer: ggen packs resolve ${id} --project ${dir}`})
  const pick = o.pick ?? firstWorking
  const way = ways[pick - 1]
  if (!way || pick < 1) throw new PacksError('E_USAGE', `--pick ${pick} is not one of the ${count(ways.length, 'way')} listed`, {hint: `Choose 1 to ${ways.length}.`})
  if (!way.works) throw new PacksError('E_RESOLVE', `way ${pick} (${way.summary}) does not resolve: ${way.error}`, {hint: firstWorking ? `Way ${firstWorking} works: --apply --pick ${firstWorking}` : 'None of the ways listed resolves.'})
  return {...result, applied: {way: pick, result: await run(dir, way.operation, false)}}
}
