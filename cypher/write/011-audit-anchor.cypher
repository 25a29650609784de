// Write: the team copy of a machine's audit anchor (entry count and head hash of its local
// audit log), which `packs audit --verify --backend neo4j` checks the local log against. Forward
// only: a count below the stored one is not written, so a truncated log cannot lower the copy
// (no row comes back then). Runs after write/010-machine, which creates the Machine node.
// Parameters: $machine (machine name), $count (entries), $head (sha256 of the last entry, 64 zeros
// for none), $anchoredAt (ISO-8601 time).
MATCH (m:Machine {name: $machine})
WHERE m.auditCount IS NULL OR m.auditCount <= $count
SET m.auditCount = $count, m.auditHead = $head, m.auditAnchoredAt = datetime($anchoredAt)
RETURN m.auditCount AS count
