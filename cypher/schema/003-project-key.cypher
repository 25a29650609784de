// Schema: one Project node per `machine:path` key (MERGE key of write/040-projects).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.key IS UNIQUE
