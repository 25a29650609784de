// Read: installed versions (locked by at least one project) with the projects locking them
// (GraphStore.listInstalled). `meta` holds what each machine knows of the version (KNOWS edges,
// tagged with the machine's sequence number); the adapter merges it, first non-empty value wins.
// Parameters: $machine (machine name, or null for every machine).
// Order (id, then semver; projects by machine, path) is applied by the adapter.
MATCH (p:Project)-[l:LOCKS]->(v:Version)
WHERE $machine IS NULL OR p.machine = $machine
WITH v, collect({key: p.key, name: p.name, path: p.path, machine: p.machine, team: p.team, owner: p.owner, installed_at: l.installed_at}) AS projects
OPTIONAL MATCH (m:Machine)-[k:KNOWS]->(v)
RETURN v.id AS id, v.version AS version, projects, collect(k {.*, _seq: m.seq, _machine: m.name}) AS meta
