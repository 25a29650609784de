// Write: Advisory nodes (shared; the latest non-empty summary, severity, aliases and score win).
// Parameters: $rows: [{id, summary, severity, package, aliases, score}].
UNWIND $rows AS r
MERGE (a:Advisory {id: r.id})
SET a.summary = coalesce(r.summary, a.summary),
    a.severity = coalesce(r.severity, a.severity),
    a.aliases = coalesce(r.aliases, a.aliases),
    a.score = coalesce(r.score, a.score),
    a.package = r.package
