/**
 * gpack tarballs (.tgz): deterministic packing (sorted entries, portable headers, mtime 0) and
 * safe extraction.
 *
 * Extraction streams gunzip -> node-tar and never holds the unpacked archive in memory. It runs
 * two passes over the (already integrity-checked) compressed bytes:
 *   1. a scan with tar.Parser that writes nothing: every header goes through an EntryGuard (path,
 *      type, links, limits) and every body byte is counted;
 *   2. the extraction with tar.UnpackSync through a fresh EntryGuard, which also masks each mode
 *      (no setuid/setgid/sticky, 0755 / 0644) and never preserves the owner.
 * Then the extracted tree is walked: every symlink must resolve (realpath) inside it, modes and the
 * owner are checked once more, and the limits are re-counted from the disk.
 * Refusals are PacksErrors: E_PATH_TRAVERSAL for entries that try to reach outside the package,
 * E_TARBALL for everything else (limits, devices, FIFOs, broken gzip/tar, what node-tar rejects).
 */
import {chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, type Stats} from 'node:fs'
import {tmpdir} from 'node:os'
import {isAbsolute, join, posix, relative, sep} from 'node:path'
import {PassThrough} from 'node:stream'
import {createGunzip} from 'node:zlib'
import type {Parser, ReadEntry} from 'tar'
import {isPacksError, PacksError} from '../domain/errors.js'
import {DEFAULT_LIMITS, formatBytes, LIMIT_ENV, rawByteCap, type ExtractLimits, type LimitName} from './limits.js'

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

// ---------- errors ----------

const NOTHING = 'nothing was extracted into the store'
const MALICIOUS = 'This package is malformed or malicious. Do not use it; report it to the registry owner.'

const traversal = (what: string, path: string, why: string) =>
  new PacksError('E_PATH_TRAVERSAL', `${what}: tarball entry \`${path}\` ${why}; ${NOTHING}`, {hint: MALICIOUS, details: {package: what, entry: path}})

const unsafe = (what: string, why: string, details: Record<string, unknown> = {}) =>
  new PacksError('E_TARBALL', `${what}: ${why}; ${NOTHING}`, {hint: MALICIOUS, details: {package: what, ...details}})

function overLimit(what: string, name: LimitName, limit: number, observed: string, value: number): PacksError {
  return new PacksError('E_TARBALL', `${what}: the tarball ${observed} (limit ${name} = ${formatBytesOrCount(name, limit)}); ${NOTHING}`, {
    hint: `Raise the limit only for a package you trust: $GGEN_HOME/config.json "limits": {"${name}": ${limit * 2}} or ${LIMIT_ENV[name]}=${limit * 2}. Otherwise do not use it (it may be a decompression bomb).`,
    details: {package: what, limit: name, limit_value: limit, value},
  })
}

const formatBytesOrCount = (name: LimitName, n: number) => (name === 'max_files' ? `${n} entries` : formatBytes(n))

/** node-tar / zlib failures -> PacksError; file-system errors (ENOSPC, EACCES, ...) pass through untouched */
function toPacksError(error: unknown, what: string): unknown {
  if (isPacksError(error)) return error
  const e = error as NodeJS.ErrnoException & {tarCode?: string}
  const code = String(e?.code ?? '')
  const message = String(e?.message ?? error)
  if (code.startsWith('Z_')) return unsafe(what, `the tarball is not valid gzip data (${message})`, {cause: code})
  const pathProblem = code === 'TAR_SYMLINK_ERROR' || /'\.\.'|escape|absolute|symbolic ?link|symlink/i.test(message)
  if (e?.syscall && !pathProblem) return error
  if (pathProblem) {
    return new PacksError('E_PATH_TRAVERSAL', `${what}: tar refused an entry (${message}); ${NOTHING}`, {hint: MALICIOUS, cause: error, details: {package: what}})
  }
  return new PacksError('E_TARBALL', `${what}: the tarball is not a well-formed tar archive (${message}); ${NOTHING}`, {hint: MALICIOUS, cause: error, details: {package: what}})
}

// ---------- entry checks ----------

type Kind = 'dir' | 'file' | 'symlink' | 'hardlink'
const KIND_OF: Record<string, Kind> = {File: 'file', OldFile: 'file', ContiguousFile: 'file', Directory: 'dir', SymbolicLink: 'symlink', Link: 'hardlink'}
const MAX_PATH_BYTES = 1024
const MAX_NAME_BYTES = 255

/** the mode an entry gets: no setuid/setgid/sticky, not group/world-writable; dirs 0755, files 0644 or 0755 */
export function safeMode(type: string, mode: number | undefined): number {
  if (type === 'Directory') return 0o755
  return (mode ?? 0) & 0o111 ? 0o755 : 0o644
}

const isAbsoluteLike = (p: string) => isAbsolute(p) || p.startsWith('\\') || /^[A-Za-z]:/.test(p)
/** node-tar treats `\` as a separator when looking for `..`; so do we */
const segments = (p: string) => p.replace(/\\/g, '/').split('/')
/** names that collide on case-insensitive or normalising file systems are one path */
const keyOf = (rel: string) => rel.normalize('NFC').toLowerCase()
/** `package/a/b` -> `a/b` (node-tar `strip: 1`); the top folder itself -> '' */
const stripTop = (p: string) => {
  const rest = posix.normalize(p.split('/').slice(1).join('/') || '.')
  return rest === '.' ? '' : rest.replace(/\/+$/, '')
}

export interface EntryHeader {
  path: string
  type: string
  size?: number
  mode?: number
  linkpath?: string
}

/**
 * One pass over a tarball's headers: refuses anything that is not a plain file, folder or link
 * inside the package, keeps the tree consistent (no entry twice, nothing below a file or link, hard
 * links only to files seen before) and enforces the limits on entries and declared/actual bytes.
 */
export class EntryGuard {
  private readonly kinds = new Map<string, Kind>()
  private entries = 0
  private declared = 0
  private actual = 0

  constructor(
    private readonly limits: ExtractLimits,
    private readonly what: string,
  ) {}

  /** check a header (throws); masks `mode` in place so the extraction pass writes safe modes */
  accept(e: EntryHeader): true {
    this.countEntry(e)
    const rel = this.relPath(e)
    const kind = KIND_OF[e.type]
    if (!kind) throw unsafe(this.what, `tarball entry \`${e.path}\` is a ${e.type}, which a package may not contain`, {entry: e.path, type: e.type})
    if (rel === '') {
      if (kind !== 'dir') throw traversal(this.what, e.path, 'lies outside the package folder')
      e.mode = safeMode(e.type, e.mode)
      return true
    }
    this.claim(rel, kind, e.path)
    if (kind === 'symlink') this.checkSymlink(rel, e)
    if (kind === 'hardlink') this.checkHardlink(e)
    e.mode = safeMode(e.type, e.mode)
    return true
  }

  /** count an entry's body bytes as they stream (the scan pass) */
  read(entry: ReadEntry): void {
    let own = 0
    entry.on('data', (chunk: Buffer) => {
      own += chunk.length
      this.actual += chunk.length
      if (own > this.limits.max_file_bytes) throw overLimit(this.what, 'max_file_bytes', this.limits.max_file_bytes, `entry \`${entry.path}\` holds more than ${formatBytes(this.limits.max_file_bytes)}`, own)
      if (this.actual > this.limits.max_unpacked_bytes) throw overLimit(this.what, 'max_unpacked_bytes', this.limits.max_unpacked_bytes, `unpacks to more than ${formatBytes(this.limits.max_unpacked_bytes)}`, this.actual)
    })
    entry.resume()
  }

  private countEntry(e: EntryHeader): void {
    const {max_files, max_file_bytes, max_unpacked_bytes} = this.limits
    if (++this.entries > max_files) throw overLimit(this.what, 'max_files', max_files, `holds more than ${max_files} entries`, this.entries)
    const size = e.size ?? 0
    if (size > max_file_bytes) throw overLimit(this.what, 'max_file_bytes', max_file_bytes, `entry \`${e.path}\` declares ${size} bytes`, size)
    this.declared += size
    if (this.declared > max_unpacked_bytes) throw overLimit(this.what, 'max_unpacked_bytes', max_unpacked_bytes, `declares more than ${formatBytes(max_unpacked_bytes)} of content`, this.declared)
  }

  private relPath(e: EntryHeader): string {
    const p = e.path
    if (p.includes('\0')) throw traversal(this.what, p.replace(/\0/g, '\\0'), 'holds a NUL byte')
    if (isAbsoluteLike(p)) throw traversal(this.what, p, 'is an absolute path')
    if (segments(p).includes('..')) throw traversal(this.what, p, 'escapes the package with `..`')
    // `package//etc/x` is `/etc/x` once node-tar strips the top folder
    if (isAbsoluteLike(p.split('/').slice(1).join('/'))) throw traversal(this.what, p, 'is an absolute path below the package folder')
    const rel = stripTop(p)
    if (Buffer.byteLength(rel) > MAX_PATH_BYTES) throw unsafe(this.what, `tarball entry \`${p.slice(0, 80)}…\` has a path longer than ${MAX_PATH_BYTES} bytes`, {entry: p})
    if (rel.split('/').some((s) => Buffer.byteLength(s) > MAX_NAME_BYTES)) throw unsafe(this.what, `tarball entry \`${p.slice(0, 80)}…\` has a name longer than ${MAX_NAME_BYTES} bytes`, {entry: p})
    return rel
  }

  /** record `rel`; its parents must be folders and it may appear only once (folders may repeat) */
  private claim(rel: string, kind: Kind, shown: string): void {
    const parts = rel.split('/')
    for (let i = 1; i < parts.length; i++) {
      const parent = keyOf(parts.slice(0, i).join('/'))
      const k = this.kinds.get(parent)
      if (k && k !== 'dir') throw traversal(this.what, shown, `lies below \`${parts.slice(0, i).join('/')}\`, which is a ${k === 'file' ? 'file' : 'link'}`)
      if (!k) this.kinds.set(parent, 'dir')
    }
    const key = keyOf(rel)
    const prev = this.kinds.get(key)
    if (prev && !(prev === 'dir' && kind === 'dir')) throw traversal(this.what, shown, 'appears twice in the tarball (or collides with a name differing only in case)')
    this.kinds.set(key, kind)
  }

  private checkSymlink(rel: string, e: EntryHeader): void {
    const target = e.linkpath ?? ''
    if (!target || target.includes('\0')) throw unsafe(this.what, `symbolic link \`${e.path}\` has no usable target`, {entry: e.path})
    if (isAbsoluteLike(target)) throw traversal(this.what, e.path, `links to the absolute path ${target}`)
    const resolved = posix.normalize(posix.join(posix.dirname(rel), target))
    if (resolved === '..' || resolved.startsWith('../')) throw traversal(this.what, e.path, `links outside the package (${target})`)
  }

  private checkHardlink(e: EntryHeader): void {
    const target = e.linkpath ?? ''
    if (!target || isAbsoluteLike(target) || segments(target).includes('..')) throw traversal(this.what, e.path, `hard-links outside the package (${target || 'no target'})`)
    const rel = stripTop(target)
    if (!rel || this.kinds.get(keyOf(rel)) !== 'file') throw traversal(this.what, e.path, `hard-links to \`${target}\`, which is not a file earlier in the package`)
  }
}

// ---------- streaming ----------

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b

/**
 * Feed `data` through gunzip (when it is gzipped) into `parser`, counting the decompressed bytes
 * (a gzip bomb stops at the cap, whatever the headers say). Resolves when the parser ends; rejects
 * with the first error, after stopping both streams.
 */
function pump(data: Buffer, parser: Parser, limits: ExtractLimits, what: string): Promise<void> {
  const cap = rawByteCap(limits)
  return new Promise<void>((resolve, reject) => {
    const source = isGzip(data) ? createGunzip() : new PassThrough()
    let settled = false
    let seen = 0
    let head: Buffer | null = Buffer.alloc(0)
    // after the end-of-archive blocks node-tar buffers whatever follows: count it, feed nothing
    let atEof = false
    parser.on('eof', () => (atEof = true))
    const finish = (error?: unknown) => {
      if (settled) return
      settled = true
      if (error === undefined) return resolve()
      source.destroy()
      try {
        parser.abort(error as Error)
      } catch {
        // the parser re-emits the abort as an error; we already have ours
      }
      reject(toPacksError(error, what))
    }
    const guarded = (fn: () => void) => {
      try {
        fn()
      } catch (error) {
        finish(error)
      }
    }
    const write = (chunk: Buffer) =>
      guarded(() => {
        if (!parser.write(chunk)) {
          source.pause()
          parser.once('drain', () => source.resume())
        }
      })
    source.on('data', (chunk: Buffer) => {
      if (settled) return
      seen += chunk.length
      if (seen > cap) return finish(overLimit(what, 'max_unpacked_bytes', limits.max_unpacked_bytes, `decompresses to more than ${formatBytes(cap)}`, seen))
      if (atEof) return
      if (head) {
        head = Buffer.concat([head, chunk])
        if (head.length < 2) return
        chunk = head
        head = null
        // node-tar would gunzip a second time, outside our count (zstd sniffing is off)
        if (isGzip(chunk)) return finish(unsafe(what, 'the tarball is compressed twice'))
      }
      write(chunk)
    })
    source.on('end', () => {
      if (head?.length) write(head)
      guarded(() => parser.end())
    })
    source.on('error', finish)
    parser.on('error', finish)
    parser.on('warn', (code: string, message: string) => finish(Object.assign(new Error(`${code}: ${message}`), {tarCode: code})))
    parser.on('ignoredEntry', (e: ReadEntry) => finish(unsafe(what, `tarball entry \`${e.path}\` (${e.type}) ${e.meta ? 'is an extended header over 1 MiB' : 'has a type a package may not contain'}`, {entry: e.path, type: e.type})))
    parser.on('end', () => finish())
    source.end(data)
  })
}

// ---------- the extracted tree ----------

/**
 * Walk what was extracted without following links: every symlink must resolve inside `root`,
 * only files, folders and links may exist, owned by us, with safe modes; re-count the limits.
 * Returns the regular files (as listPackFiles counts them) and their bytes.
 */
function inspectTree(root: string, limits: ExtractLimits, what: string): {size: number; files: number} {
  const realRoot = realpathSync.native(root)
  const uid = process.getuid?.()
  const seen = {entries: 0, bytes: 0}
  const listed = {size: 0, files: 0}
  const check = (path: string, st: Stats, listable: boolean): void => {
    const rel = relative(root, path) || '.'
    if (++seen.entries > limits.max_files + 1) throw overLimit(what, 'max_files', limits.max_files, `holds more than ${limits.max_files} entries`, seen.entries)
    if (st.isSymbolicLink()) return checkLinkInside(path, realRoot, rel, what)
    if (!st.isDirectory() && !st.isFile()) throw unsafe(what, `\`${rel}\` was extracted as a special file`, {entry: rel})
    if (uid !== undefined && st.uid !== uid) throw unsafe(what, `\`${rel}\` is owned by uid ${st.uid}, not ${uid}`, {entry: rel})
    const want = safeMode(st.isDirectory() ? 'Directory' : 'File', st.mode)
    if ((st.mode & 0o7777) !== want) chmodSync(path, want)
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) check(join(path, name), lstatSync(join(path, name)), listable && !SKIP.has(name))
      return
    }
    seen.bytes += st.size
    if (seen.bytes > limits.max_unpacked_bytes) throw overLimit(what, 'max_unpacked_bytes', limits.max_unpacked_bytes, `unpacks to more than ${formatBytes(limits.max_unpacked_bytes)}`, seen.bytes)
    if (listable) {
      listed.files++
      listed.size += st.size
    }
  }
  check(root, lstatSync(root), true)
  return listed
}

function checkLinkInside(link: string, realRoot: string, rel: string, what: string): void {
  let target: string
  try {
    // the kernel's realpath: it follows `l/..` through the link, as opening the path would
    target = realpathSync.native(link)
  } catch (error) {
    throw traversal(what, rel, `is a link that does not resolve inside the package (${(error as NodeJS.ErrnoException).code})`)
  }
  if (target !== realRoot && !target.startsWith(realRoot + sep)) throw traversal(what, rel, `links outside the package (to ${target})`)
}

/**
 * Extract a package tarball into `dest` (created; the caller removes it on failure). The top
 * folder of each entry (`package/`) is stripped. Returns the regular files and their bytes.
 */
export async function extractTarball(data: Buffer, dest: string, what: string, limits: ExtractLimits = DEFAULT_LIMITS): Promise<{size: number; files: number}> {
  const tar = await import('tar')
  const scan = new EntryGuard(limits, what)
  await pump(data, new tar.Parser({strict: true, zstd: false, filter: (_p, e) => scan.accept(e as ReadEntry), onReadEntry: (e) => scan.read(e)}), limits, what)
  mkdirSync(dest, {recursive: true})
  const guard = new EntryGuard(limits, what)
  const unpack = new tar.UnpackSync({cwd: dest, strip: 1, strict: true, zstd: false, preserveOwner: false, filter: (_p, e) => guard.accept(e as ReadEntry)})
  await pump(data, unpack, limits, what)
  return inspectTree(dest, limits, what)
}
