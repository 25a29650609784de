// Prune: Package nodes nothing refers to any more (no version, no project, no requirement).
// Parameters: none.
MATCH (p:Package)
WHERE NOT EXISTS { (p)--() }
DELETE p
RETURN count(p) AS removed
