// Schema: find the Advisory-AFFECTS edges one machine synced (pruning).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE INDEX affects_machine IF NOT EXISTS FOR ()-[r:AFFECTS]-() ON (r.machine)
