// Schema: one Machine node per machine name (MERGE key of write/010-machine).
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT machine_name IF NOT EXISTS FOR (n:Machine) REQUIRE n.name IS UNIQUE
