// Schema: one Advisory node per advisory id (MERGE key of write/050-advisories).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT advisory_id IF NOT EXISTS FOR (n:Advisory) REQUIRE n.id IS UNIQUE
