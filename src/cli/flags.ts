/** Flags shared by several commands (declared once, spread into each command's static flags). */
import {Flags} from '@oclif/core'

export const projectFlag = Flags.directory({
  char: 'C',
  summary: 'Project directory (holds ggen.toml).',
  default: '.',
  helpValue: 'DIR',
})

export const registryFlag = Flags.string({
  summary: 'Registry to use (directory, file:// or http(s):// URL holding index.json). Repeatable; first wins.',
  multiple: true,
  helpValue: 'URL',
})

export const offlineFlag = Flags.boolean({
  summary: 'Work only from the cache under $GGEN_HOME (also GGEN_OFFLINE=1).',
  default: false,
})

export const backendFlag = Flags.string({
  summary: 'Graph backend: memory (embedded, default) or neo4j (GGEN_NEO4J_URI).',
  options: ['memory', 'neo4j'],
})

export const machineFlag = Flags.string({
  summary: 'Only projects synced from this machine (neo4j backend: team view).',
  helpValue: 'NAME',
})

export const rootFlag = Flags.directory({
  summary: 'Also scan this directory tree for projects (ggen.toml). Repeatable.',
  multiple: true,
  helpValue: 'DIR',
})

export const requireSignaturesFlag = Flags.boolean({
  summary: 'Refuse registries that have no trusted key (also GGEN_REQUIRE_SIGNATURES=1, config require_signatures).',
  default: false,
})

export const registryFlags = {registry: registryFlag, offline: offlineFlag}

/** flags of commands that fetch packages into the store */
export const fetchFlags = {...registryFlags, 'require-signatures': requireSignaturesFlag}

/** `--project DIR` as a filter: only what concerns this project (no default: every project) */
export const projectFilterFlag = Flags.directory({
  char: 'C',
  summary: 'Only this project.',
  helpValue: 'DIR',
})

/**
 * Scope of a machine-wide check: `--project DIR` (default: the project in the current folder) or
 * `--all` (every known project; the default outside a project folder). The requirements' spellings
 * --all-projects and --validate-all-projects are aliases.
 */
export const scopeFlags = {
  project: Flags.directory({char: 'C', summary: 'Project directory (default: the project in the current folder).', helpValue: 'DIR', exclusive: ['all']}),
  all: Flags.boolean({summary: 'Every known project (and those under --root); the default outside a project folder.', aliases: ['all-projects', 'validate-all-projects'], exclusive: ['project']}),
}
