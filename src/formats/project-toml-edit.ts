/**
 * Changes to `ggen.toml` as edits in place of the user's file (a module of its own: readers of
 * ggen.toml, src/formats/project-toml.ts, do not load the TOML editor, src/formats/toml-edit.ts).
 */
import {basename, dirname} from 'node:path'
import type {ProjectConfig} from '../domain/schemas.js'
import {readTextOrNull, stableStringify, writeFileAtomic, type WriteResult} from './fs.js'
import {isTable, parseTomlText} from './parse.js'
import {projectFilePath} from './paths.js'
import {parseProjectToml, serializeProjectToml, specValue} from './project-toml.js'
import {editTomlTables} from './toml-edit.js'

/**
 * The user's ggen.toml with [packs] (and [project] fields that changed, e.g. environment) edited
 * in place: comments, blank lines, key order, quoting, unknown keys and tables, CRLF line endings
 * all stay (rules in toml-edit.ts). `originalText` null: a fresh file. The result is parsed again
 * and compared with what was meant; any difference is refused before anything is written.
 */
export function editProjectToml(originalText: string | null, cfg: ProjectConfig, file: string): string {
  if (originalText === null) return serializeProjectToml(cfg)
  const dirName = basename(dirname(file))
  const raw = parseTomlText(originalText, file)
  const before = parseProjectToml(originalText, file, dirName)
  const rawProject = isTable(raw.project) ? raw.project : {}
  const rawPacks = isTable(raw.packs) ? raw.packs : {}
  const project = {...rawProject}
  for (const k of ['name', 'team', 'owner', 'environment'] as const) {
    if (before.project[k] === cfg.project[k]) continue
    if (cfg.project[k] === undefined) delete project[k]
    else project[k] = cfg.project[k]
  }
  const packs: Record<string, unknown> = {}
  for (const [id, r] of Object.entries(cfg.packs)) {
    const old = before.packs[id]
    packs[id] = old && stableStringify(old) === stableStringify(r) ? rawPacks[id] : specValue(rawPacks[id], r)
  }
  const text = editTomlTables(originalText, file, [
    {path: ['project'], before: rawProject, after: project},
    {path: ['packs'], before: rawPacks, after: packs},
  ])
  const intended: Record<string, unknown> = {...raw}
  if ('project' in raw || Object.keys(project).length) intended.project = project
  if ('packs' in raw || Object.keys(packs).length) intended.packs = packs
  checkEdit(text, file, dirName, intended, cfg)
  return text
}

/** belt and braces: the edited text must read back exactly as intended, or nothing is written */
function checkEdit(text: string, file: string, dirName: string, intended: Record<string, unknown>, cfg: ProjectConfig): void {
  let got: Record<string, unknown>
  try {
    got = parseTomlText(text, file)
  } catch (error) {
    throw new Error(`${file}: editing [packs] in place gave invalid TOML (${(error as Error).message}); nothing was written`)
  }
  const differ = [...new Set([...Object.keys(got), ...Object.keys(intended)])].filter((k) => stableStringify(got[k]) !== stableStringify(intended[k]))
  const again = parseProjectToml(text, file, dirName)
  if (stableStringify(again.packs) !== stableStringify(cfg.packs)) differ.push('packs (requirements)')
  if (stableStringify(again.project) !== stableStringify(cfg.project)) differ.push('project (fields)')
  if (differ.length) throw new Error(`${file}: editing [packs] in place would change ${differ.join(', ')} differently than intended; nothing was written`)
}

export function writeProjectToml(dir: string, cfg: ProjectConfig): WriteResult {
  const file = projectFilePath(dir)
  return writeFileAtomic(file, editProjectToml(readTextOrNull(file), cfg, file))
}
