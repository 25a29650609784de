// Schema: one Bundle node per bundle name.
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT bundle_name IF NOT EXISTS FOR (n:Bundle) REQUIRE n.name IS UNIQUE
