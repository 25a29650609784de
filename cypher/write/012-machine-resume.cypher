// Write: a sync with nothing to write. When this machine's last sync is still the one the team
// graph holds (its stamp $runId, set by 010-machine; any later sync of this machine name changes
// it), only the time it was last seen is updated; no row is returned otherwise, and the caller
// syncs in full.
// Parameters: $machine (machine name), $runId (the stamp of this machine's last sync), $syncedAt (ISO-8601 time).
MATCH (m:Machine {name: $machine})
WHERE m.lastSynced = $runId
SET m.syncedAt = datetime($syncedAt)
RETURN m.seq AS seq
