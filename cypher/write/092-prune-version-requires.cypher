// Prune: Version-REQUIRES edges this machine declared that this sync did not write.
// Parameters: $machine, $runId.
MATCH ()-[q:REQUIRES {machine: $machine}]->()
WHERE q.lastSynced <> $runId
DELETE q
RETURN count(q) AS removed
