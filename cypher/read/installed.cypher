// Read: installed versions (locked by at least one project) with who locks them
// (GraphStore.listInstalled): `uses` holds each locking project's key and install time (the
// adapter joins them with read/projects), `meta` what each machine knows of the version (KNOWS
// edges with the machine's sequence number; merged by the adapter, first non-empty value wins,
// except `store_entry`, which the adapter reads from the querying machine's own edge).
// Parameters: $machine (machine name, or null for every machine).
// Order (id, then semver; projects by machine, path) is applied by the adapter.
MATCH (p:Project)-[l:LOCKS]->(v:Version)
WHERE $machine IS NULL OR p.machine = $machine
WITH v, collect({key: p.key, at: l.installed_at}) AS uses
RETURN v.id AS id, v.version AS version, uses,
       [(v)<-[k:KNOWS]-(m:Machine) | k {.name, .author, .license, .integrity, .quality_score, .production_ready, .deprecated, .yanked, .size, .description, .source, .store_entry, _seq: m.seq, _machine: m.name}] AS meta
