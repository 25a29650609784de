// Read: every project, or one machine's (GraphStore.projects).
// Parameters: $machine (machine name, or null for every machine).
// Order (machine, then path) is applied by the adapter, as in the memory adapter.
MATCH (p:Project)
WHERE $machine IS NULL OR p.machine = $machine
RETURN p.key AS key, p.name AS name, p.path AS path, p.machine AS machine, p.team AS team, p.owner AS owner
