/**
 * The content-addressed store: $GGEN_HOME/store/v1/<algo>-<hex>/ holds one extracted copy of a
 * package version per integrity, shared by every project. `index.json` beside the entries
 * records what each entry is (id, version, size, metadata) so list/stats never walk the store.
 * Writers hold the store lock; entries are extracted to a temp dir and renamed into place.
 */
import {existsSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {checkFormat, checkShape, parseJsonText, shapeError, subField, type ShapeSpec} from '../formats/parse.js'
import type {HomePaths} from '../workspace/home.js'
import {checkIntegrity, computeIntegrity, integrityDirName, isValidIntegrity} from './integrity.js'
import {DEFAULT_LIMITS, type ExtractLimits} from './limits.js'
import {extractTarball, listPackFiles} from './tarball.js'
import {readFileSync} from 'node:fs'
import {createHash} from 'node:crypto'

export interface StoreEntry {
  integrity: string
  id: string
  version: string
  name?: string
  description?: string
  author?: string
  license?: string
  quality_score?: number
  production_ready?: boolean
  deprecated?: string | null
  yanked?: boolean
  size: number
  files: number
  added_at: string
  /** directory name under store/v1 */
  dir: string
}

export interface StoreIndex {
  format: 'ggen-packs-store/1'
  entries: Record<string, StoreEntry>
}

const STORE_ENTRY_SHAPE: ShapeSpec = {
  integrity: 'string',
  id: 'string',
  version: 'string',
  size: 'number',
  files: 'number',
  added_at: 'string',
  dir: 'string',
  name: 'string?',
  author: 'string?',
  license: 'string?',
  quality_score: 'number?',
  production_ready: 'boolean?',
  deprecated: 'string|null?',
  yanked: 'boolean?',
}

export class Store {
  /** `limits` bound what `add` extracts (src/store/limits.ts; defaults when not given) */
  constructor(
    readonly paths: HomePaths,
    private readonly limits: ExtractLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * The store index; a missing file is an empty store. One that is not {format, entries:
   * {<integrity>: entry}} is E_PARSE / E_SCHEMA naming the field: never read as empty (gc and
   * list would lose entries) and never overwritten (every writer reads it first).
   */
  /**
   * The index, every entry checked. `alreadyChecked`: the caller knows this very file (its size,
   * mtime and inode) passed the checks before (the snapshot cache records that stamp), and only
   * the format line is checked again.
   */
  readIndex(o: {alreadyChecked?: boolean} = {}): StoreIndex {
    const file = this.paths.storeIndex
    const text = readTextOrNull(file)
    if (text === null) return {format: 'ggen-packs-store/1', entries: {}}
    if (o.alreadyChecked) {
      const raw = parseJsonText(text, file) as Partial<StoreIndex> | null
      if (raw?.format === 'ggen-packs-store/1' && raw.entries && typeof raw.entries === 'object') return raw as StoreIndex
    }
    const hint = `${file} records what each store entry is; it was left as it is. Restore it from a backup, or move it away: entries still on disk are recorded again as projects use them.`
    const raw = checkShape(parseJsonText(text, file), {format: 'string', entries: 'object'}, file, '', hint)
    checkFormat(raw, 'ggen-packs-store/1', file, hint)
    for (const [integrity, e] of Object.entries(raw.entries as Record<string, unknown>)) {
      const field = subField('entries', integrity)
      const entry = checkShape(e, STORE_ENTRY_SHAPE, file, field, hint)
      if (entry.integrity !== integrity) throw shapeError(file, subField(field, 'integrity'), `the entry's key (${integrity})`, entry.integrity, hint)
      if (!/^[A-Za-z0-9._-]+$/.test(entry.dir as string)) throw shapeError(file, subField(field, 'dir'), 'a folder name inside the store', entry.dir, hint)
    }
    return raw as unknown as StoreIndex
  }

  private writeIndex(idx: StoreIndex): void {
    writeJsonAtomic(this.paths.storeIndex, idx)
  }

  entryDir(integrity: string): string {
    return join(this.paths.store, integrityDirName(integrity))
  }

  has(integrity: string): boolean {
    if (!isValidIntegrity(integrity)) return false
    return existsSync(join(this.entryDir(integrity), '.ggen-store.json'))
  }

  private get pinDir(): string {
    return join(this.paths.store, '.pins')
  }

  /**
   * Pin integrities for an in-flight transaction: `gc` keeps every entry a live pin names, so an
   * install that found (or fetched) an entry cannot lose it before its lockfile is written. Taken
   * under the store lock, which gc holds for its whole run: a pin is either seen by gc, or taken
   * after gc finished (and the install then sees what gc removed).
   */
  async pin(integrities: Iterable<string>): Promise<StorePin> {
    const pin = new StorePin(join(this.pinDir, `${process.pid}-${Math.random().toString(36).slice(2, 10)}.json`))
    await pin.add(this.paths.storeLock, integrities)
    return pin
  }

  /** integrities named by pins of live processes; removes the pins of dead ones */
  private livePins(): Set<string> {
    const out = new Set<string>()
    let names: string[] = []
    try {
      names = readdirSync(this.pinDir).filter((n) => n.endsWith('.json'))
    } catch {
      return out
    }
    for (const n of names) {
      const file = join(this.pinDir, n)
      let pin: PinFile | null = null
      try {
        pin = JSON.parse(readFileSync(file, 'utf8')) as PinFile
      } catch {
        pin = null
      }
      if (!pin || !Array.isArray(pin.integrities)) continue // torn: its writer is mid-write under the lock we hold, or died; kept on disk, ignored
      if (!processAlive(pin.pid, pin.host)) {
        rmSync(file, {force: true})
        continue
      }
      for (const i of pin.integrities) out.add(i)
    }
    return out
  }

  /**
   * Verify `data` against `integrity`, extract it into the store (once per integrity) and record
   * it in the index. Idempotent: an entry already present is only re-registered.
   */
  async add(data: Buffer, integrity: string, meta: Omit<StoreEntry, 'integrity' | 'size' | 'files' | 'added_at' | 'dir'>, opts: {replace?: boolean} = {}): Promise<StoreEntry> {
    checkIntegrity(data, integrity, `${meta.id}@${meta.version}`)
    const dirName = integrityDirName(integrity)
    const final = join(this.paths.store, dirName)
    let size = 0
    let files = 0
    if (opts.replace || !existsSync(join(final, '.ggen-store.json'))) {
      const tmp = join(this.paths.store, `.tmp-${dirName.slice(0, 24)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)
      try {
        ;({size, files} = await extractTarball(data, tmp, `${meta.id}@${meta.version}`, this.limits))
        writeJsonAtomic(join(tmp, '.ggen-store.json'), {integrity, id: meta.id, version: meta.version, size, files, digest: treeDigest(tmp)})
        await withLock(this.paths.storeLock, () => {
          if (!opts.replace && existsSync(join(final, '.ggen-store.json'))) return
          // a damaged entry being repaired is moved aside first, so the rename below is atomic
          const old = `${tmp}-old`
          if (existsSync(final)) renameSync(final, old)
          renameSync(tmp, final)
          rmSync(old, {recursive: true, force: true})
        })
      } finally {
        rmSync(tmp, {recursive: true, force: true})
      }
    }
    return withLock(this.paths.storeLock, () => {
      const idx = this.readIndex()
      const prev = idx.entries[integrity]
      const marker = JSON.parse(readFileSync(join(final, '.ggen-store.json'), 'utf8')) as {size: number; files: number}
      const entry: StoreEntry = {
        ...prev,
        ...meta,
        integrity,
        size: marker.size ?? size,
        files: marker.files ?? files,
        added_at: prev?.added_at ?? new Date().toISOString(),
        dir: dirName,
      }
      idx.entries[integrity] = entry
      this.writeIndex(idx)
      return entry
    })
  }

  /**
   * Record an entry that is on disk but missing from the index (a crash between extraction and
   * the index write leaves exactly that).
   */
  async adopt(integrity: string, meta: Omit<StoreEntry, 'integrity' | 'size' | 'files' | 'added_at' | 'dir'>): Promise<StoreEntry> {
    const dirName = integrityDirName(integrity)
    return withLock(this.paths.storeLock, () => {
      const idx = this.readIndex()
      const prev = idx.entries[integrity]
      if (prev) return prev
      const marker = JSON.parse(readFileSync(join(this.paths.store, dirName, '.ggen-store.json'), 'utf8')) as {size: number; files: number}
      const entry: StoreEntry = {...meta, integrity, size: marker.size, files: marker.files, added_at: new Date().toISOString(), dir: dirName}
      idx.entries[integrity] = entry
      this.writeIndex(idx)
      return entry
    })
  }

  /**
   * Re-hash an entry's files against what was recorded when it was added. Returns problems
   * (missing dir, missing/changed files); empty when intact.
   */
  verifyEntry(integrity: string): string[] {
    const dir = this.entryDir(integrity)
    const markerText = readTextOrNull(join(dir, '.ggen-store.json'))
    if (markerText === null) return [`store entry for ${integrity} is missing (${dir})`]
    const marker = JSON.parse(markerText) as {files?: number; size?: number; digest?: string}
    const files = listPackFiles(dir).filter((f) => f !== '.ggen-store.json')
    const problems: string[] = []
    if (marker.files !== undefined && files.length !== marker.files) problems.push(`store entry ${dir}: ${marker.files} files recorded, ${files.length} found`)
    let size = 0
    for (const f of files) size += statSync(join(dir, f)).size
    if (marker.size !== undefined && size !== marker.size) problems.push(`store entry ${dir}: ${marker.size} bytes recorded, ${size} found (files changed)`)
    if (marker.digest) {
      const h = createHash('sha256')
      for (const f of files) h.update(f).update('\0').update(readFileSync(join(dir, f)))
      if (h.digest('hex') !== marker.digest) problems.push(`store entry ${dir}: content changed since it was added`)
    }
    return problems
  }

  /** entries on disk (directory names) — includes ones missing from the index */
  listDirs(): string[] {
    try {
      return readdirSync(this.paths.store, {withFileTypes: true})
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
    } catch {
      return []
    }
  }

  /**
   * Remove entries that neither `keep()` (computed under the store lock: the lockfiles of every
   * known project) nor a live pin names, and temp folders of dead extractions. Holds the store
   * lock throughout, so no install can pin or add an entry halfway through.
   */
  async gc(keep: () => Set<string>, dryRun: boolean): Promise<{removed: StoreEntry[]; freed: number; stale: string[]}> {
    return withLock(this.paths.storeLock, () => {
      const idx = this.readIndex()
      const pinned = this.livePins()
      const {entries: removed, bytes: freed, keepDirs} = unusedEntries(idx, [...keep(), ...pinned])
      if (!dryRun) for (const e of removed) delete idx.entries[e.integrity]
      const indexed = new Set(Object.values(idx.entries).map((e) => e.dir))
      const stale = this.staleTemps()
      if (!dryRun) {
        this.writeIndex(idx)
        for (const d of this.listDirs()) if (!indexed.has(d) && !keepDirs.has(d)) rmSync(join(this.paths.store, d), {recursive: true, force: true})
        for (const t of stale) rmSync(join(this.paths.store, t), {recursive: true, force: true})
      }
      return {removed, freed, stale}
    })
  }

  /** `.tmp-<name>-<pid>-<rand>` folders left by extractions whose process is gone */
  private staleTemps(): string[] {
    let names: string[] = []
    try {
      names = readdirSync(this.paths.store).filter((n) => n.startsWith('.tmp-'))
    } catch {
      return []
    }
    return names.filter((n) => {
      const m = /-(\d+)-[a-z0-9]+(?:-old)?$/.exec(n)
      return !m || !processAlive(Number(m[1]), hostname())
    })
  }
}

/**
 * The index entries no integrity in `keep` names (gc's selection, pure: `stats` shows the same
 * candidates without collecting), sorted by id then version, with their bytes.
 */
export function unusedEntries(idx: StoreIndex, keep: Iterable<string>): {entries: StoreEntry[]; bytes: number; keepDirs: Set<string>} {
  const keepDirs = new Set([...keep].filter((i) => isValidIntegrity(i)).map((i) => integrityDirName(i)))
  const entries = Object.values(idx.entries)
    .filter((e) => !keepDirs.has(e.dir))
    .sort((a, b) => a.id.localeCompare(b.id) || a.version.localeCompare(b.version))
  return {entries, bytes: entries.reduce((n, e) => n + e.size, 0), keepDirs}
}

interface PinFile {
  pid: number
  host: string
  started: string
  integrities: string[]
}

/** is the process that wrote a pin or temp folder still running? (another host: assume so) */
function processAlive(pid: number, host: string): boolean {
  if (host !== hostname()) return true
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/** an in-flight transaction's pin on store entries (see Store.pin); release when committed */
export class StorePin {
  private readonly integrities = new Set<string>()
  private released = false
  constructor(readonly file: string) {}

  async add(storeLock: string, integrities: Iterable<string>): Promise<void> {
    const before = this.integrities.size
    for (const i of integrities) if (isValidIntegrity(i)) this.integrities.add(i)
    if (this.integrities.size === before && before > 0) return
    await withLock(storeLock, () => {
      const pin: PinFile = {pid: process.pid, host: hostname(), started: new Date().toISOString(), integrities: [...this.integrities].sort()}
      writeJsonAtomic(this.file, pin)
    })
  }

  release(): void {
    if (this.released) return
    this.released = true
    rmSync(this.file, {force: true})
  }
}

/** digest of an extracted tree, recorded at add so verify can detect edits */
export function treeDigest(dir: string): string {
  const h = createHash('sha256')
  for (const f of listPackFiles(dir).filter((f) => f !== '.ggen-store.json')) h.update(f).update('\0').update(readFileSync(join(dir, f)))
  return h.digest('hex')
}

export {computeIntegrity}
