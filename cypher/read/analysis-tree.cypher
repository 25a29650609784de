// Read: one project's resolved graph (AnalysisQueries.tree): the project, what its ggen.toml
// requires, and every lock with the dependency ids the lockfile records for it.
// Parameters: $project (project key `machine:path`). No row when there is no such project.
// The adapter (src/graph/neo4j/analysis.ts, with MemoryAnalysis.tree) builds the LockGraph
// (src/graph/memory/lock-graph.ts: a lock depends on the project's lock of each recorded id; other
// ids are dangling), computes depths (src/graph/memory/depths.ts), applies the depth cut and sorts
// (ids; requirements by id).
MATCH (p:Project {key: $project})
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       [(p)-[q:REQUIRES]->(pkg:Package) | {id: pkg.id, range: q.range, optional: q.optional}] AS requires,
       [(p)-[l:LOCKS]->(v:Version) | {id: v.id, version: v.version, direct: l.direct, dependencies: l.dependencies}] AS locks
