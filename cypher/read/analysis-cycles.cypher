// Read: the resolved edges (DEPENDS_ON, one per project) of the selected projects, with each
// project's fields (AnalysisQueries.cycles). Cycles depend only on edges, so these suffice.
// Parameters: $project (project key, or null); $machine (machine name, or null; ignored when
//   $project is set).
// The adapter (src/graph/neo4j/analysis.ts, with MemoryAnalysis.cycles) groups rows by project,
// builds a LockGraph from the edges (src/graph/memory/lock-graph.ts) and reports one cycle per
// strongly connected component (src/graph/memory/cycles.ts), sorted by machine, path, first
// member.
MATCH (p:Project)
WHERE ($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine))
MATCH (a:Version)-[d:DEPENDS_ON {project: p.key}]->(b:Version)
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       a.id AS fromId, a.version AS fromVersion, b.id AS toId, b.version AS toVersion
