// Schema: wait until every index above is online before the first query uses it.
// Parameters: none. Procedure db.awaitIndexes(timeOutSeconds).
CALL db.awaitIndexes(300)
