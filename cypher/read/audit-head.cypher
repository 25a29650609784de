// Read: the last audit entry of a machine already in the team trail (no row: none yet).
// Parameters: $machine (machine name).
MATCH (e:AuditEntry {machine: $machine})
RETURN e.seq AS seq, e.hash AS hash
ORDER BY e.seq DESC
LIMIT 1
