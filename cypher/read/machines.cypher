// Read: the machines that synced into this graph, with when and how many projects they hold.
// Parameters: none.
MATCH (m:Machine)
RETURN m.name AS name, m.seq AS seq, m.syncedAt AS syncedAt,
       COUNT { MATCH (p:Project) WHERE p.machine = m.name } AS projects,
       COUNT { (m)-[:KNOWS]->() } AS versions
ORDER BY m.seq, m.name
