/** The part of picomatch (4.x, no bundled types) that src/util/glob.ts uses. */
declare module 'picomatch' {
  interface PicomatchOptions {
    nocase?: boolean
    dot?: boolean
    windows?: boolean
    strictBrackets?: boolean
  }
  function picomatch(glob: string | string[], options?: PicomatchOptions): (test: string) => boolean
  export default picomatch
}
