/**
 * Update the advisory database (`security-scan --vulnerability-db-update`). It takes the
 * advisories lock, reads and validates the whole source first and writes only when that worked:
 * a broken download, a refused zip or a source with no valid record leaves the old database as it
 * was. A record failing validation is skipped with a warning naming its file and the field (a JSON
 * pointer); the others load. db.json is written atomically (temporary file beside, renamed), then
 * meta.json.
 */
import {PacksError} from '../domain/errors.js'
import {writeJsonAtomic} from '../formats/fs.js'
import {withLock} from '../formats/lock.js'
import type {ExtractLimits} from '../store/limits.js'
import type {HomePaths} from '../workspace/home.js'
import {DB_FORMAT, dbFile, lockFile, metaFile, type AdvisoryMeta, type DbFile, type ImportResult, type SkippedRecord} from './db.js'
import {buildVulnerabilities, normalizeRecord, type NormalRecord} from './normalize.js'
import {checkRecord} from './osv.js'
import {readSource, type SourceFile} from './source.js'

/** the JSON values of one source file: a record, or an array of records */
function recordsIn(f: SourceFile, skipped: SkippedRecord[]): unknown[] {
  let raw: unknown
  try {
    raw = JSON.parse(f.text)
  } catch (e) {
    skipped.push({file: f.name, field: '/', message: `not JSON (${(e as Error).message})`})
    return []
  }
  return Array.isArray(raw) ? raw : [raw]
}

/** validate and normalize every record of the source; problems go to `skipped` */
export function parseRecords(files: SourceFile[], ecosystem: string): {records: NormalRecord[]; skipped: SkippedRecord[]; seen: number} {
  const skipped: SkippedRecord[] = []
  const records: NormalRecord[] = []
  let seen = 0
  for (const f of files) {
    const values = recordsIn(f, skipped)
    values.forEach((v, i) => {
      seen++
      const c = checkRecord(v)
      if (c.ok) records.push(normalizeRecord(c.record, ecosystem))
      else skipped.push({file: f.name, field: values.length > 1 || Array.isArray(v) ? `/${i}${c.field === '/' ? '' : c.field}` : c.field, message: c.message})
    })
  }
  return {records, skipped, seen}
}

export interface ImportOptions {
  source: string
  ecosystem: string
  limits: ExtractLimits
  offline: boolean
  warn: (message: string) => void
  progress?: (text: string) => void
}

/** import a source into the database (atomic; the old database stays when anything fails) */
export async function importAdvisories(paths: HomePaths, o: ImportOptions): Promise<ImportResult> {
  return withLock(lockFile(paths), async () => {
    o.progress?.(`Reading advisories from ${o.source}`)
    const files = await readSource(o.source, o.limits, {offline: o.offline})
    o.progress?.(`Validating ${files.length} advisory files`)
    const {records, skipped, seen} = parseRecords(files, o.ecosystem)
    for (const s of skipped) o.warn(`skipped advisory record ${s.file}: field ${s.field}: ${s.message}`)
    if (records.length === 0) {
      throw new PacksError(seen === 0 ? 'E_NOT_FOUND' : 'E_SCHEMA', seen === 0 ? `${o.source} holds no OSV record (no .json file)` : `${o.source}: none of its ${seen} records is a valid OSV record`, {
        file: o.source,
        hint: 'Nothing was imported; the old advisory database is kept. Point --from at a folder, zip or URL of OSV JSON records.',
      })
    }
    const built = buildVulnerabilities(records)
    const meta: AdvisoryMeta = {
      source: o.source,
      updated_at: new Date().toISOString(),
      records: built.records,
      skipped: skipped.length,
      vulnerabilities: built.vulnerabilities.length,
      ecosystem: o.ecosystem,
      ...built.stats,
    }
    writeJsonAtomic(dbFile(paths), {format: DB_FORMAT, meta, vulnerabilities: built.vulnerabilities} satisfies DbFile)
    writeJsonAtomic(metaFile(paths), meta)
    return {...meta, path: paths.advisories, skipped_records: skipped}
  })
}

