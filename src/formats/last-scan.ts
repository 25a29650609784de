/**
 * The last security scan, `$GGEN_HOME/advisories/last-scan.json` (a ScanResult, src/domain/scan.ts),
 * read for what other views show of it: which versions have findings. A missing file means no scan
 * yet (nothing is known vulnerable); a broken one is E_PARSE / E_SCHEMA naming the file and field.
 */
import {join} from 'node:path'
import {readTextOrNull} from './fs.js'
import {checkShape, parseJsonText, shapeError} from './parse.js'

export const LAST_SCAN_FILE = 'last-scan.json'
const HINT = 'This file is written by `ggen packs security scan`; run the scan again to rewrite it, or remove the file.'

/** `id@version` of every version the last scan found vulnerable (empty when there was no scan) */
export function vulnerableVersions(advisoriesDir: string): Set<string> {
  const file = join(advisoriesDir, LAST_SCAN_FILE)
  const text = readTextOrNull(file)
  if (text === null) return new Set()
  const scan = checkShape(parseJsonText(text, file), {}, file, '', HINT)
  if (!Array.isArray(scan.findings)) throw shapeError(file, 'findings', 'an array', scan.findings, HINT)
  return new Set(
    scan.findings.map((f: unknown, i) => {
      const finding = checkShape(f, {package: 'string', version: 'string'}, file, `findings[${i}]`, HINT)
      return `${finding.package as string}@${finding.version as string}`
    }),
  )
}
