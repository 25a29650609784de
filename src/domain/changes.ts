/**
 * What a mutation of a project changes (install, update, uninstall, manifest apply, rollback):
 * the answer of src/ops and the dry runs src/core shows (`resolve`'s ways out).
 */
export interface PackageChange {
  id: string
  from: string | null
  to: string | null
  kind: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'changed'
}

export interface ChangeResult {
  project: string
  changes: PackageChange[]
  /** direct requirements after the change: id -> range */
  requirements: Record<string, string>
  dryRun: boolean
  /** the history generation recorded (null: nothing changed); not with a dry run */
  generation?: number | null
  /** whether ggen.toml or the lockfile changed; not with a dry run */
  changed?: boolean
  fetched: number
  reused: number
}
