// Read: every project that locks, requires, or locks a version declaring a range on package $id,
// with the locked version of $id and every requirer's range on it (AnalysisQueries.requirers:
// the input of `packs impact` and `packs resolve`). A locked version's ranges are those of the
// first machine (in machine order) that knows the version, as in read/dependent-packages.
// Parameters: $id (package id); $project (project key, or null); $machine (machine name, or null;
//   ignored when $project is set); $team, $owner (exact match, or null for any).
// Returns per project: version (null when not locked), direct, ownRange (the ggen.toml range, or
// null) and versionRequirers [{requirer: `id@version`, range}]. The adapter
// (src/graph/neo4j/analysis.ts) drops projects with no version, no ownRange and no
// versionRequirers, puts `ggen.toml` first, sorts requirers by id and semver and projects by
// machine, path.
MATCH (pkg:Package {id: $id})
UNWIND COLLECT {
  MATCH (p:Project)-[:LOCKS]->(:Version {id: $id}) RETURN p
  UNION
  MATCH (p:Project)-[:REQUIRES]->(pkg) RETURN p
  UNION
  MATCH (p:Project)-[:LOCKS]->(:Version)-[:REQUIRES]->(pkg) RETURN p
} AS p
WITH pkg, p
WHERE (($project IS NOT NULL AND p.key = $project) OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine)))
  AND ($team IS NULL OR p.team = $team)
  AND ($owner IS NULL OR p.owner = $owner)
OPTIONAL MATCH (p)-[l:LOCKS]->(v:Version {id: $id})
OPTIONAL MATCH (p)-[q:REQUIRES]->(pkg)
WITH pkg, p, v, l, q,
     COLLECT {
       MATCH (p)-[:LOCKS]->(r:Version)-[:REQUIRES]->(pkg)
       WITH DISTINCT r
       WITH r, COLLECT { MATCH (m:Machine)-[:KNOWS]->(r) RETURN m.name ORDER BY m.seq, m.name LIMIT 1 } AS first
       MATCH (r)-[rq:REQUIRES]->(pkg)
       WHERE rq.machine IN first
       RETURN {requirer: r.key, range: rq.range}
     } AS versionRequirers
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       v.version AS version, coalesce(l.direct, q IS NOT NULL) AS direct, q.range AS ownRange, versionRequirers
