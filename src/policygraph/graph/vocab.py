"""Namespaces: every term is declared once, so a typo raises instead of minting a new IRI.

The terms mirror ``ontology/policygraph.ttl``; a test keeps the two in step.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

ID = "https://w3id.org/policygraph/id/"
GRAPH = "https://w3id.org/policygraph/graph/"
SHARED_GRAPH = URIRef(GRAPH + "shared")
ALIGNMENT_GRAPH = URIRef(GRAPH + "alignment")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")


class PG(DefinedNamespace):
    _NS = Namespace("https://w3id.org/policygraph/ontology#")
    _fail = True

    PolicyDocument: URIRef
    Section: URIRef
    Measure: URIRef
    Project: URIRef
    Indicator: URIRef
    IndicatorValue: URIRef
    Target: URIRef
    Unit: URIRef
    UnitType: URIRef
    Region: URIRef
    IndicatorConcept: URIRef
    Role: URIRef
    LeadRole: URIRef
    ResponsibleRole: URIRef
    leadUnit: URIRef
    responsibleUnit: URIRef
    printedLabel: URIRef
    printedName: URIRef
    order: URIRef
    docType: URIRef
    status: URIRef
    period: URIRef
    level: URIRef
    region: URIRef
    parentRegion: URIRef
    implementsTitle: URIRef
    basedOnTitle: URIRef
    sourceFile: URIRef
    AlignmentLink: URIRef
    AlignmentRun: URIRef
    linkFrom: URIRef
    linkTo: URIRef
    score: URIRef
    grade: URIRef
    method: URIRef
    textSimilarity: URIRef
    headingSimilarity: URIRef
    sharedTerm: URIRef
    comparedBecause: URIRef
    textSha256: URIRef
    title: URIRef
    text: URIRef
    sectionPath: URIRef
    inSection: URIRef
    depth: URIRef
    kind: URIRef
    line: URIRef
    selector: URIRef
    column: URIRef
    target: URIRef
    baseline: URIRef
    goal: URIRef
    concept: URIRef
    domain: URIRef
    nature: URIRef
    printedValue: URIRef
    comparator: URIRef
    cumulative: URIRef
    unitOfMeasure: URIRef
    counts: URIRef
    year: URIRef
    kindOfUnit: URIRef


def iri(kind: str, key: str) -> URIRef:
    """Stable IRI of a resource from the model's id (or a name, for regions, types and concepts)."""
    return URIRef(ID + kind + "/" + quote(key, safe=""))


def graph_iri(doc_id: str) -> URIRef:
    return URIRef(GRAPH + doc_id)


__all__ = [
    "ALIGNMENT_GRAPH",
    "DCTERMS",
    "ELI",
    "GRAPH",
    "ID",
    "OA",
    "ORG",
    "PG",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SDMX_DIMENSION",
    "SDMX_MEASURE",
    "SHARED_GRAPH",
    "SKOS",
    "XSD",
    "graph_iri",
    "iri",
]
