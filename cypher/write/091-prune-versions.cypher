// Prune: versions this machine no longer knows (it knew them at its last sync, not now): its KNOWS
// edge and the ranges it declared. The shared Version node stays while anything else refers to it
// (096-prune-orphan-versions).
// Parameters: $machine, $keys (version keys).
UNWIND $keys AS key
MATCH (v:Version {key: key})
FOREACH (old IN [(v)<-[k:KNOWS {machine: $machine}]-() | k] | DELETE old)
FOREACH (old IN [(v)-[q:REQUIRES {machine: $machine}]->() | q] | DELETE old)
RETURN count(v) AS removed
