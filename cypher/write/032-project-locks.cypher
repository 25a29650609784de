// Write: what a project's lockfile pins, Project-LOCKS{direct, integrity, installed_at,
// dependencies}->Version (one version per package id; `dependencies` are the resolved dependency
// ids as the lockfile records them). A project's edges are replaced as a whole (deleted, then
// created), so a lock moved to another version or removed disappears with the sync.
// Parameters: $runId, $rows: [{project (project key), locks: [{key (version key), id, version,
//   direct, integrity, installed_at, dependencies}]}], one row per project.
UNWIND $rows AS r
MATCH (p:Project {key: r.project})
FOREACH (old IN [(p)-[l:LOCKS]->() | l] | DELETE old)
WITH p, r
UNWIND r.locks AS lk
MERGE (v:Version {key: lk.key})
ON CREATE SET v.id = lk.id, v.version = lk.version
MERGE (pkg:Package {id: lk.id})
MERGE (v)-[:OF]->(pkg)
CREATE (p)-[:LOCKS {
  direct: lk.direct,
  integrity: lk.integrity,
  installed_at: lk.installed_at,
  dependencies: lk.dependencies,
  lastSynced: $runId
}]->(v)
