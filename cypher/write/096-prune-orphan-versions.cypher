// Prune: Version nodes no machine knows and no project locks any more (shared nodes: only
// removed once nothing refers to them).
// Parameters: none.
MATCH (v:Version)
WHERE NOT EXISTS { (v)<-[:KNOWS|LOCKS]-() }
DETACH DELETE v
RETURN count(v) AS removed
