// Read: the indexes and constraints' backing indexes present, with their state, so connect applies
// cypher/schema/* only when one is missing or not yet online.
// Parameters: none.
SHOW INDEXES YIELD name, state
RETURN name, state
