"""The model as RDF: one named graph per document, one shared graph for what documents have in common.

A document's graph holds its measures, projects, indicators, duties, roles and provenance; the shared graph
holds units, unit types, regions and indicator concepts, recomputed from all documents so that a
node no document mentions any more disappears with the last one. Every resource has an IRI derived
from the model's ids, so writing a document twice gives the same triples.
"""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterable, Iterator
from decimal import Decimal

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

from policygraph import ids
from policygraph.graph import vocab
from policygraph.ids import concept_key, link_id, run_id, section_id
from policygraph.model import LEAD, Alignment, Document, Duty, Indicator, Measure, Project, Ref, UnitRole
from policygraph.shape import literals

# A triple is three terms as N-Triples writes them (<iri>, "text"@zh, "5"^^<…#integer>): the stores
# load that text in bulk, so terms are written once, as text, instead of being built as rdflib
# objects and serialised again (at 1,000 documents the alignment graph alone has millions of terms).
Triple = tuple[str, str, str]


class _Terms:
    """A vocabulary's terms as N-Triples IRIs (``PG.Measure`` → ``<…#Measure>``), each checked by the
    rdflib namespace it comes from on first use (an unknown pg: term fails as ``vocab.PG`` does)."""

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        value = f"<{self._namespace[name]}>"
        setattr(self, name, value)  # later uses are plain attribute lookups
        return value


ELI, OA, ORG, PG, PROV, RDF, SKOS, XSD = (
    _Terms(ns) for ns in (vocab.ELI, vocab.OA, vocab.ORG, vocab.PG, vocab.PROV, vocab.RDF, vocab.SKOS, vocab.XSD)
)
SDMX_DIMENSION, SDMX_MEASURE = _Terms(vocab.SDMX_DIMENSION), _Terms(vocab.SDMX_MEASURE)


def iri(kind: str, key: str) -> str:
    return f"<{ids.iri(kind, key)}>"


def _fragment(node: str, name: str) -> str:
    """A node's fragment (``<…/measure/x#text>``): the parts a node owns (selector, roles, values)."""
    return f"{node[:-1]}#{name}>"


@functools.cache
def _term(curie: str) -> str:
    return f"<{vocab.term(curie)}>"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _typed(value: str | int | float | bool, datatype: str) -> str:
    """A typed literal in the canonical lexical form a store keeps (Oxigraph's: true/false, a decimal
    without trailing zeros, 5000 not 5000.0), so that graph.nq, written from this text, holds the
    very literals the SPARQL store answers with."""
    if isinstance(value, bool):
        lexical = "true" if value else "false"
    elif datatype == XSD.decimal and isinstance(value, int | float):
        number = Decimal(repr(value)).normalize()
        lexical = "0" if number.is_zero() else format(number, "f")
    else:
        lexical = str(value)
    return f"{_quoted(lexical)}^^{datatype}"


def _facts(s: str, item: object) -> Iterator[Triple]:
    """The triples of the fields ``item``'s class declares (see ``shape``)."""
    for declared, value in literals(item):
        if declared.iri:
            yield s, _term(declared.rdf), iri(declared.iri, value)
        elif declared.datatype:
            yield s, _term(declared.rdf), _typed(value, _term(declared.datatype))
        else:
            yield s, _term(declared.rdf), _lit(value, declared.lang)


def _lit(value: str | int | float | bool, lang: str = "") -> str:
    if isinstance(value, bool):
        return _typed(value, XSD.boolean)
    if isinstance(value, int):
        return _typed(value, XSD.integer)
    if isinstance(value, float):
        return _typed(value, XSD.decimal)
    return f"{_quoted(value)}@{lang}" if lang else _quoted(value)


def document_triples(doc: Document) -> Iterator[Triple]:
    """Everything specific to one document."""
    d = iri("doc", doc.id)
    yield d, RDF.type, PG.PolicyDocument
    yield from _facts(d, doc)
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
    for duty in doc.duties:
        yield from _duty(d, duty)


def _provenance(d: str, s: str, start: int, end: int, line: int) -> Iterator[Triple]:
    selector = _fragment(s, "text")
    yield s, ELI.is_part_of, d
    yield d, ELI.has_part, s
    yield s, PROV.wasDerivedFrom, d
    yield s, PG.line, _lit(line)
    yield s, PG.selector, selector
    yield selector, RDF.type, OA.TextPositionSelector
    yield selector, OA.start, _lit(start)
    yield selector, OA.end, _lit(end)


def _roles(s: str, roles: Iterable[UnitRole]) -> Iterator[Triple]:
    """Each role as a qualified association (the name and label as printed), and the unit directly:
    that once per unit and role, though two printed names (区人社局, 区人力资源和社会保障局) may be one unit."""
    direct: set[Triple] = set()
    for k, role in enumerate(roles):
        unit = iri("unit", role.unit_id)
        association = _fragment(s, f"role-{k}")
        shortcut = (s, PG.leadUnit if role.role == LEAD else PG.responsibleUnit, unit)
        if shortcut not in direct:
            direct.add(shortcut)
            yield shortcut
        yield s, PROV.qualifiedAssociation, association
        yield association, RDF.type, PROV.Association
        yield association, PROV.agent, unit
        yield association, PROV.hadRole, PG.LeadRole if role.role == LEAD else PG.ResponsibleRole
        yield association, PG.printedLabel, _lit(role.label)
        yield association, PG.printedName, _lit(role.name)
        yield association, PG.order, _lit(k)


def _measure(d: str, m: Measure) -> Iterator[Triple]:
    s = iri("measure", m.id)
    yield s, RDF.type, PG.Measure
    yield from _facts(s, m)
    yield from _provenance(d, s, m.start, m.end, m.line)
    yield from _roles(s, m.unit_roles)
    for k, target in enumerate(m.targets):
        t = _fragment(s, f"target-{k}")
        yield s, PG.target, t
        yield t, RDF.type, PG.Target
        yield from _facts(t, target)


def _project(d: str, p: Project) -> Iterator[Triple]:
    s = iri("project", p.id)
    yield s, RDF.type, PG.Project
    yield from _facts(s, p)
    yield from _provenance(d, s, p.start, p.end, p.line)
    yield from _roles(s, p.unit_roles)


def _duty(d: str, duty: Duty) -> Iterator[Triple]:
    s = iri("duty", duty.id)
    yield s, RDF.type, PG.Duty
    yield from _facts(s, duty)
    yield s, PG.dutyOf, iri("unit", duty.unit_id)
    yield from _provenance(d, s, duty.start, duty.end, duty.line)


def _indicator(d: str, i: Indicator) -> Iterator[Triple]:
    s = iri("indicator", i.id)
    yield s, RDF.type, PG.Indicator
    yield from _facts(s, i)
    yield s, PG.concept, iri("concept", concept_key(i.name))
    for prop, suffix, year, printed, number, comparator in (
        (PG.baseline, "baseline", i.baseline_year, i.baseline, i.baseline_value, ""),
        (PG.goal, "target", i.target_year, i.target, i.target_value, i.comparator),
    ):
        if not printed and not year:
            continue
        v = _fragment(s, suffix)
        yield s, prop, v
        yield v, RDF.type, PG.IndicatorValue
        yield v, PG.printedValue, _lit(printed)
        if year:
            yield v, SDMX_DIMENSION.refPeriod, _typed(year, XSD.gYear)
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
                *_facts(u, unit),
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


def alignment_triples(alignment: Alignment) -> Iterator[Triple]:
    """The alignment graph: scored links as reified nodes generated by one run, resolved citations as
    ELI links, and SKOS exact matches between the folded names of one indicator concept."""
    run = iri("alignment-run", run_id(alignment.method))
    yield run, RDF.type, PG.AlignmentRun
    yield run, PG.method, _lit(alignment.method)
    for citation in alignment.citations:
        if citation.target:
            relation = ELI.ensures_implementation_of if citation.relation == "implements" else ELI.based_on
            yield iri("doc", citation.source), relation, iri("doc", citation.target)
    for group in alignment.indicator_groups:
        for name in group.names:
            if name != group.concept:
                yield iri("concept", name), SKOS.exactMatch, iri("concept", group.concept)
    for link in alignment.measure_links:
        node = yield from _link(run, link.a, link.b, link.score, link.evidence.heading_similarity, "")
        yield node, PG.grade, _lit(link.grade)
        yield node, PG.comparedBecause, _lit(link.evidence.compared_because)
        yield node, PG.textSimilarity, _lit(float(link.evidence.text_similarity))
        if link.evidence.graded_because:
            yield node, PG.gradedBecause, _lit(link.evidence.graded_because)
        for shared in link.evidence.shared_terms:
            yield node, PG.sharedTerm, _lit(shared, "zh")
    for section in alignment.section_links:
        yield from _link(run, section.a, section.b, section.score, section.heading_similarity, "section")


def _link(run: str, a: Ref, b: Ref, score: float, heading: float, kind: str) -> Generator[Triple, None, str]:
    """What measure and section links have in common; returns the link's node."""
    node = iri("link", link_id(a.id, b.id, kind))
    yield node, RDF.type, PG.AlignmentLink
    yield node, PROV.wasGeneratedBy, run
    yield node, PG.linkFrom, iri(a.kind, a.id)
    yield node, PG.linkTo, iri(b.kind, b.id)
    yield node, PG.score, _lit(float(score))
    yield node, PG.headingSimilarity, _lit(float(heading))
    return node
