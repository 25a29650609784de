// Read: each project in scope with what it locks (GraphStore.projectLocks: compliance checks such
// as `bundle apply NAME --validate-all-projects --backend neo4j`).
// Parameters: $project (a project key, or null), $machine (a machine name, or null: ignored when
// $project is given), $team (a team name, or null for every team).
// Order (machine, then path; locks by id) is applied by the adapter, as in the memory adapter.
MATCH (p:Project)
WHERE ($project IS NULL OR p.key = $project)
  AND ($machine IS NULL OR p.machine = $machine)
  AND ($team IS NULL OR p.team = $team)
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       [(p)-[l:LOCKS]->(v:Version) | {id: v.id, version: v.version, direct: l.direct}] AS locks
