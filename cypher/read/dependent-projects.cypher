// Read: projects that lock a version of package $id (GraphStore.dependents, projects part).
// Parameters: $id (package id); $machine, $team, $owner (exact match, or null for any);
//   $transitive (true: also projects that lock it only as a dependency of another pack).
// The version range filter (semver) and the order (machine, path) are applied by the adapter.
MATCH (p:Project)-[l:LOCKS]->(v:Version {id: $id})
WHERE ($machine IS NULL OR p.machine = $machine)
  AND ($team IS NULL OR p.team = $team)
  AND ($owner IS NULL OR p.owner = $owner)
  AND ($transitive OR l.direct)
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner,
       v.version AS version, l.direct AS direct
