// Read (export): known versions (one machine's, or every machine's) with the metadata and declared
// ranges of each knowing machine (tagged with machine and sequence number; the adapter merges them).
// Parameters: $machine (machine name, or null for every machine).
MATCH (m:Machine)-[k:KNOWS]->(v:Version)
WHERE $machine IS NULL OR m.name = $machine
WITH v, collect(k {.*, _seq: m.seq, _machine: m.name}) AS meta
RETURN v.id AS id, v.version AS version, meta,
       [(v)-[r:REQUIRES]->(p:Package) | {package: p.id, range: r.range, machine: r.machine}] AS requires
