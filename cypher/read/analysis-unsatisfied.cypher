// Read: every range a project's ggen.toml or one of its locked versions declares, with the
// version the project locks for the required id (AnalysisQueries.unsatisfied: which ranges the
// locks do not satisfy). A locked version's ranges are those of the first machine (in machine
// order) that knows the version.
// Parameters: $project (project key, or null); $machine (machine name, or null; ignored when
//   $project is set).
// Returns rows {project fields, id, requirer (`ggen.toml` or `id@version`), range, optional,
// locked (null when the project locks no version of id)}. The adapter keeps the rows whose locked
// version does not satisfy the range (semver) and the non-optional rows with nothing locked,
// then sorts by machine, path, id, requirer (`ggen.toml` first, then id, semver).
MATCH (p:Project)
WHERE ($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine))
UNWIND COLLECT {
  MATCH (p)-[q:REQUIRES]->(pkg:Package)
  OPTIONAL MATCH (p)-[:LOCKS]->(v:Version {id: pkg.id})
  RETURN {id: pkg.id, requirer: 'ggen.toml', range: q.range, optional: coalesce(q.optional, false), locked: v.version} AS row
  UNION ALL
  MATCH (p)-[:LOCKS]->(r:Version)
  WITH r, COLLECT { MATCH (m:Machine)-[:KNOWS]->(r) RETURN m.name ORDER BY m.seq, m.name LIMIT 1 } AS first
  MATCH (r)-[rq:REQUIRES]->(pkg:Package)
  WHERE rq.machine IN first
  OPTIONAL MATCH (p)-[:LOCKS]->(v:Version {id: pkg.id})
  RETURN {id: pkg.id, requirer: r.key, range: rq.range, optional: false, locked: v.version} AS row
} AS row
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       row.id AS id, row.requirer AS requirer, row.range AS range, row.optional AS optional, row.locked AS locked
