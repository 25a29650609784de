// Schema: one Version node per `id@version` key (MERGE key of write/030-versions, write/042-project-locks).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT version_key IF NOT EXISTS FOR (n:Version) REQUIRE n.key IS UNIQUE
