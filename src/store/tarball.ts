/**
 * gpack tarballs (.tgz): deterministic packing (sorted entries, portable headers, mtime 0) and
 * safe extraction: every entry is checked before anything is written; absolute paths, `..`
 * segments, links that point outside the package and device files are refused (E_PATH_TRAVERSAL).
 */
import {mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {isAbsolute, join, posix} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {PacksError} from '../domain/errors.js'

const SKIP = new Set(['.git', 'node_modules', '.ggen', '.DS_Store'])

export function listPackFiles(dir: string, rel = ''): string[] {
  const out: string[] = []
  for (const e of readdirSync(join(dir, rel), {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (SKIP.has(e.name)) continue
    const r = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...listPackFiles(dir, r))
    else if (e.isFile()) out.push(r)
  }
  return out
}

export async function packDirectory(dir: string): Promise<Buffer> {
  const tar = await import('tar')
  const files = listPackFiles(dir)
  const tmp = join(tmpdir(), `ggen-pack-${process.pid}-${Math.random().toString(36).slice(2)}.tgz`)
  try {
    tar.c({gzip: true, cwd: dir, portable: true, mtime: new Date(0), noDirRecurse: true, sync: true, file: tmp, prefix: 'package'}, files)
    return readFileSync(tmp)
  } finally {
    rmSync(tmp, {force: true})
  }
}

export interface TarEntryInfo {
  path: string
  type: string
  size: number
  linkpath?: string
}

/** read entry headers of a (gzipped) tarball without extracting */
export async function listTarball(data: Buffer): Promise<TarEntryInfo[]> {
  const tar = await import('tar')
  const entries: TarEntryInfo[] = []
  const raw = data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data
  await new Promise<void>((resolve, reject) => {
    const p = new tar.Parser({
      strict: true,
      onReadEntry: (e) => {
        entries.push({path: e.path, type: e.type, size: e.size ?? 0, linkpath: e.linkpath})
        e.resume()
      },
    })
    p.on('error', reject)
    p.on('end', () => resolve())
    p.end(raw)
  })
  return entries
}

/** strip the first path segment (`package/`), the layout packDirectory writes */
const stripTop = (p: string): string => p.split('/').slice(1).join('/')

export function checkEntrySafe(e: TarEntryInfo, what: string): void {
  const bad = (why: string) =>
    new PacksError('E_PATH_TRAVERSAL', `${what}: tarball entry \`${e.path}\` ${why}; nothing was extracted`, {
      hint: 'This package is malformed or malicious. Do not use it; report it to the registry owner.',
    })
  if (isAbsolute(e.path) || /^[A-Za-z]:/.test(e.path)) throw bad('is an absolute path')
  const norm = posix.normalize(e.path)
  if (norm.split('/').includes('..')) throw bad('escapes the package with `..`')
  if (['CharacterDevice', 'BlockDevice', 'FIFO'].includes(e.type)) throw bad(`is a ${e.type}`)
  if (e.type === 'SymbolicLink' || e.type === 'Link') {
    const target = e.linkpath ?? ''
    if (isAbsolute(target)) throw bad(`links to the absolute path ${target}`)
    const base = e.type === 'SymbolicLink' ? posix.dirname(norm) : '.'
    const resolved = posix.normalize(posix.join(base, target))
    if (resolved.startsWith('..') || resolved.split('/').includes('..') || stripTop(resolved) === '' && e.type === 'Link') throw bad(`links outside the package (${target})`)
  }
}

/**
 * Extract into `dest` (created, must not exist). Returns unpacked size in bytes.
 * The top directory of each entry (`package/`) is stripped.
 */
export async function extractTarball(data: Buffer, dest: string, what: string): Promise<{size: number; files: number}> {
  const entries = await listTarball(data)
  let size = 0
  let files = 0
  for (const e of entries) {
    checkEntrySafe(e, what)
    if (e.type === 'File' || e.type === 'OldFile' || e.type === 'ContiguousFile') {
      size += e.size
      files++
    }
  }
  const tar = await import('tar')
  mkdirSync(dest, {recursive: true})
  const raw = data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data
  await new Promise<void>((resolve, reject) => {
    const u = new tar.Unpack({cwd: dest, strip: 1, strict: true, preservePaths: false})
    u.on('error', reject)
    u.on('close', () => resolve())
    u.end(raw)
  })
  return {size, files}
}
