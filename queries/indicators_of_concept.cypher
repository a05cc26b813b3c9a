// name: indicators_of_concept
// answers: One indicator concept across documents: baseline, target and nature in each.
// params: concept (normalised indicator name, e.g. 学前教育毛入园率)
// columns: document, name, baseline_year, baseline, target_year, target, nature
MATCH (i:Indicator)-[:OF_CONCEPT]->(:IndicatorConcept {key: $concept}), (i)-[:PART_OF]->(d:Document)
RETURN d.title AS document, i.name AS name, coalesce(i.baseline_year, "") AS baseline_year,
       coalesce(i.baseline, "") AS baseline, coalesce(i.target_year, "") AS target_year,
       coalesce(i.target, "") AS target, coalesce(i.nature, "") AS nature
ORDER BY document, name
