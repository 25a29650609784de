// Read: what a machine contributed at its last sync, so a sync writes only what changed: its
// projects with their digests, and the versions it knows with the digest of what it said of them.
// Parameters: $machine (machine name).
MATCH (p:Project {machine: $machine})
RETURN 'project' AS kind, p.key AS key, p.digest AS digest
UNION ALL
MATCH (:Machine {name: $machine})-[k:KNOWS]->(v:Version)
RETURN 'version' AS kind, v.key AS key, k.digest AS digest
