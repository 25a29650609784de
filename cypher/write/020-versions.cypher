// Write: Version nodes (shared by every machine, keyed `id@version`), their OF edge to the Package,
// and this machine's KNOWS edge holding the metadata this machine knows for the version (a
// registry may deprecate or yank a version later, so metadata is kept per machine and merged
// when read). The node's own name/license/... hold the latest non-empty value, for ad-hoc queries.
// Parameters: $machine, $runId, $rows: [{key, id, version, name, author, license, integrity,
//   quality_score, production_ready, deprecated, yanked, published_at, size}] (absent = null).
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
    v.size = coalesce(r.size, v.size)
MERGE (p:Package {id: r.id})
MERGE (v)-[:OF]->(p)
MERGE (m)-[k:KNOWS]->(v)
SET k.name = r.name,
    k.author = r.author,
    k.license = r.license,
    k.integrity = r.integrity,
    k.quality_score = r.quality_score,
    k.production_ready = r.production_ready,
    k.deprecated = r.deprecated,
    k.yanked = r.yanked,
    k.published_at = r.published_at,
    k.size = r.size,
    k.lastSynced = $runId
