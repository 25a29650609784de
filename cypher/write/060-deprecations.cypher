// Write: this machine's deprecation and yank records (its overlay, $GGEN_HOME/overlay/
// deprecations.json), so every reader of the team graph sees them. One node per record, stamped
// with the run id; write/094-prune-deprecations deletes the ones this sync did not stamp (undone).
// Parameters: $runId, $rows: [{key, machine, kind, id, range, message, replacement, user, at}].
UNWIND $rows AS r
MERGE (d:Deprecation {key: r.key})
SET d.machine = r.machine,
    d.kind = r.kind,
    d.id = r.id,
    d.range = r.range,
    d.message = r.message,
    d.replacement = r.replacement,
    d.user = r.user,
    d.at = r.at,
    d.lastSynced = $runId
