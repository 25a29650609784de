// Example for `ggen packs query --file`: how many projects each machine synced.
// Parameters: none.
MATCH (p:Project) RETURN p.machine AS machine, count(*) AS projects ORDER BY machine
