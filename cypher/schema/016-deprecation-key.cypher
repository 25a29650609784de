// Schema: one Deprecation node per machine, kind, package and range (MERGE key of
// write/060-deprecations; the key is `machine|kind|id|range`).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT deprecation_key IF NOT EXISTS FOR (n:Deprecation) REQUIRE n.key IS UNIQUE
