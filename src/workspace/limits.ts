/**
 * The extraction limits in force: environment (GGEN_MAX_UNPACKED_BYTES, GGEN_MAX_FILES,
 * GGEN_MAX_FILE_BYTES) over config.json `limits` over the defaults in src/store/limits.ts.
 */
import {PacksError} from '../domain/errors.js'
import {DEFAULT_LIMITS, LIMIT_ENV, LIMIT_NAMES, type ExtractLimits} from '../store/limits.js'
import {environment, type Environment} from '../util/environment.js'
import type {Config} from './config.js'

export const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0

export function extractLimits(cfg: Pick<Config, 'limits'>, env: Pick<Environment, 'limits'> = environment()): ExtractLimits {
  const out: ExtractLimits = {...DEFAULT_LIMITS, ...cfg.limits}
  for (const name of LIMIT_NAMES) {
    const raw = env.limits[LIMIT_ENV[name]]
    if (raw === undefined || raw === '') continue
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
    if (!isPositiveInteger(n)) {
      throw new PacksError('E_USAGE', `${LIMIT_ENV[name]}=${raw}: expected a positive whole number (${name})`, {
        field: LIMIT_ENV[name],
        hint: `Set ${LIMIT_ENV[name]} to a number such as ${DEFAULT_LIMITS[name]}, or unset it to use config.json \`limits.${name}\`.`,
      })
    }
    out[name] = n
  }
  return out
}
