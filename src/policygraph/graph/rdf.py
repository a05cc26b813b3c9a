"""The model as RDF: one named graph per document, one shared graph for what documents have in common.

A document's graph holds its measures, projects, indicators, roles and provenance; the shared graph
holds units, unit types, regions and indicator concepts, recomputed from all documents so that a
node no document mentions any more disappears with the last one. Every resource has an IRI derived
from the model's ids, so writing a document twice gives the same triples.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator

from rdflib import Literal, URIRef
from rdflib.term import Node

from policygraph.graph.folder import scored_links
from policygraph.graph.vocab import DCTERMS, ELI, OA, ORG, PG, PROV, RDF, SDMX_DIMENSION, SDMX_MEASURE, SKOS, XSD, iri
from policygraph.model import LEAD, Document, Indicator, Measure, Project, UnitRole

Triple = tuple[Node, Node, Node]


def concept_key(name: str) -> str:
    """Indicator concept key: NFKC, no white space, no bracketed notes or units (alignment refines it)."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\([^()]*\)$", "", text) or text


def section_id(doc_id: str, path: list[str]) -> str:
    """A section's id: its document and the headings above and including it."""
    digest = hashlib.sha1("\x1f".join(path).encode("utf-8")).hexdigest()[:10]
    return f"{doc_id}-s{digest}"


def _lit(value: str | int | float | bool, lang: str = "") -> Literal:
    if isinstance(value, bool):
        return Literal(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(value, datatype=XSD.decimal)
    return Literal(value, lang=lang) if lang else Literal(value)


def document_triples(doc: Document) -> Iterator[Triple]:
    """Everything specific to one document."""
    d = iri("doc", doc.id)
    yield d, RDF.type, PG.PolicyDocument
    yield d, PG.title, _lit(doc.title, "zh")
    yield d, PG.sourceFile, _lit(doc.source)
    yield d, PG.textSha256, _lit(doc.text_sha256)
    for prop, value in ((PG.docType, doc.doc_type), (PG.status, doc.status), (PG.period, doc.period)):
        if value:
            yield d, prop, _lit(value)
    if doc.date:
        yield d, DCTERMS.issued, Literal(doc.date, datatype=XSD.date)
    if doc.doc_number:
        yield d, ELI.number, _lit(doc.doc_number)
    if doc.issuer:
        yield d, ELI.passed_by, _lit(doc.issuer)
    if doc.region:
        yield d, ELI.jurisdiction, iri("region", doc.region)
    for title in doc.implements:
        yield d, PG.implementsTitle, _lit(title, "zh")
    for title in doc.based_on:
        yield d, PG.basedOnTitle, _lit(title, "zh")
    sections: set[str] = set()
    for measure in doc.measures:
        yield from _measure(d, measure)
        if measure.section_path:
            yield iri("measure", measure.id), PG.inSection, iri("section", section_id(doc.id, measure.section_path))
        for depth in range(1, len(measure.section_path) + 1):
            path = measure.section_path[:depth]
            key = section_id(doc.id, path)
            if key in sections:
                continue
            sections.add(key)
            s = iri("section", key)
            parent = iri("section", section_id(doc.id, path[:-1])) if depth > 1 else d
            yield s, RDF.type, PG.Section
            yield s, PG.title, _lit(path[-1], "zh")
            yield s, PG.depth, _lit(depth)
            yield s, ELI.is_part_of, parent
            yield parent, ELI.has_part, s
    for project in doc.projects:
        yield from _project(d, project)
    for indicator in doc.indicators:
        yield from _indicator(d, indicator)


def _provenance(d: URIRef, s: URIRef, start: int, end: int, line: int) -> Iterator[Triple]:
    selector = URIRef(f"{s}#text")
    yield s, ELI.is_part_of, d
    yield d, ELI.has_part, s
    yield s, PROV.wasDerivedFrom, d
    yield s, PG.line, _lit(line)
    yield s, PG.selector, selector
    yield selector, RDF.type, OA.TextPositionSelector
    yield selector, OA.start, _lit(start)
    yield selector, OA.end, _lit(end)


def _roles(s: URIRef, roles: Iterable[UnitRole]) -> Iterator[Triple]:
    for k, role in enumerate(roles):
        unit = iri("unit", role.unit_id)
        association = URIRef(f"{s}#role-{k}")
        yield s, PG.leadUnit if role.role == LEAD else PG.responsibleUnit, unit
        yield s, PROV.qualifiedAssociation, association
        yield association, RDF.type, PROV.Association
        yield association, PROV.agent, unit
        yield association, PROV.hadRole, PG.LeadRole if role.role == LEAD else PG.ResponsibleRole
        yield association, PG.printedLabel, _lit(role.label)
        yield association, PG.printedName, _lit(role.name)
        yield association, PG.order, _lit(k)


def _measure(d: URIRef, m: Measure) -> Iterator[Triple]:
    s = iri("measure", m.id)
    yield s, RDF.type, PG.Measure
    if m.number:
        yield s, ELI.number, _lit(m.number)
    if m.title:
        yield s, PG.title, _lit(m.title, "zh")
    yield s, PG.text, _lit(m.text, "zh")
    yield s, PG.sectionPath, _lit(" / ".join(m.section_path))
    yield s, PG.kind, _lit(m.kind)
    yield from _provenance(d, s, m.start, m.end, m.line)
    yield from _roles(s, m.unit_roles)
    for k, target in enumerate(m.targets):
        t = URIRef(f"{s}#target-{k}")
        yield s, PG.target, t
        yield t, RDF.type, PG.Target
        yield t, PG.counts, _lit(target.what, "zh")
        yield t, PG.printedValue, _lit(target.value_text)
        if target.value is not None:
            yield t, SDMX_MEASURE.obsValue, _lit(float(target.value))
        optional = ((PG.unitOfMeasure, target.unit), (PG.comparator, target.comparator), (PG.year, target.year))
        for prop, value in optional:
            if value:
                yield t, prop, _lit(value)


def _project(d: URIRef, p: Project) -> Iterator[Triple]:
    s = iri("project", p.id)
    yield s, RDF.type, PG.Project
    yield s, PG.title, _lit(p.name, "zh")
    yield s, PG.column, _lit(p.column, "zh")
    yield s, PG.text, _lit(p.text, "zh")
    yield from _provenance(d, s, p.start, p.end, p.line)
    yield from _roles(s, p.unit_roles)


def _indicator(d: URIRef, i: Indicator) -> Iterator[Triple]:
    s = iri("indicator", i.id)
    yield s, RDF.type, PG.Indicator
    yield s, PG.title, _lit(i.name, "zh")
    yield s, PG.concept, iri("concept", concept_key(i.name))
    for prop, value in ((PG.unitOfMeasure, i.unit), (PG.domain, i.domain), (PG.nature, i.nature)):
        if value:
            yield s, prop, _lit(value)
    yield s, PG.cumulative, _lit(i.cumulative)
    for prop, suffix, year, printed, number, comparator in (
        (PG.baseline, "baseline", i.baseline_year, i.baseline, i.baseline_value, ""),
        (PG.goal, "target", i.target_year, i.target, i.target_value, i.comparator),
    ):
        if not printed and not year:
            continue
        v = URIRef(f"{s}#{suffix}")
        yield s, prop, v
        yield v, RDF.type, PG.IndicatorValue
        yield v, PG.printedValue, _lit(printed)
        if year:
            yield v, SDMX_DIMENSION.refPeriod, Literal(year, datatype=XSD.gYear)
        if number is not None:
            yield v, SDMX_MEASURE.obsValue, _lit(float(number))
        if comparator:
            yield v, PG.comparator, _lit(comparator)
    yield from _provenance(d, s, i.start, i.end, i.line)
    yield from _roles(s, i.unit_roles)


def shared_triples(docs: Iterable[Document]) -> Iterator[Triple]:
    """Units, unit types, regions and indicator concepts of all documents, each once."""
    seen: set[Triple] = set()
    regions: dict[str, tuple[str, str]] = {}

    def note_region(name: str, level: str = "", parent: str = "") -> None:
        known_level, known_parent = regions.get(name, ("", ""))
        regions[name] = (known_level or level, known_parent or parent)

    for doc in docs:
        if doc.region:
            note_region(doc.region, doc.level, doc.parent_region)
        if doc.parent_region:
            note_region(doc.parent_region)
        for unit in doc.units:
            u = iri("unit", unit.id)
            utype = iri("unit-type", unit.type)
            note_region(unit.region)
            triples = [
                (u, RDF.type, PG.Unit),
                (u, RDF.type, ORG.Organization),
                (u, SKOS.prefLabel, _lit(unit.name, "zh")),
                (u, ORG.classification, utype),
                (u, PG.region, iri("region", unit.region)),
                (u, PG.kindOfUnit, _lit(unit.kind)),
                (utype, RDF.type, PG.UnitType),
                (utype, SKOS.prefLabel, _lit(unit.type, "zh")),
            ]
            triples += [(u, SKOS.altLabel, _lit(alias, "zh")) for alias in unit.aliases if alias != unit.name]
            for triple in triples:
                if triple not in seen:
                    seen.add(triple)
                    yield triple
        for indicator in doc.indicators:
            c = iri("concept", concept_key(indicator.name))
            label = _lit(concept_key(indicator.name), "zh")
            for triple in ((c, RDF.type, PG.IndicatorConcept), (c, SKOS.prefLabel, label)):
                if triple not in seen:
                    seen.add(triple)
                    yield triple
    for name, (level, parent) in sorted(regions.items()):
        if not name:
            continue
        r = iri("region", name)
        yield r, RDF.type, PG.Region
        yield r, SKOS.prefLabel, _lit(name, "zh")
        if level:
            yield r, PG.level, _lit(level)
        if parent:
            yield r, PG.parentRegion, iri("region", parent)


def alignment_triples(alignment: dict) -> Iterator[Triple]:
    """The alignment graph from ``policygraph align``'s JSON: scored links as reified nodes generated
    by one run, resolved citations as ELI links, and SKOS exact matches between the folded names of
    one indicator concept."""
    run = iri("alignment-run", hashlib.sha1(alignment["method"].encode("utf-8")).hexdigest()[:10])
    yield run, RDF.type, PG.AlignmentRun
    yield run, PG.method, _lit(alignment["method"])
    for link in alignment["document_links"]:
        if link["target_id"]:
            relation = ELI.ensures_implementation_of if link["relation"] == "implements" else ELI.based_on
            yield iri("doc", link["source_id"]), relation, iri("doc", link["target_id"])
    for group in alignment["indicator_groups"]:
        for name in group["names"]:
            if name != group["concept"]:
                yield iri("concept", name), SKOS.exactMatch, iri("concept", group["concept"])
    for link in scored_links(alignment):
        node = iri("link", hashlib.sha1(f"{link.a_id}|{link.b_id}".encode()).hexdigest()[:16])
        yield node, RDF.type, PG.AlignmentLink
        yield node, PROV.wasGeneratedBy, run
        yield node, PG.linkFrom, iri(link.a_kind, link.a_id)
        yield node, PG.linkTo, iri(link.b_kind, link.b_id)
        yield node, PG.score, _lit(float(link.score))
        if link.grade:
            yield node, PG.grade, _lit(link.grade)
            yield node, PG.comparedBecause, _lit(link.compared_because)
        if link.text_similarity is not None:
            yield node, PG.textSimilarity, _lit(float(link.text_similarity))
        yield node, PG.headingSimilarity, _lit(float(link.heading_similarity))
        for term in link.shared_terms:
            yield node, PG.sharedTerm, _lit(term, "zh")
