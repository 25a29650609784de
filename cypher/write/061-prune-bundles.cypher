// Prune: the bundles this machine owns that it no longer holds (not stamped by this bundle sync).
// Other machines' bundles are never touched.
// Parameters: $machine (machine name), $runId (this sync's stamp).
MATCH (b:Bundle {machine: $machine})
WHERE b.lastSynced <> $runId
DETACH DELETE b
RETURN count(b) AS pruned
