// Write: mark projects whose edges 031-033 just rewrote as current (the digest of the project as
// synced). Runs last for a project, so an interrupted sync rewrites it next time.
// Parameters: $rows: [{key (project key), digest}].
UNWIND $rows AS r
MATCH (p:Project {key: r.key})
SET p.digest = r.digest
