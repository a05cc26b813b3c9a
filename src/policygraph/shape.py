"""The model's shape, declared once on the fields of its dataclasses, and read here for every form.

A field declared with ``field(metadata=fact(...))`` says how it appears in the RDF graph (a predicate, a language
tag, nothing when empty, an IRI of another resource, a datatype, a list joined into one string) and
in the property graph (under its own name, another name, or not at all). The property graph's
column types follow the field's Python type. ``graph.rdf`` and ``graph.property`` read these
declarations instead of listing the fields again; JSON is ``dataclasses.asdict`` of the same classes.
What a declaration cannot say (an indicator's baseline and target as value nodes, roles, provenance)
stays written out in the one mapping that needs it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

SHAPE = "policygraph.shape"


@dataclass(frozen=True)
class Form:
    rdf: str = ""  # the predicate as a CURIE (pg:title); "" when the RDF mapping writes the field itself, or not at all
    lang: str = ""  # a language-tagged literal
    optional: bool = False  # no triple when the value is empty
    iri: str = ""  # the value names a resource of this kind (region) rather than being a literal
    datatype: str = ""  # a typed literal (xsd:date)
    join: str = ""  # a list written as one string, joined by this
    graph: str | None = ""  # the property graph's name for it: "" its own name, None not there


def fact(**form: Any) -> dict[str, Form]:
    """A model field's metadata saying its form (see ``Form``): ``field(metadata=fact(rdf="pg:title"))``.
    A field declared without one is in neither graph."""
    return {SHAPE: Form(**form)}


def form(field: dataclasses.Field) -> Form | None:
    return field.metadata.get(SHAPE)


_CYPHER_TYPES = {str: "STRING", int: "INT64", float: "DOUBLE", bool: "BOOLEAN"}


def _cypher_type(hint: Any, declared: Form) -> str:
    if declared.join:
        return "STRING"
    if typing.get_origin(hint) is list:
        return _cypher_type(typing.get_args(hint)[0], declared) + "[]"
    if isinstance(hint, types.UnionType):  # float | None
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    return _CYPHER_TYPES[hint]


@dataclass(frozen=True)
class Slot:
    """One declared field of a model class."""

    name: str
    form: Form
    kind: str  # the property graph's type of its values (STRING, DOUBLE, STRING[] …)


_SLOTS: dict[type, tuple[Slot, ...]] = {}


def slots(cls: type) -> tuple[Slot, ...]:
    """The declared fields of a model class, read once per class: the mappings ask for every object."""
    found = _SLOTS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        declared = [(f, form(f)) for f in dataclasses.fields(cls)]
        found = _SLOTS[cls] = tuple(Slot(f.name, d, _cypher_type(hints[f.name], d)) for f, d in declared if d)
    return found


def columns(cls: type, context: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, str]]:
    """The property graph's (property, type) columns of a model class: the key (its first field)
    first, then ``context`` (properties the class does not hold itself, such as a part's document
    id), then its other declared fields."""
    out = [(s.form.graph or s.name, s.kind) for s in slots(cls) if s.form.graph is not None]
    return [out[0], *context, *out[1:]]


def values(item: object) -> dict[str, Any]:
    """An object's properties in the property graph, by the names ``columns`` gives."""
    out = {}
    for slot in slots(type(item)):
        if slot.form.graph is not None:
            value = getattr(item, slot.name)
            out[slot.form.graph or slot.name] = slot.form.join.join(value) if slot.form.join else value
    return out


def literals(item: object) -> Iterator[tuple[Form, Any]]:
    """The fields of ``item`` that its RDF form writes as plain triples: (form, value) per triple (a
    list not joined gives one per item); empty optional values are left out."""
    for slot in slots(type(item)):
        declared = slot.form
        if not declared.rdf:
            continue
        value = getattr(item, slot.name)
        if slot.kind == "DOUBLE" and type(value) is int:
            value = float(value)  # a number JSON gave back as an integer stays a decimal
        if declared.join:
            value = declared.join.join(value)
        if declared.optional and (value is None or value == "" or value == []):
            continue
        for one in value if isinstance(value, list) else [value]:
            yield declared, one
