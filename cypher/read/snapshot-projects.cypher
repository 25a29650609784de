// Read (export): projects (one machine's, or every machine's) with what each requires and locks.
// Parameters: $machine (machine name, or null for every machine).
MATCH (p:Project)
WHERE $machine IS NULL OR p.machine = $machine
RETURN p.key AS key, p.path AS path, p.name AS name, p.team AS team, p.owner AS owner,
       p.environment AS environment, p.machine AS machine,
       [(p)-[q:REQUIRES]->(pkg:Package) | {id: pkg.id, range: q.range, optional: q.optional, tier: q.tier, env: q.env}] AS requires,
       [(p)-[l:LOCKS]->(v:Version) | {id: v.id, version: v.version, direct: l.direct, integrity: l.integrity,
         installed_at: l.installed_at, dependencies: l.dependencies}] AS locks
