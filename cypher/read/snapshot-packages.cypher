// Read (export): every Package node with its metadata.
// Parameters: none.
MATCH (p:Package)
RETURN p.id AS id, p.name AS name, p.description AS description, p.author AS author, p.license AS license,
       p.category AS category, p.keywords AS keywords
