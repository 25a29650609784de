import {isPacksError, type PacksError} from '../../src/domain/errors.js'

/** run `fn`, which must throw a PacksError; return it (anything else fails the test) */
export function thrown(fn: () => unknown): PacksError {
  try {
    fn()
  } catch (error) {
    if (isPacksError(error)) return error
    throw error
  }
  throw new Error('expected a PacksError, nothing was thrown')
}
