// Write: what a project's lockfile pins, Project-LOCKS{direct, integrity, installed_at,
// dependencies}->Version (one version per package id). `dependencies` are the resolved
// dependency ids as the lockfile records them.
// Parameters: $runId, $rows: [{project (project key), key (version key), id, version, direct,
//   integrity, installed_at, dependencies}].
UNWIND $rows AS r
MATCH (p:Project {key: r.project})
MERGE (v:Version {key: r.key})
ON CREATE SET v.id = r.id, v.version = r.version
MERGE (pkg:Package {id: r.id})
MERGE (v)-[:OF]->(pkg)
MERGE (p)-[l:LOCKS]->(v)
SET l.direct = r.direct,
    l.integrity = r.integrity,
    l.installed_at = r.installed_at,
    l.dependencies = r.dependencies,
    l.lastSynced = $runId
