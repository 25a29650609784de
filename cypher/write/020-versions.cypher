// Write: versions this machine knows that are new or changed since its last sync. Version nodes
// are shared by every machine (keyed `id@version`, with an OF edge to their Package); what this
// machine says of a version is its own: the KNOWS{machine, digest} edge holds the metadata (a
// registry may deprecate or yank a version later, answers merge machines in order) and
// Version-REQUIRES{range, machine}->Package the ranges it declares. Both are replaced (found from
// the version side, deleted, created): MERGE of edges into the Machine node or a popular package
// grows quadratic inside a transaction on a first sync. The node's own name/license/... hold the
// latest non-empty value, for ad-hoc queries only.
// `source` (where this machine's projects installed the version from) and `store_entry` (the
// entry directory when this machine's store holds it) are facts about this machine only: they
// live on its KNOWS edge, never on the shared node.
// Parameters: $machine, $runId, $rows: [{key, id, version, digest, name, author, license, integrity,
//   quality_score, production_ready, deprecated, yanked, published_at, size, description, source,
//   store_entry, requires: [{package (id), range}]}] (absent values are null).
MATCH (m:Machine {name: $machine})
UNWIND $rows AS r
MERGE (v:Version {key: r.key})
ON CREATE SET v.id = r.id, v.version = r.version
SET v.name = coalesce(r.name, v.name),
    v.author = coalesce(r.author, v.author),
    v.license = coalesce(r.license, v.license),
    v.integrity = coalesce(r.integrity, v.integrity),
    v.quality_score = coalesce(r.quality_score, v.quality_score),
    v.production_ready = coalesce(r.production_ready, v.production_ready),
    v.deprecated = coalesce(r.deprecated, v.deprecated),
    v.yanked = coalesce(r.yanked, v.yanked),
    v.published_at = coalesce(r.published_at, v.published_at),
    v.size = coalesce(r.size, v.size),
    v.description = coalesce(r.description, v.description)
MERGE (p:Package {id: r.id})
MERGE (v)-[:OF]->(p)
FOREACH (old IN [(v)<-[k:KNOWS {machine: $machine}]-() | k] | DELETE old)
FOREACH (old IN [(v)-[q:REQUIRES {machine: $machine}]->() | q] | DELETE old)
CREATE (m)-[:KNOWS {
  machine: $machine,
  digest: r.digest,
  name: r.name,
  author: r.author,
  license: r.license,
  integrity: r.integrity,
  quality_score: r.quality_score,
  production_ready: r.production_ready,
  deprecated: r.deprecated,
  yanked: r.yanked,
  published_at: r.published_at,
  size: r.size,
  description: r.description,
  source: r.source,
  store_entry: r.store_entry,
  lastSynced: $runId
}]->(v)
WITH v, r
UNWIND r.requires AS req
MERGE (dep:Package {id: req.package})
CREATE (v)-[:REQUIRES {machine: $machine, range: req.range, lastSynced: $runId}]->(dep)
