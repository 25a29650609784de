/**
 * The snapshot cache on disk ($GGEN_HOME/cache/snapshot.cache): one header line
 * `ggen-packs-snapshot/4 <crc32 hex> <body bytes>` and a JSON body holding the snapshot (every
 * GraphSnapshot field as it is, lock rows packed as tuples) and, per project folder, the stat of
 * its files and its reading problem. A file that is short, long, fails its checksum or has the
 * wrong shape reads as absent: it is a cache, and costs a rebuild, never a wrong answer.
 *
 * A packed lock row: [id, version, direct 0|1, installed_at|null, dependencies (ids as an index
 * into snapshot.packages where they are there: fewer bytes to parse, one string per id),
 * integrity (null: the version row's), source type (null: Registry), requires (0: the version
 * row's), origin source (absent: the version row's; null: none)]. The last two are the project's
 * LockOrigin (src/graph/snapshot.ts), which patching needs and plain reads skip.
 */
import {crc32} from 'node:zlib'
import {readFileSync} from 'node:fs'
import {versionKey, type GraphSnapshot, type ProjectLock, type ProjectRow, type VersionRow} from './model.js'
import type {LockOrigin, ProjectPart} from './snapshot.js'

export const SNAPSHOT_FORMAT = 'ggen-packs-snapshot/4'

export interface CachedProblem {
  path: string
  code: string
  message: string
  file?: string
  field?: string
  hint?: string
}

/** one project folder: its path, the stat of its files (see workspace-graph.ts), its problem (0: none) */
export type DirEntry = [string, string, CachedProblem | 0]

export interface SnapshotFile {
  machine: string
  /** the stat of the store index the version rows were made with */
  store: string
  dirs: DirEntry[]
  snapshot: GraphSnapshot
}

type PackedId = string | number
type PackedLock = [PackedId, string, 0 | 1, string | null, PackedId[], string | null, string | null, Record<string, string> | 0, (string | null)?]

const sameRecord = (a: Record<string, string>, b: Record<string, string> | undefined): boolean => {
  if (!b) return false
  if (a === b) return true
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

/** the body, packed; `origins` of each project by path (every project of the snapshot has its part) */
export function encodeSnapshotFile(f: SnapshotFile, parts: Map<string, ProjectPart>): string {
  const byKey = new Map(f.snapshot.versions.map((v) => [versionKey(v.id, v.version), v]))
  const index = new Map(f.snapshot.packages.map((p, i) => [p.id, i]))
  const packId = (id: string): PackedId => index.get(id) ?? id
  const packProject = (p: ProjectRow): ProjectRow => {
    const origins = parts.get(p.path)?.origins ?? []
    const locks = p.locks.map((l, i): PackedLock => {
      const v = byKey.get(versionKey(l.id, l.version))
      const o: LockOrigin = origins[i] ?? {requires: v?.requires ?? {}}
      const row: PackedLock = [packId(l.id), l.version, l.direct ? 1 : 0, l.installed_at ?? null, l.dependencies.map(packId), l.integrity !== undefined && l.integrity !== v?.integrity ? l.integrity : null, l.source ?? null, sameRecord(o.requires, v?.requires) ? 0 : o.requires]
      if (o.source !== v?.source) row.push(o.source ?? null)
      return row
    })
    return {...p, locks: locks as unknown as ProjectLock[]}
  }
  return JSON.stringify({...f, snapshot: {...f.snapshot, projects: f.snapshot.projects.map(packProject)}})
}

export function frameSnapshotFile(body: string): Buffer {
  const data = Buffer.from(body, 'utf8')
  return Buffer.concat([Buffer.from(`${SNAPSHOT_FORMAT} ${crc32(data).toString(16)} ${data.length}\n`), data])
}

const isArr = Array.isArray
const isStr = (x: unknown): x is string => typeof x === 'string'
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !isArr(x)

/** the framed body, or null when the file is missing, of another format, cut short, extended or damaged */
export function readSnapshotFile(file: string): SnapshotFile | null {
  let buf: Buffer
  try {
    buf = readFileSync(file)
  } catch {
    return null
  }
  const nl = buf.indexOf(10)
  if (nl < 0 || nl > 100) return null
  const [format, crc, bytes] = buf.subarray(0, nl).toString('latin1').split(' ')
  const data = buf.subarray(nl + 1)
  if (format !== SNAPSHOT_FORMAT || Number(bytes) !== data.length || crc32(data).toString(16) !== crc) return null
  let f: unknown
  try {
    f = JSON.parse(data.toString('utf8'))
  } catch {
    return null
  }
  if (!isObj(f) || !isStr(f.machine) || !isStr(f.store) || !isArr(f.dirs) || !isObj(f.snapshot)) return null
  const s = f.snapshot
  if (!['packages', 'versions', 'projects'].every((k) => isArr(s[k]))) return null
  if (!(f.dirs as unknown[]).every((d) => isArr(d) && d.length === 3 && isStr(d[0]) && isStr(d[1]) && (d[2] === 0 || isObj(d[2])))) return null
  if (!(s.projects as unknown[]).every((p) => isObj(p) && isStr(p.path) && isArr(p.locks) && isArr(p.requires))) return null
  return f as unknown as SnapshotFile
}

/**
 * The lock rows unpacked in place (the snapshot as assembleSnapshot made it); with `origins`,
 * every project's part as well (what patching needs).
 */
export function unpackSnapshot(s: GraphSnapshot, withOrigins: boolean): Map<string, ProjectPart> {
  const byKey = new Map<string, VersionRow>()
  for (const v of s.versions) byKey.set(versionKey(v.id, v.version), v)
  const ids = s.packages.map((p) => p.id)
  const idOf = (x: PackedId): string => {
    if (typeof x === 'string') return x
    const id = ids[x]
    if (id === undefined) throw new Error(`package index ${x} out of range`)
    return id
  }
  const parts = new Map<string, ProjectPart>()
  for (const p of s.projects) {
    const packed = p.locks as unknown as PackedLock[]
    const locks: ProjectLock[] = new Array(packed.length)
    const origins: LockOrigin[] = withOrigins ? new Array(packed.length) : []
    for (let i = 0; i < packed.length; i++) {
      const [packedId, version, direct, installedAt, deps, integrity, source, requires, origin] = packed[i]!
      const id = idOf(packedId)
      // the version row only where the packed row defers to it (most rows carry no integrity of their own)
      const v = integrity === null || withOrigins ? byKey.get(versionKey(id, version)) : undefined
      const dependencies: string[] = new Array(deps.length)
      for (let j = 0; j < deps.length; j++) dependencies[j] = idOf(deps[j]!)
      const l: ProjectLock = {id, version, direct: direct === 1, integrity: integrity ?? v?.integrity, dependencies}
      if (installedAt !== null) l.installed_at = installedAt
      if (source !== null) l.source = source
      locks[i] = l
      if (!withOrigins) continue
      const o: LockOrigin = {requires: requires === 0 ? (v?.requires ?? {}) : requires}
      const src = packed[i]!.length > 8 ? (origin ?? undefined) : v?.source
      if (src !== undefined) o.source = src
      origins[i] = o
    }
    p.locks = locks
    if (withOrigins) parts.set(p.path, {row: p, origins})
  }
  return parts
}
