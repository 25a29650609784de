// Write: Advisory nodes (shared; the latest non-empty summary and severity win).
// Parameters: $rows: [{id, summary, severity, package}].
UNWIND $rows AS r
MERGE (a:Advisory {id: r.id})
SET a.summary = coalesce(r.summary, a.summary),
    a.severity = coalesce(r.severity, a.severity),
    a.package = r.package
