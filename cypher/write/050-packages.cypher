// Write: Package metadata (shared; the latest non-empty value wins). Runs after the edges so that
// a package node is never left unlinked while another machine prunes orphans.
// Parameters: $rows: [{id, name, description, author, license, category, keywords}].
UNWIND $rows AS r
MERGE (p:Package {id: r.id})
SET p.name = coalesce(r.name, p.name),
    p.description = coalesce(r.description, p.description),
    p.author = coalesce(r.author, p.author),
    p.license = coalesce(r.license, p.license),
    p.category = coalesce(r.category, p.category),
    p.keywords = coalesce(r.keywords, p.keywords)
