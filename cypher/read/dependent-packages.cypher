// Read: known versions that declare a range on package $id (GraphStore.dependents, packages part).
// A version's ranges are those of the first machine (in machine order) that knows the version.
// Parameters: $id (package id).
// The range-intersection filter (semver) and the order (id, semver, range) are applied by the adapter.
MATCH (v:Version)-[:REQUIRES]->(:Package {id: $id})
WITH DISTINCT v
MATCH (m:Machine)-[:KNOWS]->(v)
WITH v, m ORDER BY m.seq, m.name
WITH v, head(collect(m.name)) AS first
MATCH (v)-[r:REQUIRES {machine: first}]->(:Package {id: $id})
RETURN v.id AS id, v.version AS version, r.range AS range
