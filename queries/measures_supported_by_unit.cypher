// name: measures_supported_by_unit
// answers: Which measures does a unit support (责任, 配合, 协同 …)? The unit is given by its full or printed name.
// params: unit (string)
// columns: measure, number, title, document
MATCH (u:Unit) WHERE u.name = $unit OR $unit IN u.aliases
MATCH (m:Measure)-[:RESPONSIBLE]->(u), (m)-[:PART_OF]->(d:Document)
RETURN DISTINCT m.id AS measure, coalesce(m.number, "") AS number, coalesce(m.title, "") AS title, d.title AS document
ORDER BY measure
