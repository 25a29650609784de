/**
 * `--project DIR` names an existing folder. A missing one is E_NO_PROJECT (exit 3) with a hint
 * (`mkdir -p DIR`, or `ggen packs install --init`), never created as a side effect: a typo in
 * --project must not leave a folder, a ggen.toml and a registered project behind.
 */
import {existsSync, mkdirSync, statSync} from 'node:fs'
import {resolve} from 'node:path'
import {PacksError} from '../domain/errors.js'

const missing = (abs: string, why: string) =>
  new PacksError('E_NO_PROJECT', `project folder ${abs} ${why}`, {
    file: abs,
    hint: `Check the --project path. To start a project there: mkdir -p ${abs} (then install), or ggen packs install --init --project ${abs}`,
  })

/** the absolute path of `dir` when it is an existing folder; E_NO_PROJECT otherwise */
export function requireProjectDir(dir: string): string {
  const abs = resolve(dir)
  let isDir: boolean
  try {
    isDir = statSync(abs).isDirectory()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw missing(abs, 'does not exist')
    if (code === 'ENOTDIR') throw missing(abs, 'does not exist (a part of the path is a file)')
    throw error // EACCES, ELOOP, ...: mapped by the base command
  }
  if (!isDir) throw missing(abs, 'is a file, not a folder')
  return abs
}

/** `install --init`: create the project folder when it does not exist (install then writes its ggen.toml) */
export function initProjectDir(dir: string): {path: string; created: boolean} {
  const abs = resolve(dir)
  const created = !existsSync(abs)
  if (created) mkdirSync(abs, {recursive: true})
  return {path: requireProjectDir(abs), created}
}
