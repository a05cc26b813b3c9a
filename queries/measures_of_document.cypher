// name: measures_of_document
// answers: The measures of one document, section by section, in reading order.
// params: document (document id, e.g. doc-d53e1a7690b6)
// columns: section, number, title, start
MATCH (m:Measure)-[:PART_OF]->(d:Document {id: $document})
RETURN m.section_path AS section, coalesce(m.number, "") AS number, coalesce(m.title, "") AS title, m.char_start AS start
ORDER BY start
