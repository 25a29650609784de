/**
 * File-system faults as PacksErrors: the one table from an errno (EACCES, ENOSPC, ENOTDIR, ...)
 * to a documented code and exit code (docs/formats.md#error-codes: E_PERMISSION, E_NO_SPACE,
 * E_RESOURCE, E_FILESYSTEM, all exit 8), with a message naming the operation and the path and a
 * hint on how to fix it. The base command applies it to whatever escapes a use-case; readers that
 * report per-file problems (the workspace scan) apply it too. An error that is not a file-system
 * fault is left alone (a plain Error is still a bug: exit 70).
 */
import {dirname, relative, isAbsolute} from 'node:path'
import {PacksError, type ErrorCode} from './errors.js'

/** where the fault happened, for hints: $GGEN_HOME and the project (when known) */
export interface FaultPlaces {
  home?: string
  project?: string
}

interface Fault {
  code: ErrorCode
  what: string
  hint: (path: string | undefined, places: FaultPlaces) => string
}

const inside = (path: string | undefined, root: string | undefined): boolean => {
  if (!path || !root) return false
  const r = relative(root, path)
  return r === '' || (!r.startsWith('..') && !isAbsolute(r))
}

/** "the file system holding X" for a path-less fault: name every place we might have written */
const holding = (path: string | undefined, p: FaultPlaces): string =>
  path ? path : [p.project && `the project (${p.project})`, p.home && `GGEN_HOME (${p.home})`].filter(Boolean).join(' or ') || 'the current folder'

const homeHint = (path: string | undefined, p: FaultPlaces): string => (inside(path, p.home) || !path ? ' Or set GGEN_HOME to a folder you can write.' : '')

const permission: Fault['hint'] = (path, p) =>
  `Check the owner and permissions of ${path ? `${path} and its folder (ls -ld ${path} ${dirname(path)})` : holding(path, p)}; ggen packs must be able to read and write there.${homeHint(path, p)}`

const moveAway = (what: string): Fault['hint'] => (path, p) => `${path ?? holding(path, p)} ${what}: move it away (or rename it) and run again.`

const device: Fault['hint'] = (path, p) => `The disk or file system holding ${holding(path, p)} failed; check it (dmesg, the device or the network share) and run again once it is healthy.`

const TABLE: Record<string, Fault> = {
  EACCES: {code: 'E_PERMISSION', what: 'permission denied', hint: permission},
  EPERM: {code: 'E_PERMISSION', what: 'operation not permitted', hint: permission},
  EROFS: {
    code: 'E_PERMISSION',
    what: 'read-only file system',
    hint: (path, p) => `The file system holding ${holding(path, p)} is mounted read-only: remount it read-write, or work on a copy in a writable place.${homeHint(path, p)}`,
  },
  ENOSPC: {code: 'E_NO_SPACE', what: 'no space left on the device', hint: (path, p) => `Free space on the file system holding ${holding(path, p)} (df -h${path ? ` ${dirname(path)}` : ''}) and run again.`},
  EDQUOT: {code: 'E_NO_SPACE', what: 'disk quota exceeded', hint: (path, p) => `Free space within your quota on the file system holding ${holding(path, p)} (quota -s) and run again.`},
  EFBIG: {code: 'E_NO_SPACE', what: 'file too large for the file system', hint: (path, p) => `The file system holding ${holding(path, p)} limits file sizes; move GGEN_HOME or the project to another one.`},
  EMFILE: {code: 'E_RESOURCE', what: 'too many open files in this process', hint: () => 'Raise the open-file limit (`ulimit -n 4096`) and run again.'},
  ENFILE: {code: 'E_RESOURCE', what: 'too many open files on this system', hint: () => 'Close other programs or raise the system-wide open-file limit (fs.file-max) and run again.'},
  ENOMEM: {code: 'E_RESOURCE', what: 'out of memory', hint: () => 'Free memory (close other programs) and run again.'},
  ENOTDIR: {code: 'E_FILESYSTEM', what: 'a file is in the way where a folder is expected', hint: (path, p) => `A part of ${path ?? holding(path, p)} is a file where ggen packs expects a folder: move that file away (check each parent with ls -ld) and run again.`},
  EISDIR: {code: 'E_FILESYSTEM', what: 'a folder is in the way where a file is expected', hint: moveAway('is a folder where ggen packs expects a file')},
  EEXIST: {code: 'E_FILESYSTEM', what: 'already exists', hint: moveAway('already exists where ggen packs creates a new file or folder')},
  ENOTEMPTY: {code: 'E_FILESYSTEM', what: 'folder not empty', hint: moveAway('is a folder that is not empty')},
  ENAMETOOLONG: {code: 'E_FILESYSTEM', what: 'path too long', hint: () => 'Use a shorter path: move the project or GGEN_HOME closer to the root of the file system.'},
  ELOOP: {code: 'E_FILESYSTEM', what: 'too many levels of symbolic links', hint: (path, p) => `${path ?? holding(path, p)} goes through a loop of symbolic links: fix the links (ls -l each part) and run again.`},
  EBUSY: {code: 'E_FILESYSTEM', what: 'resource busy', hint: (path, p) => `${path ?? holding(path, p)} is in use (a mount point, or held by another program): free it and run again.`},
  ETXTBSY: {code: 'E_FILESYSTEM', what: 'file busy', hint: (path, p) => `${path ?? holding(path, p)} is held open by another program: close it and run again.`},
  EXDEV: {code: 'E_FILESYSTEM', what: 'cannot move across file systems', hint: () => 'Keep GGEN_HOME (and its store, cache and history folders) on one file system.'},
  ENOENT: {code: 'E_FILESYSTEM', what: 'no such file or folder (removed while in use?)', hint: (path, p) => `${path ?? holding(path, p)} disappeared while ggen packs was using it (another program removed it?): run again.`},
  EIO: {code: 'E_FILESYSTEM', what: 'input/output error', hint: device},
  ENXIO: {code: 'E_FILESYSTEM', what: 'no such device', hint: device},
  ENODEV: {code: 'E_FILESYSTEM', what: 'no such device', hint: device},
  ESTALE: {code: 'E_FILESYSTEM', what: 'stale file handle (network file system)', hint: device},
}

/** what a failing system call was doing, as a verb for "cannot <verb> <path>" */
const VERBS: Record<string, string> = {
  open: 'open',
  mkdir: 'create the folder',
  mkdtemp: 'create a temporary folder',
  rename: 'move',
  unlink: 'remove',
  rm: 'remove',
  rmdir: 'remove the folder',
  scandir: 'list the folder',
  opendir: 'list the folder',
  read: 'read',
  write: 'write',
  fsync: 'flush to disk',
  close: 'close',
  stat: 'inspect',
  lstat: 'inspect',
  fstat: 'inspect',
  copyfile: 'copy',
  cp: 'copy',
  chmod: 'change the mode of',
  fchmod: 'change the mode of',
  chown: 'change the owner of',
  lchown: 'change the owner of',
  symlink: 'create the link',
  link: 'create the hard link',
  readlink: 'read the link',
  utime: 'set the times of',
  futime: 'set the times of',
  access: 'access',
  realpath: 'resolve',
  ftruncate: 'truncate',
}

interface ErrnoLike {
  code?: unknown
  syscall?: unknown
  path?: unknown
  dest?: unknown
  /** node's SystemError (ERR_FS_EISDIR from rmSync, ...) keeps the errno here */
  info?: {code?: unknown; syscall?: unknown; path?: unknown}
}

/** the errno name of a file-system fault we map (EACCES, ...), else undefined */
export function faultErrno(e: unknown): string | undefined {
  if (!e || typeof e !== 'object' || e instanceof PacksError) return undefined
  const x = e as ErrnoLike
  const code = typeof x.code === 'string' && x.code.startsWith('ERR_FS_') ? x.info?.code : x.code
  return typeof code === 'string' && Object.hasOwn(TABLE, code) ? code : undefined
}

export const isFileSystemFault = (e: unknown): boolean => faultErrno(e) !== undefined

/**
 * The PacksError for a file-system fault (undefined when `e` is none): code and exit from the
 * table, message "cannot <verb> <path>: <what> (<ERRNO>)", file = the path, hint naming the path.
 * `places` name $GGEN_HOME and the project for hints (and for faults that carry no path, such
 * as ENOSPC from write(2)).
 */
export function ioError(e: unknown, places: FaultPlaces = {}): PacksError | undefined {
  const errno = faultErrno(e)
  if (!errno) return undefined
  const x = e as ErrnoLike
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
  const path = str(x.path) ?? str(x.info?.path)
  const dest = str(x.dest)
  const syscall = str(x.syscall) ?? str(x.info?.syscall)
  const fault = TABLE[errno]!
  const verb = (syscall && VERBS[syscall]) ?? syscall ?? 'use'
  const target = path ? ` ${path}${dest ? ` to ${dest}` : ''}` : ` a file under ${holding(undefined, places)}`
  return new PacksError(fault.code, `cannot ${verb}${target}: ${fault.what} (${errno})`, {
    hint: fault.hint(path, places),
    ...(path ? {file: path} : {}),
    details: {errno, ...(syscall ? {syscall} : {}), ...(path ? {path} : {}), ...(dest ? {dest} : {})},
    cause: e,
  })
}

/** `e` as a PacksError when it is a file-system fault, else `e` unchanged */
export function asPacksFault(e: unknown, places: FaultPlaces = {}): unknown {
  return ioError(e, places) ?? e
}

/**
 * Name the file on a fault that carries no path (read(2) or write(2) on a descriptor: EISDIR,
 * ENOSPC, EIO), so the message can; returns `e`.
 */
export function withPath<E>(e: E, path: string): E {
  if (faultErrno(e) && !(e as ErrnoLike).path) (e as ErrnoLike).path = path
  return e
}
