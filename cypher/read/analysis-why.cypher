// Read: the projects that lock a version of package $id, each with the locks that can lie on a
// path to it (AnalysisQueries.why: through which paths does $id come into each project).
// Parameters: $id (package id); $project (project key, or null: every project);
//   $machine (machine name, or null; ignored when $project is set).
// Only the target's ancestors in the project's graph (the locks with a DEPENDS_ON{project} path
// to it, the target included) are returned: every path from a direct lock to the target runs
// through ancestors only, and a breadth-first search never reaches an ancestor from a lock that is
// not one, so the paths, their order and their count are those of the whole graph. The planner
// answers the variable-length pattern with a pruning breadth-first expand (no path enumeration).
// The adapter (src/graph/neo4j/analysis.ts, with MemoryAnalysis.why) builds each project's
// LockGraph (src/graph/memory/lock-graph.ts) from these locks and enumerates the simple paths from
// the direct locks to $id shortest first (src/graph/memory/simple-paths.ts), then sorts projects
// by machine, path.
MATCH (p:Project)-[:LOCKS]->(t:Version {id: $id})
WHERE ($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine))
CALL (p, t) {
  MATCH (a:Version)-[:DEPENDS_ON*0.. {project: p.key}]->(t)
  RETURN collect(DISTINCT a.key) AS ancestors
}
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       [(p)-[l:LOCKS]->(v:Version) WHERE v.key IN ancestors | {id: v.id, version: v.version, direct: l.direct, dependencies: l.dependencies}] AS locks
