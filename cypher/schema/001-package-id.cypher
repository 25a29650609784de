// Schema: one Package node per package id (MERGE key of write/020-packages).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT package_id IF NOT EXISTS FOR (n:Package) REQUIRE n.id IS UNIQUE
