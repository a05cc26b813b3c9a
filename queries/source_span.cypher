// name: source_span
// answers: Where a measure stands in its document: file, character span and line.
// params: measure (measure id)
// columns: source, start, end, line
MATCH (m:Measure {id: $measure})-[:PART_OF]->(d:Document)
RETURN d.source AS source, m.char_start AS start, m.char_end AS `end`, m.line AS line
