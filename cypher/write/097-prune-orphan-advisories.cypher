// Prune: Advisory nodes that affect no version in the graph any more.
// Parameters: none.
MATCH (a:Advisory)
WHERE NOT EXISTS { (a)-[:AFFECTS]->() }
DELETE a
RETURN count(a) AS removed
