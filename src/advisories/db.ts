/**
 * The advisory database under $GGEN_HOME/advisories/:
 *   - `db.json`: the normalized vulnerabilities of our ecosystem (src/advisories/normalize.ts)
 *     with their metadata, one file, written atomically (temporary file beside, renamed);
 *   - `meta.json`: the same metadata on its own ({source, updated_at, records, skipped, ...}),
 *     written after db.json (db.json's copy is the one the scan believes).
 * Updates: src/advisories/import.ts. This module only reads (no zod, no zip library: every
 * snapshot rebuild reads the database).
 */
import {join} from 'node:path'
import {PacksError} from '../domain/errors.js'
import {fileStamp, readTextOrNull} from '../formats/fs.js'
import type {HomePaths} from '../workspace/home.js'
import {isAffected} from './match.js'
import type {BuildStats, Vulnerability} from './normalize.js'

export const DB_FORMAT = 'ggen-packs-advisories/1'
export const DEFAULT_ECOSYSTEM = 'ggen'
export const DEFAULT_MAX_AGE_DAYS = 7

export interface AdvisoryMeta extends BuildStats {
  /** where the records came from (folder, zip or URL, as given) */
  source: string
  updated_at: string
  /** records kept: valid, not withdrawn, one per id, naming a package of `ecosystem` */
  records: number
  /** records that failed validation (each warned about) */
  skipped: number
  /** vulnerabilities after alias merging */
  vulnerabilities: number
  ecosystem: string
}

export interface DbFile {
  format: typeof DB_FORMAT
  meta: AdvisoryMeta
  vulnerabilities: Vulnerability[]
}

export interface SkippedRecord {
  file: string
  /** JSON pointer of the offending field */
  field: string
  message: string
}

export interface ImportResult extends AdvisoryMeta {
  path: string
  skipped_records: SkippedRecord[]
}

export const dbFile = (paths: HomePaths): string => join(paths.advisories, 'db.json')
export const metaFile = (paths: HomePaths): string => join(paths.advisories, 'meta.json')
export const lockFile = (paths: HomePaths): string => join(paths.advisories, '.update.lck')

/** the loaded database, indexed by package */
export class AdvisoryDb {
  private readonly byPackage = new Map<string, Vulnerability[]>()
  private readonly byId = new Map<string, Vulnerability>()

  constructor(
    readonly meta: AdvisoryMeta,
    readonly vulnerabilities: Vulnerability[],
  ) {
    for (const v of vulnerabilities) {
      this.byId.set(v.id, v)
      for (const p of new Set(v.affected.map((a) => a.package))) this.byPackage.set(p, [...(this.byPackage.get(p) ?? []), v])
    }
  }

  /** vulnerabilities affecting `id@version`, by id */
  affecting(id: string, version: string): Vulnerability[] {
    return (this.byPackage.get(id) ?? []).filter((v) => v.affected.some((a) => a.package === id && isAffected(version, a)))
  }

  /** a vulnerability by its primary id or any alias */
  get(id: string): Vulnerability | undefined {
    return this.byId.get(id) ?? this.vulnerabilities.find((v) => v.aliases.includes(id))
  }

  packages(): string[] {
    return [...this.byPackage.keys()]
  }
}

/** the database, or null when none was imported yet; a damaged file is E_PARSE naming it */
export function readAdvisoryDb(paths: HomePaths): AdvisoryDb | null {
  const file = dbFile(paths)
  const text = readTextOrNull(file)
  if (text === null) return null
  let raw: DbFile
  try {
    raw = JSON.parse(text) as DbFile
  } catch (e) {
    throw new PacksError('E_PARSE', `${file}: not JSON (${(e as Error).message})`, {file, hint: 'Import the advisories again: ggen packs security-scan --vulnerability-db-update'})
  }
  if (raw?.format !== DB_FORMAT || !Array.isArray(raw.vulnerabilities) || !raw.meta) {
    throw new PacksError('E_SCHEMA', `${file}: not an advisory database of this version (format ${String(raw?.format)})`, {file, field: 'format', hint: 'Import the advisories again: ggen packs security-scan --vulnerability-db-update'})
  }
  return new AdvisoryDb(raw.meta, raw.vulnerabilities)
}

/** the stamp of db.json (mtime, ctime, size, inode): what the snapshot cache keys on */
export const advisoryDbStamp = (paths: HomePaths): string => fileStamp(dbFile(paths))

/** age of the database in days (fractional) at `now` */
export const ageDays = (meta: Pick<AdvisoryMeta, 'updated_at'>, now = Date.now()): number => Math.max(0, (now - Date.parse(meta.updated_at)) / 86_400_000)
