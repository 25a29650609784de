// Example for `ggen packs query --file ... --param id=ID`: the projects locking any version of a package.
// Parameters: $id (a package id).
MATCH (p:Project)-[:LOCKS]->(v:Version {id: $id}) RETURN p.path AS project, v.version AS version ORDER BY project
