// Prune: resolved DEPENDS_ON edges this machine's projects contributed that this sync did not write.
// Parameters: $machine, $runId.
MATCH ()-[d:DEPENDS_ON {machine: $machine}]->()
WHERE d.lastSynced <> $runId
DELETE d
RETURN count(d) AS removed
