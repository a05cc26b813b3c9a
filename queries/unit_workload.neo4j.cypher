// name: unit_workload
// answers: How many measures does a unit lead and support, document by document?
// params: unit (string)
// columns: document, lead, support
MATCH (u:Unit) WHERE u.name = $unit OR $unit IN u.aliases
MATCH (m:Measure)-[r:LEAD_BY|RESPONSIBLE]->(u), (m)-[:PART_OF]->(d:Document)
WITH d.title AS document, m, type(r) AS role
RETURN document,
       count(DISTINCT CASE WHEN role = "LEAD_BY" THEN m.id END) AS lead,
       count(DISTINCT CASE WHEN role = "RESPONSIBLE" THEN m.id END) AS support
ORDER BY document
