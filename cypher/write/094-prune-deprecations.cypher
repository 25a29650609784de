// Prune: this machine's deprecation records that this sync did not stamp (taken back with
// `packs deprecate --undo`). Other machines' records are never touched.
// Parameters: $machine, $runId.
MATCH (d:Deprecation {machine: $machine})
WHERE d.lastSynced <> $runId
DELETE d
