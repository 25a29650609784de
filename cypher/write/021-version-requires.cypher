// Write: the ranges a version declares, Version-REQUIRES{range, machine}->Package. One edge per
// declaring machine, so a machine's re-sync retracts only what it declared; answers use the
// ranges of the first machine (in machine order) that knows the version.
// Parameters: $machine, $runId, $rows: [{key (version key), package (required id), range}].
UNWIND $rows AS r
MATCH (v:Version {key: r.key})
MERGE (p:Package {id: r.package})
MERGE (v)-[q:REQUIRES {machine: $machine}]->(p)
SET q.range = r.range, q.lastSynced = $runId
