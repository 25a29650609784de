// Prune: Advisory-AFFECTS edges this machine synced that this sync did not write.
// Parameters: $machine, $runId.
MATCH ()-[e:AFFECTS {machine: $machine}]->()
WHERE e.lastSynced <> $runId
DELETE e
RETURN count(e) AS removed
