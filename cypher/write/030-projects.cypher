// Write: every project of this machine, keyed `machine:path`, stamped with this sync's run id
// (projects not stamped are pruned by 095-prune-projects). A project belongs to one machine, so its
// properties are overwritten (a team or owner removed from ggen.toml becomes null). Its edges are
// written by 031-033 only when the project changed (its digest, set by 034, differs).
// Parameters: $runId, $rows: [{key, path, name, team, owner, environment, machine}].
UNWIND $rows AS r
MERGE (p:Project {key: r.key})
SET p.path = r.path,
    p.name = r.name,
    p.team = r.team,
    p.owner = r.owner,
    p.environment = r.environment,
    p.machine = r.machine,
    p.lastSynced = $runId
