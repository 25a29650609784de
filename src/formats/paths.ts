/** Where project files live. Kept free of parser imports: the hot path stats these without parsing. */
import {join} from 'node:path'

export const PROJECT_FILE = 'ggen.toml'
export const LOCKFILE_REL = join('.ggen', 'packs.lock')
export const LEGACY_LOCKFILE = 'ggen.lock'
export const projectFilePath = (dir: string): string => join(dir, PROJECT_FILE)
export const lockfilePath = (projectDir: string): string => join(projectDir, LOCKFILE_REL)
