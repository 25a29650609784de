// Write: this machine's audit entries, appended to the team trail (graph sync, after the team
// anchor moved forward: only entries of a log that verifies). Each row keeps the entry's exact
// JSON text, so readers re-check its hash and chain; the other properties are for filtering.
// Never rewrites an entry already there (ON CREATE only): the trail is append-only.
// Parameters: $machine (machine name), $rows (list of {key, seq, hash, prev_hash, timestamp,
// action, user, result, project, team, json}).
UNWIND $rows AS r
MERGE (e:AuditEntry {key: r.key})
ON CREATE SET e.machine = $machine, e.seq = r.seq, e.hash = r.hash, e.prev_hash = r.prev_hash,
  e.timestamp = r.timestamp, e.action = r.action, e.user = r.user, e.result = r.result,
  e.project = r.project, e.team = r.team, e.json = r.json
RETURN count(e) AS written
