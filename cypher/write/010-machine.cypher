// Write: register the syncing machine and stamp this sync. A machine's first sync gives it the
// next sequence number: when machines know different metadata for one version, answers take the
// first non-empty value in machine order (the memory adapter's rule: earliest machine first).
// Parameters: $machine (machine name), $runId (this sync's stamp), $syncedAt (ISO-8601 time).
OPTIONAL MATCH (o:Machine)
WITH max(o.seq) AS top
MERGE (m:Machine {name: $machine})
ON CREATE SET m.seq = coalesce(top, 0) + 1, m.firstSynced = datetime($syncedAt)
SET m.lastSynced = $runId, m.syncedAt = datetime($syncedAt)
RETURN m.seq AS seq
