/**
 * Hand-made tar archives for the security tests: raw ustar headers written byte by byte, so a
 * test can say anything a hostile archive can (absolute names, `..`, links anywhere, devices,
 * setuid modes, foreign owners, sizes that lie, broken checksums), plus pax records and gzip
 * bombs. Nothing here uses the code under test.
 */
import {createHash} from 'node:crypto'
import {gzipSync} from 'node:zlib'

export interface RawEntry {
  name: string
  /** ustar typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' dir, '6' FIFO, 'x' pax */
  type?: string
  body?: Buffer | string
  mode?: number
  uid?: number
  gid?: number
  linkname?: string
  /** declared size, when it should differ from the body (a lying header) */
  size?: number
  /** declared size in base-256 (for sizes beyond 11 octal digits) */
  size256?: bigint
  badChecksum?: boolean
}

const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0'

export function header(e: RawEntry): Buffer {
  const h = Buffer.alloc(512)
  const body = Buffer.from(e.body ?? '')
  h.write(e.name, 0, 100, 'utf8')
  h.write(octal(e.mode ?? (e.type === '5' ? 0o755 : 0o644), 8), 100)
  h.write(octal(e.uid ?? 0, 8), 108)
  h.write(octal(e.gid ?? 0, 8), 116)
  if (e.size256 !== undefined) {
    h[124] = 0x80
    let v = e.size256
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn)
      v >>= 8n
    }
  } else h.write(octal(e.size ?? body.length, 12), 124)
  h.write(octal(0, 12), 136)
  h.write(' '.repeat(8), 148)
  h.write(e.type ?? '0', 156)
  h.write(e.linkname ?? '', 157, 100, 'utf8')
  h.write('ustar\0', 257)
  h.write('00', 263)
  h.write('root', 265)
  h.write('root', 297)
  let sum = 0
  for (const b of h) sum += b
  h.write(octal(e.badChecksum ? sum + 1 : sum, 7) + ' ', 148)
  return h
}

/** header plus the body padded to 512-byte blocks */
export function entry(e: RawEntry): Buffer {
  const body = Buffer.from(e.body ?? '')
  return Buffer.concat([header(e), body, Buffer.alloc((512 - (body.length % 512)) % 512)])
}

/** a pax extended header ('x') whose records apply to the next entry */
export function pax(fields: Record<string, string>, name = 'PaxHeader'): Buffer {
  const records = Object.entries(fields).map(([k, v]) => {
    const rest = ` ${k}=${v}\n`
    let len = Buffer.byteLength(rest) + 1
    while (String(len).length + Buffer.byteLength(rest) !== len) len++
    return `${len}${rest}`
  })
  return entry({name, type: 'x', body: records.join('')})
}

/** entries + the two zero blocks that end an archive */
export const tar = (...entries: Buffer[]): Buffer => Buffer.concat([...entries, Buffer.alloc(1024)])
export const tgz = (...entries: Buffer[]): Buffer => gzipSync(tar(...entries))
export const file = (name: string, body: string, extra: Partial<RawEntry> = {}) => entry({name, body, ...extra})

/** sha512 SRI of some bytes, as an index lists it */
export const sri = (data: Buffer): string => `sha512-${createHash('sha512').update(data).digest('base64')}`

let zeroMember: Buffer | undefined
/**
 * A gzip bomb: a small valid package, then gzip members of zeros (multi-member gzip, as gunzip
 * reads it) after the end of the archive, where tar reads nothing and counts nothing: about
 * 1 KiB compressed per MiB unpacked. `mib` of zeros in total (in 64 MiB members).
 */
export function zeroBomb(mib: number): Buffer {
  zeroMember ??= gzipSync(Buffer.alloc(64 * 1024 * 1024), {level: 9})
  return Buffer.concat([tgz(file('package/a.txt', 'a')), ...Array.from({length: Math.ceil(mib / 64)}, () => zeroMember!)])
}
