// Prune: KNOWS edges (this machine's knowledge of a version) that this sync did not write.
// Parameters: $machine, $runId.
MATCH (:Machine {name: $machine})-[k:KNOWS]->()
WHERE k.lastSynced <> $runId
DELETE k
RETURN count(k) AS removed
