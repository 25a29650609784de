// Write: what a project's ggen.toml asks for, Project-REQUIRES{range, optional, tier, env}->Package.
// A project's edges are replaced as a whole (deleted, then created), so a pack removed from
// ggen.toml disappears with the sync.
// Parameters: $runId, $rows: [{project (project key), requires: [{id (package id), range, optional,
//   tier, env}]}], one row per project.
UNWIND $rows AS r
MATCH (p:Project {key: r.project})
FOREACH (old IN [(p)-[q:REQUIRES]->() | q] | DELETE old)
WITH p, r
UNWIND r.requires AS req
MERGE (pkg:Package {id: req.id})
CREATE (p)-[:REQUIRES {range: req.range, optional: req.optional, tier: req.tier, env: req.env, lastSynced: $runId}]->(pkg)
