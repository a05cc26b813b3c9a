"""A build folder's model in memory, indexed: what the REST routes answer from, and the library's
way to ask the same questions from a notebook or a program (``policygraph.open_corpus``)::

    import policygraph as pg

    corpus = pg.open_corpus(Path("out/graph"))
    corpus.led_by("区人社局")                          # [(Document, Measure)] in reading order
    corpus.compare("001", "003")                       # [(concept, Indicator | None, Indicator | None)]
    corpus.carried_out("001")                          # [(higher Measure, lower Document, Measure, MeasureLink)]
    pg.frame(corpus.led_by("区人社局"))                # the same as a pandas DataFrame

Answers are model objects, the same ones the JSON of the API is written from; SPARQL and Cypher go
to the stores (``policygraph.named_queries``).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jieba

from policygraph.figures import Workload, workloads
from policygraph.folder import Build, in_use, one_document
from policygraph.ids import concept_key
from policygraph.ingest.units import type_named
from policygraph.model import (
    LEAD,
    Alignment,
    Document,
    Duty,
    Indicator,
    Measure,
    MeasureLink,
    SectionLink,
    Unit,
    between,
)

jieba.setLogLevel(60)


@dataclass
class UnitEntry:
    unit: Unit
    documents: set[str] = field(default_factory=set)


@dataclass
class Corpus:
    build: Build
    documents: dict[str, Document]
    units: dict[str, UnitEntry]
    measures: dict[str, tuple[Document, Measure]]
    indicators: dict[str, tuple[Document, Indicator]]
    roles: dict[str, list[tuple[str, str, str]]]  # unit id → (measure id, role, label)
    duties: dict[str, list[tuple[Document, Duty]]] = field(default_factory=lambda: defaultdict(list))  # by unit id
    alignment: Alignment = field(default_factory=lambda: Alignment(method=""))
    concept_of: dict[str, str] = field(default_factory=dict)  # folded indicator name → its group's concept
    links_of: dict[str, list[MeasureLink]] = field(default_factory=lambda: defaultdict(list))  # by document
    sections_of: dict[str, list[SectionLink]] = field(default_factory=lambda: defaultdict(list))  # by document
    indicators_in_order: list[tuple[Document, Indicator]] = field(default_factory=list)  # by document title, position
    by_concept: dict[str, list[tuple[Document, Indicator]]] = field(default_factory=lambda: defaultdict(list))
    units_in_order: list[str] = field(default_factory=list)  # unit ids by region, name
    documents_in_order: list[Document] = field(default_factory=list)  # by title
    workload: dict[str, dict[str, Workload]] = field(default_factory=dict)  # unit id → document id → workload
    _terms: dict[str, set[tuple[str, str]]] | None = None  # search term → (kind, id); see ``terms``
    _terms_made: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, generation: Path) -> Corpus:
        build = Build(generation)
        documents = build.documents()
        corpus = cls(build, {d.id: d for d in documents}, {}, {}, {}, defaultdict(list))
        corpus.alignment = build.alignment()
        for group in corpus.alignment.indicator_groups:
            for name in group.names:
                corpus.concept_of[name] = group.concept
        for link in corpus.alignment.measure_links:
            corpus.links_of[link.a.document].append(link)
            corpus.links_of[link.b.document].append(link)
        for section in corpus.alignment.section_links:
            corpus.sections_of[section.a.document].append(section)
            corpus.sections_of[section.b.document].append(section)
        for doc in documents:
            for unit in doc.units:
                entry = corpus.units.setdefault(unit.id, UnitEntry(unit))
                if set(unit.aliases) - set(entry.unit.aliases):
                    entry.unit = Unit(
                        unit.id,
                        unit.name,
                        unit.region,
                        unit.type,
                        unit.kind,
                        sorted(set(entry.unit.aliases) | set(unit.aliases)),
                    )
                entry.documents.add(doc.id)
            for measure in doc.measures:
                corpus.measures[measure.id] = (doc, measure)
                for role in measure.unit_roles:
                    corpus.roles[role.unit_id].append((measure.id, role.role, role.label))
            for indicator in doc.indicators:
                corpus.indicators[indicator.id] = (doc, indicator)
            for duty in doc.duties:
                corpus.duties[duty.unit_id].append((doc, duty))
        corpus._order()
        corpus.workload = workloads(documents)
        return corpus

    def terms(self) -> dict[str, set[tuple[str, str]]]:
        """The search index, made on first use: segmenting every text with jieba takes seconds (most
        of a server's start before), so the server answers at once and makes it on a thread of its
        own (``LiveStores``); a search that comes first waits for it."""
        with self._terms_made:
            if self._terms is None:
                index: dict[str, set[tuple[str, str]]] = defaultdict(set)
                texts = [(d.title, "document", d.id) for d in self.documents.values()]
                texts += [(" ".join([e.unit.name, *e.unit.aliases]), "unit", k) for k, e in self.units.items()]
                texts += [(f"{m.title} {m.text}", "measure", k) for k, (_, m) in self.measures.items()]
                texts += [(i.name, "indicator", k) for k, (_, i) in self.indicators.items()]
                for text, kind, key in texts:
                    for term in tokens(text):
                        index[term].add((kind, key))
                self._terms = index
            return self._terms

    def search(self, query: str) -> list[tuple[str, str]]:
        """Everything whose text holds every character pair (and every non-Chinese word) of the query;
        the ones that also hold the query's jieba words come first. Units as ``units_named`` finds
        them: a query that is a kind of unit (人社局) finds that kind's unit in every region."""
        required = _grams(query)
        if not required:
            return []
        index = self.terms()
        hits = set.intersection(*(index.get(term, set()) for term in required))
        hits |= {("unit", k) for k in self.units_named(query)}  # a kind of unit finds every region's
        words = {w for w in tokens(query) if w not in required}
        order = {"document": 0, "unit": 1, "indicator": 2, "measure": 3}

        def rank(hit: tuple[str, str]) -> tuple[int, int, str]:
            return (order[hit[0]], -sum(1 for w in words if hit in index.get(w, set())), hit[1])

        return sorted(hits, key=rank)

    def unit_measures(self, unit_id: str, role: str) -> list[tuple[str, str, str]]:
        wanted = {"lead": {LEAD}, "responsible": {"responsible"}, "any": {LEAD, "responsible"}}[role]
        seen: dict[tuple[str, str], tuple[str, str, str]] = {}
        for measure_id, r, label in self.roles.get(unit_id, []):
            if r in wanted:
                seen.setdefault((measure_id, r), (measure_id, r, label))

        def reading_order(row: tuple[str, str, str]) -> tuple[str, str, int, str]:
            doc, measure = self.measures[row[0]]
            return (doc.title, doc.id, measure.start, row[1])

        return sorted(seen.values(), key=reading_order)  # by document title, then as the document reads

    def concept(self, name: str) -> str:
        """The aligned concept of an indicator name (its folded name when alignment did not group it)."""
        key = concept_key(name)
        return self.concept_of.get(key, key)

    def _order(self) -> None:
        """The listing orders, made once at load (a listing at 1,000 documents would otherwise sort
        thousands of rows per request)."""
        self.indicators_in_order = sorted(self.indicators.values(), key=lambda pair: (pair[0].title, pair[1].start))
        for pair in self.indicators_in_order:
            self.by_concept[self.concept(pair[1].name)].append(pair)
        self.units_in_order = sorted(self.units, key=lambda k: (self.units[k].unit.region, self.units[k].unit.name))
        self.documents_in_order = sorted(self.documents.values(), key=lambda d: d.title)

    def indicators_by_concept(self, concept: str) -> list[tuple[Document, Indicator]]:
        return self.by_concept.get(self.concept(concept), [])

    def units_named(self, name: str | None) -> list[str]:
        """Unit ids in listing order (region, name) whose name or an alias contains ``name``, or whose
        kind ``name`` is (人社局, 区人社局, 人力资源和社会保障局: that kind's unit in every region, whatever
        each plan calls it). The search index first narrows the names to those holding every Chinese
        character pair of ``name`` (Latin words are left out: the index holds whole words, and a name
        may contain part of one)."""
        if not name:
            return self.units_in_order
        kind = type_named(name)
        required = {gram for gram in _grams(name) if not gram.isascii()}
        index = self.terms()
        hits = set.intersection(*(index.get(term, set()) for term in required)) if required else None

        def named(unit_id: str) -> bool:
            unit = self.units[unit_id].unit
            if unit.type == kind:
                return True
            narrowed = hits is None or ("unit", unit_id) in hits
            return narrowed and (name in unit.name or any(name in alias for alias in unit.aliases))

        return [k for k in self.units_in_order if named(k)]

    # --- the questions, for the library: model objects, in reading order ------------------------

    def document(self, key: str) -> Document:
        """The document a key names: its id, or the start of its source file name (004, 06_sh_public…)."""
        return self.documents[key] if key in self.documents else one_document(self.documents.values(), key)

    def led_by(self, name: str) -> list[tuple[Document, Measure]]:
        """The measures that the units ``name`` names lead (区人社局: every region's, whatever each plan
        calls it; see ``units_named``), by document title, then as each document reads."""
        return self._measures_of(name, "lead")

    def supported_by(self, name: str) -> list[tuple[Document, Measure]]:
        """The measures those units take part in without leading them (责任, 配合, 参与 …)."""
        return self._measures_of(name, "responsible")

    def _measures_of(self, name: str, role: str) -> list[tuple[Document, Measure]]:
        seen = dict.fromkeys(row[0] for unit_id in self.units_named(name) for row in self.unit_measures(unit_id, role))
        pairs = [self.measures[measure_id] for measure_id in seen]
        return sorted(pairs, key=lambda pair: (pair[0].title, pair[0].id, pair[1].start))

    def compare(self, a: str, b: str) -> list[tuple[str, Indicator | None, Indicator | None]]:
        """Two documents' indicators side by side by concept (the names the alignment groups as one):
        the concepts both hold first, then the others, each by concept."""
        concepts: dict[str, list[Indicator | None]] = {}
        for side, doc in enumerate((self.document(a), self.document(b))):
            for indicator in doc.indicators:
                concepts.setdefault(self.concept(indicator.name), [None, None])[side] = indicator
        rows = [(concept, left, right) for concept, (left, right) in concepts.items()]
        return sorted(rows, key=lambda row: (row[1] is None or row[2] is None, row[0]))

    def carried_out(self, key: str) -> list[tuple[Measure, Document, Measure, MeasureLink]]:
        """What lower-level plans do about each measure of the document ``key`` names: each measure
        of it linked to a measure of another plan it is the higher end of, with the link (its grade
        and evidence), as the document reads and then by the other plan's title."""
        doc = self.document(key)
        rows = []
        for link in self.links_between(doc.id):
            if link.a.document == doc.id:
                higher, (lower_doc, lower) = self.measures[link.a.id][1], self.measures[link.b.id]
                rows.append((higher, lower_doc, lower, link))
        return sorted(rows, key=lambda row: (row[0].start, row[1].title, row[2].start))

    def links_between(self, a: str, b: str | None = None) -> list[MeasureLink]:
        """Measure links with one end in document ``a`` (and the other in ``b`` when given)."""
        return self.links_of.get(a, []) if b is None else between(self.links_of.get(a, []), a, b)

    def sections_between(self, a: str, b: str) -> list[SectionLink]:
        return between(self.sections_of.get(a, []), a, b)


def open_corpus(folder: Path) -> Corpus:
    """The build in use in ``folder`` (as ``policygraph build --out folder`` left it), in memory."""
    return Corpus.load(in_use(folder))


_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z0-9]+")


def _grams(text: str) -> set[str]:
    """Chinese character pairs (a lone character stands for itself) and Latin words or numbers."""
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams |= {run} if len(run) == 1 else {run[k : k + 2] for k in range(len(run) - 1)}
    grams |= {word.lower() for word in _LATIN.findall(text)}
    return grams


def tokens(text: str) -> set[str]:
    """Index terms: jieba's words (search mode, so long words also yield their parts) and the
    character pairs, so a query matches whatever way jieba happens to cut the two texts."""
    words = {word.lower() for word in jieba.cut_for_search(text) if _WORD.search(word)}
    singles = set(_CJK_RUN.findall(text)) and {ch for ch in text if "\u4e00" <= ch <= "\u9fff"}
    return words | _grams(text) | singles
