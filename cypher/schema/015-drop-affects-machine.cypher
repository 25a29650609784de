// Schema: drop the AFFECTS(machine) index earlier versions created (same reason as
// 014-drop-requires-machine: edges are found from their nodes).
// Parameters: none. Idempotent (IF EXISTS).
DROP INDEX affects_machine IF EXISTS
