// Schema: find every Version of a package id (read/dependent-projects starts here).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE INDEX version_id IF NOT EXISTS FOR (n:Version) ON (n.id)
