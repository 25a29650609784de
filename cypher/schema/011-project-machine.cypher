// Schema: find one machine's projects (pruning, --machine filters).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE INDEX project_machine IF NOT EXISTS FOR (n:Project) ON (n.machine)
