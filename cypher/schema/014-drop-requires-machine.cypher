// Schema: drop the REQUIRES(machine) index earlier versions created. The planner chose it for
// "this version's REQUIRES edges of machine M" and scanned every edge of M per version (a quadratic
// sync); edges are found from their version instead.
// Parameters: none. Idempotent (IF EXISTS).
DROP INDEX requires_machine IF EXISTS
