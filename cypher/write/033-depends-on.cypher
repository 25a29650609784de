// Write: resolved edges, Version-DEPENDS_ON{project, machine}->Version. An edge belongs to one
// project (the `project` key): in that project the lock of `from` depends on the project's lock
// of `to`'s id. Traversals for one project follow DEPENDS_ON edges with its key. A project's
// edges are replaced as a whole (found through the DEPENDS_ON(project) index, deleted, created).
// Parameters: $machine, $runId, $rows: [{project (project key), edges: [{from, to} (version keys)]}],
//   one row per project.
UNWIND $rows AS r
CALL (r) {
  MATCH ()-[old:DEPENDS_ON {project: r.project}]->()
  DELETE old
}
WITH r
UNWIND r.edges AS e
MATCH (a:Version {key: e.from})
MATCH (b:Version {key: e.to})
CREATE (a)-[:DEPENDS_ON {project: r.project, machine: $machine, lastSynced: $runId}]->(b)
