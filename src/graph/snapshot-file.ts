/**
 * The snapshot cache on disk ($GGEN_HOME/cache/snapshot.cache), in two sections:
 * - one header line `ggen-packs-snapshot/5 <head crc32 hex> <head bytes> <body crc32 hex> <body bytes>`;
 * - the head, one JSON line: the machine, the stat of the store index, per project folder the
 *   stat of its files and its reading problem, and a random id naming this very snapshot (caches
 *   derived from it, like list's rows in src/core/list-view.ts, name the snapshot by it);
 * - the body, one JSON line: the snapshot (every GraphSnapshot field as it is, lock rows packed
 *   as tuples).
 * Beside it, $GGEN_HOME/cache/snapshot-delta.cache may hold a delta (framed, src/formats/framed.ts):
 * `{base, head, parts: [[path, ProjectPart | null]]}`, projects whose rows replace the body's
 * (null: gone) and the head that describes body + delta, as list wrote them when it patched its
 * kept rows without reading the body (src/core/list-patch.ts). It counts only while `base` is the
 * id in snapshot.cache's own head: a full write of snapshot.cache (a new id) leaves any delta
 * behind, so two writers never mix. The next reader of the body applies the delta and writes
 * snapshot.cache again (under the delta head's id: the same snapshot).
 * A command that only needs to know whether the snapshot is current reads the head alone
 * (readSnapshotHead: a few kilobytes, not the body's megabytes). A file that is short, long,
 * fails a checksum or has the wrong shape reads as absent: it is a cache, and costs a rebuild,
 * never a wrong answer.
 *
 * A packed lock row: [id, version, direct 0|1, installed_at|null, dependencies (ids as an index
 * into snapshot.packages where they are there: fewer bytes to parse, one string per id),
 * integrity (null: the version row's), source type (null: Registry), requires (0: the version
 * row's), origin source (absent: the version row's; null: none)]. The last two are the project's
 * LockOrigin (src/graph/snapshot.ts), which patching needs and plain reads skip.
 */
import {crc32} from 'node:zlib'
import {closeSync, fstatSync, openSync, readSync} from 'node:fs'
import {frame, readFramed} from '../formats/framed.js'
import {VersionMap, type GraphSnapshot, type ProjectLock, type ProjectRow, type VersionRow} from './model.js'
import type {LockOrigin, ProjectPart} from './snapshot.js'

export const SNAPSHOT_FORMAT = 'ggen-packs-snapshot/5'

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

/** the head section: what tells whether the snapshot is current, without its body */
export interface SnapshotHead {
  machine: string
  /** the stat of the store index the version rows were made with */
  store: string
  dirs: DirEntry[]
  /** names this snapshot (random, new on every write) */
  id: string
}

export interface SnapshotFile extends SnapshotHead {
  snapshot: GraphSnapshot
  /** the delta's projects by path (null: gone), to apply to the body; empty: none */
  delta: Map<string, ProjectPart | null>
}

export const SNAPSHOT_DELTA_FORMAT = 'ggen-packs-snapshot-delta/1'

type PackedId = string | number
type PackedLock = [PackedId, string, 0 | 1, string | null, PackedId[], string | null, string | null, Record<string, string> | 0, (string | null)?]

const sameRecord = (a: Record<string, string>, b: Record<string, string> | undefined): boolean => {
  if (!b) return false
  if (a === b) return true
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

/** the two sections, the body packed; `origins` of each project by path (every project of the snapshot has its part) */
export function encodeSnapshotFile(f: SnapshotHead & {snapshot: GraphSnapshot}, parts: Map<string, ProjectPart>): {head: string; body: string} {
  const byKey = VersionMap.of(f.snapshot.versions)
  const index = new Map(f.snapshot.packages.map((p, i) => [p.id, i]))
  const packId = (id: string): PackedId => index.get(id) ?? id
  const packProject = (p: ProjectRow): ProjectRow => {
    const origins = parts.get(p.path)?.origins ?? []
    const locks = p.locks.map((l, i): PackedLock => {
      const v = byKey.get(l.id, l.version)
      const o: LockOrigin = origins[i] ?? {requires: v?.requires ?? {}}
      const row: PackedLock = [packId(l.id), l.version, l.direct ? 1 : 0, l.installed_at ?? null, l.dependencies.map(packId), l.integrity !== undefined && l.integrity !== v?.integrity ? l.integrity : null, l.source ?? null, sameRecord(o.requires, v?.requires) ? 0 : o.requires]
      if (o.source !== v?.source) row.push(o.source ?? null)
      return row
    })
    return {...p, locks: locks as unknown as ProjectLock[]}
  }
  const head: SnapshotHead = {machine: f.machine, store: f.store, dirs: f.dirs, id: f.id}
  return {head: JSON.stringify(head), body: JSON.stringify({...f.snapshot, projects: f.snapshot.projects.map(packProject)})}
}

/** the file: header line, head line, body line (JSON.stringify never writes a raw newline) */
export function frameSnapshotFile(sections: {head: string; body: string}): Buffer {
  const head = Buffer.from(sections.head + '\n', 'utf8')
  const body = Buffer.from(sections.body, 'utf8')
  return Buffer.concat([Buffer.from(`${SNAPSHOT_FORMAT} ${crc32(head).toString(16)} ${head.length} ${crc32(body).toString(16)} ${body.length}\n`), head, body])
}

const isArr = Array.isArray
const isStr = (x: unknown): x is string => typeof x === 'string'
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !isArr(x)

/** the header line is at most this long */
const HEADER_MAX = 120

interface Frame {
  fd: number
  /** where the head starts (after the header line) */
  at: number
  headCrc: string
  headBytes: number
  bodyCrc: string
  bodyBytes: number
}

/** the header line of an open file whose size is exactly what it announces, or null */
function readFrame(fd: number): Frame | null {
  const first = Buffer.alloc(HEADER_MAX)
  const n = readSync(fd, first, 0, HEADER_MAX, 0)
  const nl = first.subarray(0, n).indexOf(10)
  if (nl < 0) return null
  const [format, headCrc, headBytes, bodyCrc, bodyBytes, ...rest] = first.subarray(0, nl).toString('latin1').split(' ')
  const hb = Number(headBytes)
  const bb = Number(bodyBytes)
  if (format !== SNAPSHOT_FORMAT || rest.length > 0 || !Number.isSafeInteger(hb) || !Number.isSafeInteger(bb) || hb < 2 || bb < 0) return null
  if (fstatSync(fd).size !== nl + 1 + hb + bb) return null
  return {fd, at: nl + 1, headCrc: headCrc!, headBytes: hb, bodyCrc: bodyCrc!, bodyBytes: bb}
}

/** `bytes` bytes at `at` when their CRC-32 is `crc`, else null */
function readChecked(fd: number, at: number, bytes: number, crc: string): Buffer | null {
  const buf = Buffer.allocUnsafe(bytes)
  let got = 0
  while (got < bytes) {
    const n = readSync(fd, buf, got, bytes - got, at + got)
    if (n === 0) return null
    got += n
  }
  return crc32(buf).toString(16) === crc ? buf : null
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'))
  } catch {
    return null
  }
}

function withFile<T>(file: string, read: (fd: number) => T | null): T | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return null
  }
  try {
    return read(fd)
  } catch {
    return null
  } finally {
    closeSync(fd)
  }
}

const isHead = (h: unknown): h is SnapshotHead =>
  isObj(h) && isStr(h.machine) && isStr(h.store) && isStr(h.id) && isArr(h.dirs) && (h.dirs as unknown[]).every((d) => isArr(d) && d.length === 3 && isStr(d[0]) && isStr(d[1]) && (d[2] === 0 || isObj(d[2])))

function readHead(f: Frame): SnapshotHead | null {
  const buf = readChecked(f.fd, f.at, f.headBytes, f.headCrc)
  if (!buf || buf[buf.length - 1] !== 10) return null
  const h = parseJson(buf.subarray(0, buf.length - 1))
  return isHead(h) ? h : null
}

const isProjectRow = (p: unknown): p is ProjectRow => isObj(p) && isStr(p.path) && isArr(p.locks) && isArr(p.requires)
const isLock = (l: unknown): l is ProjectLock => isObj(l) && isStr(l.id) && isStr(l.version) && typeof l.direct === 'boolean' && isArr(l.dependencies) && (l.dependencies as unknown[]).every(isStr)
const isPart = (x: unknown): x is ProjectPart =>
  isObj(x) &&
  isProjectRow(x.row) &&
  isStr(x.row.key) &&
  isStr(x.row.name) &&
  isStr(x.row.machine) &&
  x.row.locks.every(isLock) &&
  isArr(x.origins) &&
  x.origins.length === x.row.locks.length &&
  (x.origins as unknown[]).every((o) => isObj(o) && isObj(o.requires))

interface Delta {
  base: string
  head: SnapshotHead
  parts: Map<string, ProjectPart | null>
}

/** the delta file, or null when it is missing, damaged or of the wrong shape */
function readDelta(file: string): Delta | null {
  const text = readFramed(file, SNAPSHOT_DELTA_FORMAT)
  let d: unknown = null
  try {
    d = text === null ? null : JSON.parse(text)
  } catch {
    return null
  }
  if (!isObj(d) || !isStr(d.base) || !isHead(d.head) || !isArr(d.parts)) return null
  const parts = new Map<string, ProjectPart | null>()
  for (const e of d.parts as unknown[]) {
    if (!isArr(e) || e.length !== 2 || !isStr(e[0]) || !(e[1] === null || (isPart(e[1]) && e[1].row.path === e[0]))) return null
    parts.set(e[0], e[1] as ProjectPart | null)
  }
  return {base: d.base, head: d.head, parts}
}

/** the head that counts: the delta's when it is of this very snapshot file, else the file's own */
function effective(own: SnapshotHead, deltaFile: string | undefined): {head: SnapshotHead; delta: Map<string, ProjectPart | null>} {
  const d = deltaFile ? readDelta(deltaFile) : null
  return d && d.base === own.id ? {head: d.head, delta: d.parts} : {head: own, delta: new Map()}
}

/** the head alone (the body's bytes are neither read nor checked), or null as readSnapshotFile; with `deltaFile`, the delta's head when it counts */
export function readSnapshotHead(file: string, deltaFile?: string): SnapshotHead | null {
  const own = withFile(file, (fd) => {
    const f = readFrame(fd)
    return f ? readHead(f) : null
  })
  return own && effective(own, deltaFile).head
}

/** head (the delta's when it counts), body and delta, or null when the file is missing, of another format, cut short, extended or damaged */
export function readSnapshotFile(file: string, deltaFile?: string): SnapshotFile | null {
  const read = withFile(file, (fd) => {
    const f = readFrame(fd)
    const head = f ? readHead(f) : null
    if (!f || !head) return null
    const body = readChecked(fd, f.at + f.headBytes, f.bodyBytes, f.bodyCrc)
    const s = body ? parseJson(body) : null
    if (!isObj(s) || !['packages', 'versions', 'projects'].every((k) => isArr(s[k]))) return null
    if (!(s.projects as unknown[]).every(isProjectRow)) return null
    return {head, snapshot: s as unknown as GraphSnapshot}
  })
  if (!read) return null
  const {head, delta} = effective(read.head, deltaFile)
  return {...head, snapshot: read.snapshot, delta}
}

/**
 * The delta file's bytes for `parts` on top of snapshot.cache as it is now (any delta of it that
 * counts merged in, a later part of a path winning), described by `head`; null when snapshot.cache
 * has no readable head. The body is neither read nor checked.
 */
export function encodeDelta(file: string, deltaFile: string, head: SnapshotHead, parts: Map<string, ProjectPart | null>): Buffer | null {
  const own = withFile(file, (fd) => {
    const f = readFrame(fd)
    return f ? readHead(f) : null
  })
  if (!own) return null
  const merged = effective(own, deltaFile).delta
  for (const [path, part] of parts) merged.set(path, part)
  return frame(SNAPSHOT_DELTA_FORMAT, JSON.stringify({base: own.id, head, parts: [...merged]}))
}

/**
 * The lock rows unpacked in place (the snapshot as assembleSnapshot made it); with `origins`,
 * every project's part as well (what patching needs).
 */
export function unpackSnapshot(s: GraphSnapshot, withOrigins: boolean): Map<string, ProjectPart> {
  const byKey: VersionMap<VersionRow> = VersionMap.of(s.versions)
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
      const v = integrity === null || withOrigins ? byKey.get(id, version) : undefined
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
