"""Every id and IRI rule in one place: documents, measures, projects, duties, indicators, units, sections,
indicator concepts, alignment links and named graphs.

Ids are derived from what they name (a document's text, a fact's position in it, a unit's region and
canonical name), never counted, so extracting or building twice gives the same ids, and a document
that did not change keeps its named graph. Ingest mints the ids, the aligner and the writers derive
theirs from them here; nothing else builds an id or an IRI by hand.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

ID = "https://w3id.org/policygraph/id/"  # resources: ID + kind + "/" + key
GRAPH = "https://w3id.org/policygraph/graph/"  # named graphs: one per document, the shared one, the alignment
SHARED_GRAPH = GRAPH + "shared"
ALIGNMENT_GRAPH = GRAPH + "alignment"


def _sha1(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def document_id(text: str) -> str:
    """A document is its decoded text: two files with the same text are one document."""
    return "doc-" + _sha1(text, 12)


def measure_id(doc_id: str, start: int) -> str:
    return f"{doc_id}-m{start}"


def project_id(doc_id: str, start: int) -> str:
    return f"{doc_id}-p{start}"


def duty_id(doc_id: str, start: int, order: int) -> str:
    """A duty: its passage, and which of the units sharing it (0 for the first printed)."""
    return f"{doc_id}-d{start}-{order}"


def indicator_id(doc_id: str, start: int) -> str:
    return f"{doc_id}-i{start}"


def unit_id(region: str, canonical: str) -> str:
    """A unit is its region and canonical name, whatever each document printed."""
    return "unit-" + _sha1(f"{region}|{canonical}", 12)


def section_id(doc_id: str, path: list[str] | tuple[str, ...]) -> str:
    """A section: its document and the headings above and including it."""
    return f"{doc_id}-s{_sha1(chr(0x1F).join(path), 10)}"


def concept_key(name: str) -> str:
    """An indicator concept's key: NFKC, no white space, no closing bracketed note or unit (the
    alignment groups keys further)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return re.sub(r"\([^()]*\)$", "", text) or text


def link_id(a: str, b: str, kind: str = "") -> str:
    """An alignment link between two measures or sections, by its ends and, for a section link, its
    kind: in a document of one section each measure stands for its section, and the section link
    between two such measures is another node than their measure link."""
    return _sha1(f"{kind}|{a}|{b}" if kind else f"{a}|{b}", 16)


def run_id(method: str) -> str:
    """An alignment run, by its method: a build with the same method states the same run."""
    return _sha1(method, 10)


def iri(kind: str, key: str) -> str:
    """A resource's IRI: its kind (doc, measure, unit, region, concept …) and id or name."""
    return ID + kind + "/" + quote(key, safe="")


def graph_iri(doc_id: str) -> str:
    """A document's named graph."""
    return GRAPH + doc_id
