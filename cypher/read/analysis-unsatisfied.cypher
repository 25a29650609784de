// Read: the selected projects, each with what its ggen.toml requires, what it locks, and the
// ranges its locked versions declare (AnalysisQueries.unsatisfied: which ranges the locks do not
// satisfy). A locked version's ranges are those of the first machine (in machine order) that
// knows the version.
// Parameters: $project (project key, or null); $machine (machine name, or null; ignored when
//   $project is set).
// Returns per project: the project fields, requires [{id, range, optional}], locks [{id, version}]
// and declared [{of, version (the locked version declaring), id, range}]. The adapter
// (src/graph/neo4j/analysis.ts) turns them into project and version rows and MemoryAnalysis
// (src/graph/memory/analysis.ts) answers: the ranges the project's lock of the id does not
// satisfy (semver), and required ids nothing is locked for (optional ggen.toml ones excepted),
// sorted by machine, path, id, requirer. (One row per project, not per range: matching each
// range to the project's lock in Cypher costs about three times as much.)
MATCH (p:Project)
WHERE ($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine))
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       [(p)-[q:REQUIRES]->(pkg:Package) | {id: pkg.id, range: q.range, optional: q.optional}] AS requires,
       [(p)-[:LOCKS]->(v:Version) | {id: v.id, version: v.version}] AS locks,
       COLLECT {
         MATCH (p)-[:LOCKS]->(r:Version)
         WITH r, COLLECT { MATCH (m:Machine)-[:KNOWS]->(r) RETURN m.name ORDER BY m.seq, m.name LIMIT 1 } AS first
         MATCH (r)-[rq:REQUIRES]->(pkg:Package)
         WHERE rq.machine IN first
         RETURN {of: r.id, version: r.version, id: pkg.id, range: rq.range}
       } AS declared
