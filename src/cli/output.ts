/**
 * The output convention every command follows (docs/cli.md#output):
 * - `--json` prints the command's typed result on stdout (bare, as its schema in schemas/json says);
 * - `--format F` chooses the form of what is written (table for people by default);
 * - `--output FILE` writes that form to FILE (atomically) instead of stdout; without --format
 *   the file's extension chooses (.json, .yaml/.yml, .csv, .jsonl, ...);
 * - `--output-dir DIR` when several files come out.
 * With --json and --output together, stdout gets the JSON result and FILE the chosen form.
 */
import {Flags} from '@oclif/core'
import {extname, join, resolve} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {writeFileAtomic} from '../formats/fs.js'

/** the forms a command can write; each command lists the ones it supports */
export type OutputFormat = 'table' | 'json' | 'jsonl' | 'yaml' | 'csv' | 'toml' | 'cypher' | 'graphml' | 'gexf' | 'dot' | 'html' | 'cyclonedx' | 'sarif' | 'markdown'

const EXTENSIONS: Record<string, OutputFormat> = {
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.csv': 'csv',
  '.toml': 'toml',
  '.cypher': 'cypher',
  '.cql': 'cypher',
  '.graphml': 'graphml',
  '.gexf': 'gexf',
  '.dot': 'dot',
  '.gv': 'dot',
  '.html': 'html',
  '.sarif': 'sarif',
  '.md': 'markdown',
  '.txt': 'table',
}

/** `--format`, limited to `formats`; the first one is the default */
export function formatFlag<const F extends readonly OutputFormat[]>(formats: F, summary?: string) {
  return Flags.option({
    options: formats,
    summary: summary ?? `Output form: ${formats.join(', ')} (default: ${formats[0]}; with --output, the file's extension when it names one of them).`,
    helpValue: formats.join('|'),
  })()
}

export const outputFlag = Flags.file({char: 'o', summary: 'Write the output to this file instead of stdout (replaced atomically).', helpValue: 'FILE'})

export const outputDirFlag = Flags.directory({summary: 'Write the files into this folder (created when missing).', helpValue: 'DIR'})

/** --format when given, else the --output file's extension when it is one of `formats`, else the first */
export function chooseFormat<F extends OutputFormat>(formats: readonly F[], flag: F | undefined, output?: string): F {
  if (flag) return flag
  const byExt = output ? EXTENSIONS[extname(output).toLowerCase()] : undefined
  if (byExt && (formats as readonly OutputFormat[]).includes(byExt)) return byExt as F
  return formats[0]!
}

/** refuse a format this result cannot take (an old spelling that reached us with a value the new flag would refuse) */
export function requireFormat<F extends OutputFormat>(formats: readonly F[], f: string, flag = '--format'): F {
  if ((formats as readonly string[]).includes(f)) return f as F
  throw new PacksError('E_USAGE', `${flag} ${f} is not one of ${formats.join(', ')}`, {hint: `Use ${flag} ${formats.join('|')}.`})
}

/** where a written form went */
export interface Written {
  file: string
  bytes: number
}

/** write the rendered form to FILE (atomically; returns where) */
export function writeOutput(file: string, text: string): Written {
  const path = resolve(file)
  writeFileAtomic(path, text)
  return {file: path, bytes: Buffer.byteLength(text)}
}

/** write each document into DIR under its name (atomically; DIR created when missing) */
export function writeOutputs(dir: string, docs: {name: string; text: string; project?: string}[]): (Written & {project?: string})[] {
  return docs.map((d) => ({...writeOutput(join(resolve(dir), d.name), d.text), ...(d.project ? {project: d.project} : {})}))
}
