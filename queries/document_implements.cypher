// name: document_implements
// answers: Which documents say they implement (贯彻落实) which plans, by printed title.
// params:
// columns: document, implements
MATCH (d:Document) UNWIND d.implements AS implements
RETURN d.title AS document, implements
ORDER BY document, implements
