// Read: the selected projects that declare requirements, each with its requirements and all of
// its locks (AnalysisQueries.unreachable: locks no path from a direct requirement reaches).
// Parameters: $project (project key, or null); $machine (machine name, or null; ignored when
//   $project is set).
// The adapter (src/graph/neo4j/analysis.ts, with MemoryAnalysis.unreachable) builds each project's
// LockGraph (src/graph/memory/lock-graph.ts), runs the breadth-first depths from the direct locks
// (src/graph/memory/depths.ts) and reports the locks with no depth, sorted by machine, path, id.
MATCH (p:Project)
WHERE (($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine)))
  AND EXISTS { (p)-[:REQUIRES]->(:Package) }
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       [(p)-[q:REQUIRES]->(pkg:Package) | {id: pkg.id, range: q.range, optional: q.optional}] AS requires,
       [(p)-[l:LOCKS]->(v:Version) | {id: v.id, version: v.version, direct: l.direct, dependencies: l.dependencies}] AS locks
