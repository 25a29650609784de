/**
 * `.ggen/packs.lock`: the JSON pack lockfile in the shape current ggen writes (sorted keys,
 * pretty-printed). A missing file reads as null; a broken one is an error naming the file.
 * Real files with junk integrity strings or dangling dependency ids still read: `verify` reports them.
 */
import {lockfilePath} from './paths.js'
import {Lockfile} from '../domain/schemas.js'
import {readTextOrNull, stableStringify, writeFileAtomic, type WriteResult} from './fs.js'
import {parseJsonText, validate} from './parse.js'

export {LOCKFILE_REL, lockfilePath} from './paths.js'

export const GGEN_VERSION = 'ggen-packs/0.1.0'


export function parseLockfile(text: string, file: string): Lockfile {
  return validate(Lockfile, parseJsonText(text, file), file)
}

export function readLockfile(projectDir: string): Lockfile | null {
  const file = lockfilePath(projectDir)
  const text = readTextOrNull(file)
  if (text === null) return null
  return parseLockfile(text, file)
}

export function emptyLockfile(): Lockfile {
  return {packs: {}, ggen_version: GGEN_VERSION}
}

export function serializeLockfile(lock: Lockfile): string {
  return stableStringify(lock)
}

export function writeLockfile(projectDir: string, lock: Lockfile): WriteResult {
  return writeFileAtomic(lockfilePath(projectDir), serializeLockfile(lock))
}
