// Read: every machine's deprecation and yank records (write/060-deprecations), in a fixed order.
// Parameters: none.
MATCH (d:Deprecation)
RETURN d.machine AS machine, d.kind AS kind, d.id AS id, d.range AS range, d.message AS message,
       d.replacement AS replacement, d.user AS user, d.at AS at
ORDER BY machine, id, range, kind
