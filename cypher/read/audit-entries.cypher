// Read: the team audit trail (graph sync pushes each machine's entries), oldest first per machine;
// the caller parses `json` (the entry as written) and applies the remaining filters.
// Parameters: $machine (a machine name, or null for every machine), $team (a team, or null).
MATCH (e:AuditEntry)
WHERE ($machine IS NULL OR e.machine = $machine) AND ($team IS NULL OR e.team = $team)
RETURN e.machine AS machine, e.seq AS seq, e.json AS json
ORDER BY machine, seq
