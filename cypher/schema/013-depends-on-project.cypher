// Schema: find one project's resolved DEPENDS_ON edges (tree / why traversals).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE INDEX depends_on_project IF NOT EXISTS FOR ()-[r:DEPENDS_ON]-() ON (r.project)
