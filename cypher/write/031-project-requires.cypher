// Write: what a project's ggen.toml asks for, Project-REQUIRES{range, optional, tier, env}->Package.
// Parameters: $runId, $rows: [{project (project key), id (package id), range, optional, tier, env}].
UNWIND $rows AS r
MATCH (p:Project {key: r.project})
MERGE (pkg:Package {id: r.id})
MERGE (p)-[q:REQUIRES]->(pkg)
SET q.range = r.range,
    q.optional = r.optional,
    q.tier = r.tier,
    q.env = r.env,
    q.lastSynced = $runId
