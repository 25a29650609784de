// Read: packages locked at two or more versions across the selected projects, with the projects
// on each version (AnalysisQueries.drift: version drift across projects).
// Parameters: $machine, $team, $owner (exact match, or null for any); $ids (package ids, or null
//   for every package).
// The adapter (src/graph/neo4j/analysis.ts) sorts packages by id, versions by semver (versions
// semver ranks equal, such as 1.0.0+a and 1.0.0+b, by their first project) and projects by
// machine, path.
MATCH (p:Project)-[:LOCKS]->(v:Version)
WHERE ($machine IS NULL OR p.machine = $machine)
  AND ($team IS NULL OR p.team = $team)
  AND ($owner IS NULL OR p.owner = $owner)
  AND ($ids IS NULL OR v.id IN $ids)
WITH v.id AS id, v.version AS version,
     collect({key: p.key, name: p.name, path: p.path, machine: p.machine, team: p.team, owner: p.owner}) AS projects
WITH id, collect({version: version, projects: projects}) AS versions
WHERE size(versions) > 1
RETURN id, versions
