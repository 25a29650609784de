// Schema: drop the DEPENDS_ON(machine) index earlier versions created: nothing looks resolved
// edges up by machine any more (a project's edges are found by its key, 013-depends-on-project).
// Parameters: none. Idempotent (IF EXISTS).
DROP INDEX depends_on_machine IF EXISTS
