// Read: the projects that lock a version of package $id, each with all of its locks
// (AnalysisQueries.why: through which paths does $id come into each project).
// Parameters: $id (package id); $project (project key, or null: every project);
//   $machine (machine name, or null; ignored when $project is set).
// The adapter (src/graph/neo4j/analysis.ts, with MemoryAnalysis.why) builds each project's
// LockGraph (src/graph/memory/lock-graph.ts) and enumerates the simple paths from the direct locks
// to $id shortest first (src/graph/memory/simple-paths.ts), then sorts projects by machine, path.
MATCH (p:Project)-[:LOCKS]->(:Version {id: $id})
WHERE ($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine))
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       [(p)-[l:LOCKS]->(v:Version) | {id: v.id, version: v.version, direct: l.direct, dependencies: l.dependencies}] AS locks
