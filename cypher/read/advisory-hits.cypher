// Read: every locked version an advisory affects, with the projects in scope that lock it
// (AdvisoryQueries.advisoryHits: the security scan, "which projects across the team are affected").
// Parameters: $project (project key, or null: every project);
//   $machine (machine name, or null; ignored when $project is set).
// AFFECTS edges are one per machine that synced the advisory: DISTINCT folds them. The adapter
// sorts rows by package, version (semver), advisory id and projects by machine, path.
MATCH (a:Advisory)-[:AFFECTS]->(v:Version)<-[:LOCKS]-(p:Project)
WHERE ($project IS NOT NULL AND p.key = $project)
   OR ($project IS NULL AND ($machine IS NULL OR p.machine = $machine))
WITH DISTINCT a, v, p
RETURN a.id AS id, a.summary AS summary, a.severity AS severity, a.aliases AS aliases, a.score AS score,
       v.id AS package, v.version AS version,
       collect({key: p.key, name: p.name, path: p.path, machine: p.machine, team: p.team, owner: p.owner}) AS projects
