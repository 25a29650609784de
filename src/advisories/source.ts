/**
 * Where advisory records come from: a folder of OSV JSON files (read recursively), a zip like
 * OSV's `all.zip`, or an http(s) URL serving either (a zip, or one JSON record or an array of
 * records). Every source yields its JSON texts in memory with the name they had; nothing read
 * from a zip is ever written to disk, and its names serve only in warnings.
 *
 * A zip goes through the extraction limits of packages (src/store/limits.ts, config `limits`,
 * GGEN_MAX_*): entry count, total expanded bytes, bytes of one entry, plus a compression ratio
 * cap for large entries; yauzl checks every entry's real size against the size it declares.
 * A zip that breaks a limit or cannot be read is refused as a whole (E_TARBALL).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import yauzl from 'yauzl'
import {PacksError} from '../domain/errors.js'
import {formatBytes, type ExtractLimits} from '../store/limits.js'
import {environment} from '../util/environment.js'

export interface SourceFile {
  /** where it came from: a path, `zip!entry` or a URL */
  name: string
  text: string
}

/** an entry larger than this must not expand more than MAX_RATIO times its compressed size */
export const RATIO_FLOOR_BYTES = 64 * 1024
export const MAX_RATIO = 200

export type SourceKind = 'dir' | 'zip' | 'url'

export function sourceKind(source: string): SourceKind {
  if (/^https?:\/\//i.test(source)) return 'url'
  let st
  try {
    st = statSync(source)
  } catch {
    throw new PacksError('E_NOT_FOUND', `advisory source ${source} does not exist`, {hint: 'Name a folder of OSV JSON files, a .zip of them (like OSV all.zip), or an http(s) URL.'})
  }
  return st.isDirectory() ? 'dir' : 'zip'
}

/** every `*.json` file under `dir`, sorted, with its path */
export function readFolder(dir: string): SourceFile[] {
  const root = resolve(dir)
  const out: SourceFile[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push({name: p, text: readFileSync(p, 'utf8')})
    }
  }
  walk(root)
  return out
}

const zipError = (where: string, message: string, cause?: unknown) =>
  new PacksError('E_TARBALL', `advisory zip ${where}: ${message}`, {
    hint: 'Nothing was imported; the old advisory database is kept. Check the archive (OSV publishes all.zip per ecosystem), or raise config.json `limits` if it is genuine.',
    cause,
  })

const isZip = (buf: Buffer): boolean => buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04

function openZip(buf: Buffer, where: string): Promise<yauzl.ZipFile> {
  return new Promise((ok, fail) => {
    yauzl.fromBuffer(buf, {lazyEntries: true, validateEntrySizes: true, decodeStrings: true}, (err, zip) => (err || !zip ? fail(zipError(where, `not a readable zip (${err?.message ?? 'empty'})`, err)) : ok(zip)))
  })
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, where: string): Promise<Buffer> {
  return new Promise((ok, fail) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return fail(zipError(where, `cannot read ${entry.fileName} (${err?.message ?? 'no stream'})`, err))
      const parts: Buffer[] = []
      stream.on('data', (c: Buffer) => parts.push(c))
      stream.on('error', (e) => fail(zipError(where, `cannot read ${entry.fileName} (${e.message})`, e)))
      stream.on('end', () => ok(Buffer.concat(parts)))
    })
  })
}

/** check one entry against the limits before it is expanded; returns the new running total */
function admit(entry: yauzl.Entry, count: number, total: number, l: ExtractLimits, where: string): number {
  if (count > l.max_files) throw zipError(where, `more than ${l.max_files} entries (limit max_files)`)
  const size = entry.uncompressedSize
  if (size > l.max_file_bytes) throw zipError(where, `${entry.fileName} expands to ${formatBytes(size)}, over the ${formatBytes(l.max_file_bytes)} of one entry (limit max_file_bytes)`)
  if (size > RATIO_FLOOR_BYTES && size > MAX_RATIO * Math.max(1, entry.compressedSize)) throw zipError(where, `${entry.fileName} expands ${Math.round(size / Math.max(1, entry.compressedSize))} times its compressed size (at most ${MAX_RATIO}): a zip bomb`)
  if (total + size > l.max_unpacked_bytes) throw zipError(where, `expands to more than ${formatBytes(l.max_unpacked_bytes)} (limit max_unpacked_bytes)`)
  return total + size
}

/** the `.json` entries of a zip held in memory, within the limits */
export async function readZip(buf: Buffer, where: string, limits: ExtractLimits): Promise<SourceFile[]> {
  if (!isZip(buf)) throw zipError(where, 'not a zip archive (no PK header)')
  const zip = await openZip(buf, where)
  const out: SourceFile[] = []
  let count = 0
  let total = 0
  try {
    await new Promise<void>((ok, fail) => {
      zip.on('error', (e: Error) => fail(zipError(where, e.message, e)))
      zip.on('end', () => ok())
      zip.on('entry', (entry: yauzl.Entry) => {
        try {
          count++
          total = admit(entry, count, total, limits, where)
        } catch (e) {
          return fail(e)
        }
        if (entry.fileName.endsWith('/') || !entry.fileName.toLowerCase().endsWith('.json')) return zip.readEntry()
        readEntry(zip, entry, where).then((b) => {
          out.push({name: `${where}!${entry.fileName}`, text: b.toString('utf8')})
          zip.readEntry()
        }, fail)
      })
      zip.readEntry()
    })
  } finally {
    zip.close()
  }
  return out
}

/** GET a URL into memory, at most `max` bytes; failures are E_REGISTRY (unreachable source) */
export async function download(url: string, max: number): Promise<Buffer> {
  const fail = (message: string, cause?: unknown) =>
    new PacksError('E_REGISTRY', `cannot download advisories from ${url}: ${message}`, {hint: 'Check the URL and your network; the old advisory database is kept.', cause})
  let res: Response
  try {
    res = await fetch(url, {signal: AbortSignal.timeout(environment().httpTimeoutMs)})
  } catch (error) {
    throw fail((error as Error).message, error)
  }
  if (!res.ok || !res.body) throw fail(`HTTP ${res.status} ${res.statusText}`)
  const parts: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      size += chunk.length
      if (size > max) throw zipError(url, `the download is larger than ${formatBytes(max)} (limit max_unpacked_bytes)`)
      parts.push(Buffer.from(chunk))
    }
  } catch (error) {
    if (error instanceof PacksError) throw error
    throw fail(`the download broke off (${(error as Error).message})`, error)
  }
  const declared = Number(res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > 0 && declared !== size) throw fail(`the download broke off (${size} of ${declared} bytes)`)
  return Buffer.concat(parts)
}

/** read a source of any kind into JSON texts */
export async function readSource(source: string, limits: ExtractLimits, o: {offline: boolean}): Promise<SourceFile[]> {
  const kind = sourceKind(source)
  if (kind === 'dir') return readFolder(source)
  if (kind === 'zip') return readZip(readFileSync(source), source, limits)
  if (o.offline) throw new PacksError('E_OFFLINE', `offline: the advisory database is not downloaded from ${source}`, {hint: 'Run the update without --offline (and GGEN_OFFLINE), or import a downloaded copy: --from FILE.zip or --from DIR.'})
  const buf = await download(source, limits.max_unpacked_bytes)
  return isZip(buf) ? readZip(buf, source, limits) : [{name: source, text: buf.toString('utf8')}]
}
