// name: region_workload
// answers: The workload table of a region: each unit with its type and how many measures it leads and supports.
// params: region (region name, e.g. 恩阳区)
// columns: unit_type, unit, lead, support
MATCH (u:Unit)-[:IN_REGION]->(:Region {name: $region})
OPTIONAL MATCH (led:Measure)-[:LEAD_BY]->(u)
WITH u, count(DISTINCT led.id) AS lead
OPTIONAL MATCH (sup:Measure)-[:RESPONSIBLE]->(u)
RETURN u.type AS unit_type, u.name AS unit, lead, count(DISTINCT sup.id) AS support
ORDER BY unit_type, unit
