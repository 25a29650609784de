// Prune: REQUIRES and LOCKS edges of this machine's projects that this sync did not write
// (a pack removed from ggen.toml, a lock moved to another version).
// Parameters: $machine, $runId.
MATCH (:Project {machine: $machine})-[e:REQUIRES|LOCKS]->()
WHERE e.lastSynced <> $runId
DELETE e
RETURN count(e) AS removed
