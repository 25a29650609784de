// Schema: find the Version-REQUIRES edges one machine declared (pruning; version ranges are per machine).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE INDEX requires_machine IF NOT EXISTS FOR ()-[r:REQUIRES]-() ON (r.machine)
