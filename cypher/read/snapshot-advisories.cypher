// Read (export): advisories with the version keys they affect.
// Parameters: none.
MATCH (a:Advisory)
RETURN a.id AS id, a.summary AS summary, a.severity AS severity, a.package AS package,
       a.aliases AS aliases, a.score AS score,
       [(a)-[:AFFECTS]->(v:Version) | v.key] AS affects
