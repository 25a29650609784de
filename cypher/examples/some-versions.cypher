// Example for `ggen packs query --file ... --param n=5`: the first few version keys.
// Parameters: $n (how many).
MATCH (v:Version) RETURN v.key AS key ORDER BY key LIMIT $n
