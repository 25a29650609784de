// Schema: find the resolved DEPENDS_ON edges one machine's projects contributed (pruning).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE INDEX depends_on_machine IF NOT EXISTS FOR ()-[r:DEPENDS_ON]-() ON (r.machine)
