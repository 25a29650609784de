// Write: the bundles this machine holds ($GGEN_HOME/bundles), one Bundle node each, the whole
// bundle as JSON in `json` (read back and validated by the adapter), its teams and enforcement for
// queries. The machine that syncs a bundle last owns it (`machine`), so a bundle imported on a
// second machine and synced from there moves to that machine; only its owner prunes it.
// Parameters: $machine (machine name), $runId (this sync's stamp), $rows: [{name, json, teams,
//   enforcement, updated_at}].
UNWIND $rows AS r
MERGE (b:Bundle {name: r.name})
SET b.json = r.json, b.teams = r.teams, b.enforcement = r.enforcement, b.updated_at = r.updated_at,
    b.machine = $machine, b.lastSynced = $runId
RETURN count(b) AS written
