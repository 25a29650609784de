// Schema: one AuditEntry node per machine and sequence number (key = "<machine>#<seq>"), the MERGE
// key of write/070-audit-entries.
// Parameters: none. Idempotent (IF NOT EXISTS).
CREATE CONSTRAINT audit_entry_key IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.key IS UNIQUE
