// Prune: Advisory-AFFECTS edges this machine synced that this sync did not write.
// Parameters: $machine, $runId.
MATCH (:Advisory)-[e:AFFECTS]->()
WHERE e.machine = $machine AND e.lastSynced <> $runId
DELETE e
RETURN count(e) AS removed
