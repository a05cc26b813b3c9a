"""Namespaces: every term is declared once, so a typo raises instead of minting a new IRI.

The terms mirror ``ontology/policygraph.ttl``; a test keeps the two in step.
"""

from __future__ import annotations

import functools

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

from policygraph import ids

SHARED_GRAPH = URIRef(ids.SHARED_GRAPH)
ALIGNMENT_GRAPH = URIRef(ids.ALIGNMENT_GRAPH)

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
    Duty: URIRef
    dutyOf: URIRef
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
    gradedBecause: URIRef
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
    place: URIRef
    nature: URIRef
    printedValue: URIRef
    comparator: URIRef
    cumulative: URIRef
    unitOfMeasure: URIRef
    counts: URIRef
    year: URIRef
    kindOfUnit: URIRef


_PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "pg": PG,
    "eli": ELI,
    "skos": SKOS,
    "org": ORG,
    "dcterms": DCTERMS,
    "xsd": XSD,
    "sdmx-measure": SDMX_MEASURE,
}


@functools.cache
def term(curie: str) -> URIRef:
    """A term by its CURIE (pg:title), as the model's field declarations name them; an unknown pg:
    term fails here, as it does when written ``PG.title``."""
    prefix, _, name = curie.partition(":")
    return _PREFIXES[prefix][name]


def iri(kind: str, key: str) -> URIRef:
    """A resource's IRI as an rdflib term (the rule is ``ids.iri``)."""
    return URIRef(ids.iri(kind, key))


def graph_iri(doc_id: str) -> URIRef:
    return URIRef(ids.graph_iri(doc_id))


__all__ = [
    "ALIGNMENT_GRAPH",
    "DCTERMS",
    "ELI",
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
    "term",
]
