// Read: every bundle of the team graph (`bundle list|show|apply --backend neo4j`), as written by
// write/060-bundles. Parameters: none. Order (by name) is applied by the adapter.
MATCH (b:Bundle)
RETURN b.name AS name, b.json AS json, b.machine AS machine
