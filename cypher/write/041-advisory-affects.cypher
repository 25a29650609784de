// Write: Advisory-AFFECTS{machine}->Version for versions already in the graph (one edge per
// machine that synced the advisory, so re-syncs retract only their own).
// Parameters: $machine, $runId, $rows: [{id (advisory id), key (version key)}].
UNWIND $rows AS r
MATCH (a:Advisory {id: r.id})
MATCH (v:Version {key: r.key})
MERGE (a)-[e:AFFECTS {machine: $machine}]->(v)
SET e.lastSynced = $runId
