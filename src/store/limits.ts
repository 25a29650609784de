/**
 * Extraction limits for package tarballs. Template packs are small (the 77 marketplace packs are
 * all under 1 MiB unpacked), so the defaults leave two orders of magnitude of headroom while
 * keeping a hostile tarball from filling the disk or the memory of the machine:
 *   - max_unpacked_bytes 256 MiB: the sum of every entry's bytes, and (plus header overhead) the
 *     cap on gunzipped bytes, so padding after the end of the archive counts too;
 *   - max_files 10,000 entries (files, folders and links alike);
 *   - max_file_bytes 64 MiB for any one entry.
 * Users raise them in $GGEN_HOME/config.json `limits` or with the environment variables below
 * (read by src/workspace/limits.ts; this module never reads the environment).
 */
export interface ExtractLimits {
  max_unpacked_bytes: number
  max_files: number
  max_file_bytes: number
}

export type LimitName = keyof ExtractLimits

export const DEFAULT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  max_unpacked_bytes: 256 * 1024 * 1024,
  max_files: 10_000,
  max_file_bytes: 64 * 1024 * 1024,
})

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[]

export const LIMIT_ENV: Readonly<Record<LimitName, string>> = Object.freeze({
  max_unpacked_bytes: 'GGEN_MAX_UNPACKED_BYTES',
  max_files: 'GGEN_MAX_FILES',
  max_file_bytes: 'GGEN_MAX_FILE_BYTES',
})

/** tar framing per entry: a 512-byte header, up to 511 bytes of padding and a pax header for long names */
const HEADER_BUDGET = 3 * 1024

/** the most gunzipped bytes a tarball within `limits` can need (content + framing + 1 MiB of trailer) */
export const rawByteCap = (l: ExtractLimits): number => l.max_unpacked_bytes + (l.max_files + 1) * HEADER_BUDGET + 1024 * 1024

export function formatBytes(n: number): string {
  const MiB = 1024 * 1024
  if (n >= MiB) return `${n % MiB === 0 ? n / MiB : (n / MiB).toFixed(1)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}
