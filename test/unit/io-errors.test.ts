/**
 * The errno -> PacksError table (src/domain/io-errors.ts), fed with real errors from real system
 * calls: each maps to its documented code and exit 8, names the operation and the path (also
 * when the kernel gave none, as for write(2) on /dev/full), and hints at a fix.
 */
import {closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {ExitCode, isErrorCode, PacksError} from '../../src/domain/errors.js'
import {ioError, isFileSystemFault, withPath} from '../../src/domain/io-errors.js'
import {readTextOrNull} from '../../src/formats/fs.js'

const dir = mkdtempSync(join(tmpdir(), 'ggen-ioerr-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** the error `fn` throws (it must throw) */
function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

describe('ioError', () => {
  it('EISDIR from read(2) (no path from the kernel) names the file through readTextOrNull', () => {
    mkdirSync(join(dir, 'ggen.toml'))
    const e = ioError(caught(() => readTextOrNull(join(dir, 'ggen.toml'))))!
    expect(e.code).toBe('E_FILESYSTEM')
    expect(e.exitCode).toBe(ExitCode.ENVIRONMENT)
    expect(e.message).toBe(`cannot read ${join(dir, 'ggen.toml')}: a folder is in the way where a file is expected (EISDIR)`)
    expect(e.file).toBe(join(dir, 'ggen.toml'))
    expect(e.hint).toContain('move it away')
  })

  it('ENOTDIR: a file where a folder should be', () => {
    writeFileSync(join(dir, 'store'), 'x')
    const e = ioError(caught(() => mkdirSync(join(dir, 'store', 'v1'), {recursive: true})))!
    expect(e.code).toBe('E_FILESYSTEM')
    expect(e.message).toMatch(/^cannot create the folder .*store.*\(ENOTDIR\)$/)
  })

  it('EEXIST and the ERR_FS_EISDIR SystemError of rmSync map by their errno', () => {
    writeFileSync(join(dir, 'lock'), 'x')
    expect(ioError(caught(() => openSync(join(dir, 'lock'), 'wx')))!.message).toContain('(EEXIST)')
    mkdirSync(join(dir, 'a-folder'))
    const e = ioError(caught(() => rmSync(join(dir, 'a-folder'))))!
    expect(e.message).toContain('(EISDIR)')
    expect(e.message).toContain(join(dir, 'a-folder'))
  })

  it('ENOSPC from write(2) on /dev/full: E_NO_SPACE, the places named when there is no path, the path once given', () => {
    const fd = openSync('/dev/full', 'w')
    const raw = caught(() => writeSync(fd, 'x'))
    closeSync(fd)
    const places = {home: '/h/.ggen', project: '/p/app'}
    const bare = ioError(raw, places)!
    expect(bare.code).toBe('E_NO_SPACE')
    expect(bare.exitCode).toBe(8)
    expect(bare.message).toBe('cannot write a file under the project (/p/app) or GGEN_HOME (/h/.ggen): no space left on the device (ENOSPC)')
    expect(bare.hint).toContain('Free space')
    const named = ioError(withPath(raw, '/h/.ggen/store/v1/index.json'), places)!
    expect(named.message).toContain('cannot write /h/.ggen/store/v1/index.json')
    expect(named.hint).toContain('df -h /h/.ggen/store/v1')
  })

  it('permission hints offer GGEN_HOME only for paths inside it', () => {
    const fault = (path: string) => Object.assign(new Error('EACCES'), {code: 'EACCES', syscall: 'open', path})
    expect(ioError(fault('/h/.ggen/projects.json'), {home: '/h/.ggen'})!.hint).toContain('set GGEN_HOME')
    expect(ioError(fault('/p/app/ggen.toml'), {home: '/h/.ggen'})!.hint).not.toContain('GGEN_HOME')
  })

  it('leaves alone what is not a file-system fault', () => {
    expect(ioError(new TypeError('x'))).toBeUndefined()
    expect(ioError(new PacksError('E_PARSE', 'x'))).toBeUndefined()
    expect(ioError(Object.assign(new Error('x'), {code: 'ECONNREFUSED'}))).toBeUndefined()
    expect(isFileSystemFault(null)).toBe(false)
  })

  it('every mapped code is a documented ErrorCode with exit 8', () => {
    for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENAMETOOLONG', 'ELOOP', 'EBUSY', 'EIO']) {
      const e = ioError(Object.assign(new Error(code), {code, syscall: 'open', path: '/x'}))!
      expect(isErrorCode(e.code), code).toBe(true)
      expect(e.exitCode, code).toBe(ExitCode.ENVIRONMENT)
      expect(e.message, code).toContain(`(${code})`)
    }
  })
})
