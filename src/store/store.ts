/**
 * The content-addressed store: $GGEN_HOME/store/v1/<algo>-<hex>/ holds one extracted copy of a
 * package version per integrity, shared by every project. `index.json` beside the entries
 * records what each entry is (id, version, size, metadata) so list/stats never walk the store.
 * Writers hold the store lock; entries are extracted to a temp dir and renamed into place.
 */
import {existsSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {readTextOrNull, writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import {checkFormat, checkShape, parseJsonText, shapeError, subField, type ShapeSpec} from '../formats/parse.js'
import type {HomePaths} from '../workspace/home.js'
import {checkIntegrity, computeIntegrity, integrityDirName, parseIntegrity} from './integrity.js'
import {extractTarball, listPackFiles} from './tarball.js'
import {readFileSync} from 'node:fs'
import {createHash} from 'node:crypto'

export interface StoreEntry {
  integrity: string
  id: string
  version: string
  name?: string
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
  constructor(readonly paths: HomePaths) {}

  /**
   * The store index; a missing file is an empty store. One that is not {format, entries:
   * {<integrity>: entry}} is E_PARSE / E_SCHEMA naming the field: never read as empty (gc and
   * list would lose entries) and never overwritten (every writer reads it first).
   */
  readIndex(): StoreIndex {
    const file = this.paths.storeIndex
    const text = readTextOrNull(file)
    if (text === null) return {format: 'ggen-packs-store/1', entries: {}}
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
    if (!parseIntegrity(integrity)) return false
    return existsSync(join(this.entryDir(integrity), '.ggen-store.json'))
  }

  /**
   * Verify `data` against `integrity`, extract it into the store (once per integrity) and record
   * it in the index. Idempotent: an entry already present is only re-registered.
   */
  async add(data: Buffer, integrity: string, meta: Omit<StoreEntry, 'integrity' | 'size' | 'files' | 'added_at' | 'dir'>): Promise<StoreEntry> {
    checkIntegrity(data, integrity, `${meta.id}@${meta.version}`)
    const dirName = integrityDirName(integrity)
    const final = join(this.paths.store, dirName)
    let size = 0
    let files = 0
    if (!existsSync(join(final, '.ggen-store.json'))) {
      const tmp = join(this.paths.store, `.tmp-${dirName.slice(0, 24)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)
      try {
        ;({size, files} = await extractTarball(data, tmp, `${meta.id}@${meta.version}`))
        writeJsonAtomic(join(tmp, '.ggen-store.json'), {integrity, id: meta.id, version: meta.version, size, files, digest: treeDigest(tmp)})
        await withLock(this.paths.storeLock, () => {
          if (existsSync(join(final, '.ggen-store.json'))) return
          rmSync(final, {recursive: true, force: true})
          renameSync(tmp, final)
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

  /** remove entries whose integrity is not in `keep`; returns what was (or would be) removed */
  async gc(keep: Set<string>, dryRun: boolean): Promise<{removed: StoreEntry[]; freed: number}> {
    return withLock(this.paths.storeLock, () => {
      const idx = this.readIndex()
      const keepDirs = new Set([...keep].filter((i) => parseIntegrity(i)).map((i) => integrityDirName(i)))
      const removed: StoreEntry[] = []
      let freed = 0
      for (const [integrity, e] of Object.entries(idx.entries)) {
        if (keepDirs.has(e.dir)) continue
        removed.push(e)
        freed += e.size
        if (!dryRun) delete idx.entries[integrity]
      }
      const indexed = new Set(Object.values(idx.entries).map((e) => e.dir))
      if (!dryRun) {
        this.writeIndex(idx)
        for (const d of this.listDirs()) if (!indexed.has(d) && !keepDirs.has(d)) rmSync(join(this.paths.store, d), {recursive: true, force: true})
      }
      return {removed: removed.sort((a, b) => a.id.localeCompare(b.id) || a.version.localeCompare(b.version)), freed}
    })
  }
}

/** digest of an extracted tree, recorded at add so verify can detect edits */
export function treeDigest(dir: string): string {
  const h = createHash('sha256')
  for (const f of listPackFiles(dir).filter((f) => f !== '.ggen-store.json')) h.update(f).update('\0').update(readFileSync(join(dir, f)))
  return h.digest('hex')
}

export {computeIntegrity}
