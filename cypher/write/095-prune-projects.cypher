// Prune: this machine's projects that no longer exist (not written by this sync), with their
// edges. Other machines' projects are never touched.
// Parameters: $machine, $runId.
MATCH (p:Project {machine: $machine})
WHERE p.lastSynced <> $runId
DETACH DELETE p
RETURN count(p) AS pruned
