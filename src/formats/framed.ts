/**
 * One framed cache file: a header line `<format> <crc32 hex> <byte count>` and the body (UTF-8).
 * The kept list rows (src/core/list-view.ts) and the kept scan findings (src/core/scan-keep.ts)
 * use it. A file that is missing, of another format, cut short, extended or damaged reads as
 * absent: a cache costs a recomputation, never a wrong answer. The checksum catches accidents,
 * not an attacker (docs/security.md).
 */
import {readFileSync} from 'node:fs'
import {crc32} from 'node:zlib'

export function frame(format: string, body: string): Buffer {
  const data = Buffer.from(body, 'utf8')
  return Buffer.concat([Buffer.from(`${format} ${crc32(data).toString(16)} ${data.length}\n`), data])
}

/** the body of a framed file of this format, or null */
export function readFramed(file: string, format: string): string | null {
  let buf: Buffer
  try {
    buf = readFileSync(file)
  } catch {
    return null
  }
  const nl = buf.indexOf(10)
  if (nl < 0 || nl > 200) return null
  const [f, crc, bytes] = buf.subarray(0, nl).toString('latin1').split(' ')
  const data = buf.subarray(nl + 1)
  if (f !== format || Number(bytes) !== data.length || crc32(data).toString(16) !== crc) return null
  return data.toString('utf8')
}
