// Read: the team copy of a machine's audit anchor, written by write/011-audit-anchor at sync
// (no row: the machine never synced one).
// Parameters: $machine (machine name).
MATCH (m:Machine {name: $machine})
WHERE m.auditCount IS NOT NULL
RETURN m.auditCount AS count, m.auditHead AS head, m.auditAnchoredAt AS anchoredAt
