"""The knowledge graph: the extracted model as RDF named graphs and embedded stores."""
