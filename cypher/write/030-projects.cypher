// Write: this machine's Project nodes, keyed `machine:path`. A project belongs to one machine, so
// its properties are overwritten (a team or owner removed from ggen.toml becomes null).
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
