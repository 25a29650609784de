// Write: resolved edges, Version-DEPENDS_ON{project, machine}->Version. An edge belongs to one
// project (the `project` key): in that project the lock of `from` depends on the project's lock
// of `to`'s id. Traversals for one project follow DEPENDS_ON edges with its key.
// Parameters: $machine, $runId, $rows: [{project (project key), from (version key), to (version key)}].
UNWIND $rows AS r
MATCH (a:Version {key: r.from})
MATCH (b:Version {key: r.to})
MERGE (a)-[d:DEPENDS_ON {project: r.project}]->(b)
SET d.machine = $machine, d.lastSynced = $runId
