// Prune: this machine's projects that no longer exist (not stamped by this sync), with their
// edges, including the resolved DEPENDS_ON edges that carry their key. Other machines' projects are
// never touched.
// Parameters: $machine, $runId.
MATCH (p:Project {machine: $machine})
WHERE p.lastSynced <> $runId
CALL (p) {
  MATCH ()-[d:DEPENDS_ON {project: p.key}]->()
  DELETE d
}
DETACH DELETE p
RETURN count(p) AS pruned
