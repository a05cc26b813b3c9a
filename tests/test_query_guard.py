"""The query guard on its own: every named query passes, the attacks of the hardening issue are
refused for the right reason, and generated nestings never get past the limits or crash it."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings, strategies as st

from policygraph.api.guard import MAX_DEPTH, QueryRefused, check_cypher, check_sparql
from policygraph.named_queries import QUERY_DIR, load_queries


@pytest.mark.parametrize("path", sorted(QUERY_DIR.iterdir()), ids=lambda p: p.name)
def test_every_named_query_passes_the_guard(path):
    text = path.read_text(encoding="utf-8")
    check = check_sparql if path.suffix == ".rq" else check_cypher
    assert check(text) == text
    assert load_queries()  # and the files still load as named queries


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX pg: <https://w3id.org/policygraph/ontology#> SELECT ?t WHERE { ?d a pg:PolicyDocument ; pg:title ?t }",
        "SELECT ?s WHERE { ?s ?p 'a # not a comment' } # a comment\nLIMIT 1",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o > 2 && ?o < 10 || !BOUND(?o)) }",
        'ASK { ?s <http://e/a#b> """long # "quoted" string""" }',
        "SELECT * WHERE { ?s ?p ?o. ?o ?q ?r.} ORDER BY DESC(?s) LIMIT 3",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a.b ?o ; ex:c\\#d ?x }",
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?p { <http://e/p> } }",
    ],
)
def test_ordinary_sparql_passes(query):
    assert check_sparql(query) == query


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (u:Unit) RETURN u.name AS name LIMIT 5",
        "MATCH (m:Measure)-[r:LEAD_BY|RESPONSIBLE]->(u) RETURN u.name, count(*) ORDER BY count(*) DESC LIMIT 5",
        "MATCH (u:Unit {name: $n}) RETURN u.type",
        "UNWIND [1, 2, 3] AS x RETURN x * 2 AS y",
        "MATCH p = (a)-[*1..2]->(b) RETURN length(p) LIMIT 1",
        "MATCH (n:Unit) WHERE n.name CONTAINS '局' AND NOT n.name STARTS WITH '#' "
        "RETURN [x IN collect(n.name) WHERE x <> '' | x] AS names",
        "MATCH (u:Unit) RETURN CASE WHEN u.type IS NULL THEN 'none' ELSE u.type END AS t, {name: u.name} AS m",
        "MATCH (a:Unit) RETURN a.name UNION MATCH (b:Region) RETURN b.name",
    ],
)
def test_ordinary_cypher_passes(query):
    assert check_cypher(query) == query


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("MATCH (n) DETACH DELETE n RETURN 1", "DETACH"),
        ("MATCH (n) SET n.x = 1 RETURN n", "SET"),
        ("MATCH (n) /* x */ \uff24\uff25\uff2c\uff25\uff34\uff25 n RETURN 1", "\uff24\uff25\uff2c\uff25\uff34\uff25"),
        ("MATCH (load) LOAD FROM '/etc/hostname' RETURN *", "load"),
        ("MATCH (n) RETURN db.labels()", "db"),
        ("MATCH (n) RETURN `current_setting`('threads')", "current_setting"),
        ("RETURN 1; MATCH (n) RETURN n", "';'"),
        ("MATCH (n) RETURN n, x", "'x'"),
        ("MATCH (n) RETURN apoc.text.join(['a'], ',')", "apoc.text.join"),
    ],
)
def test_cypher_outside_the_allow_list_is_refused(query, why):
    with pytest.raises(QueryRefused) as refused:
        check_cypher(query)
    assert why in str(refused.value)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 3000 + "}" * 3000,  # crashed Oxigraph
        "SELECT * WHERE { ?s " + "/".join(["<http://e/p>"] * 1000) + " ?o }",  # crashed Oxigraph
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 5000 + "true) }",
        "SELECT * WHERE { FILTER(" + "CONCAT(" * 1000 + "'a'" + ",'b')" * 1000 + ") }",  # crashed Oxigraph
    ],
)
def test_sparql_past_the_limits_is_refused_before_any_parser(query):
    with pytest.raises(QueryRefused):
        check_sparql(query)


@pytest.mark.parametrize(
    "query",
    [
        "RETURN " + "NOT " * 20_000 + "true",  # crashed LadybugDB
        "RETURN " + "NOT " * 500 + "true",
        "RETURN " + "[" * 800 + "]" * 800,  # crashed LadybugDB's parser
        "RETURN " + "(" * 100 + "1" + ")" * 100,
        "RETURN " + "- " * 100 + "1",
    ],
)
def test_cypher_past_the_limits_is_refused(query):
    with pytest.raises(QueryRefused):
        check_cypher(query)


ADVERSARIAL = ["a.", "a", "'a", "<a", "ex:a.", "?a", "/*", "`a", "a ", "((", "NOT ", '"""\'', "#\n", "\\"]


@pytest.mark.parametrize("piece", ADVERSARIAL)
def test_the_lexers_are_linear(piece):
    """100,000 characters of one repeated piece are refused or read in well under a second each (a
    quadratic lexer takes minutes); a bound for a slow machine, not a benchmark."""
    text = (piece * (99_990 // len(piece)))[:99_990]
    for check in (check_sparql, check_cypher):
        started = time.perf_counter()
        with pytest.raises(QueryRefused):
            check(text)
        assert time.perf_counter() - started < 5, (check.__name__, piece)


OPENERS = st.sampled_from(["(", "[", "{", "{ ?s ?p ?o ", "FILTER(", "NOT ", "! ", "[x IN ", "CONCAT("])


@st.composite
def nestings(draw) -> str:
    """A query shape nested to a random depth, with random openers, and closed (or not)."""
    depth = draw(st.integers(0, 4 * MAX_DEPTH))
    openers = draw(st.lists(OPENERS, min_size=depth, max_size=depth))
    closers = {"(": ")", "[": "]", "{": "}", "{ ?s ?p ?o ": "}", "FILTER(": ")", "[x IN ": "]", "CONCAT(": ")"}
    inner = draw(st.sampled_from(["1", "?s", "true", "'#'", "<http://e/#x>", "n"]))
    close = "".join(closers.get(o, "") for o in reversed(openers))
    if draw(st.booleans()):
        close = close[: draw(st.integers(0, len(close)))]
    prefix = draw(st.sampled_from(["SELECT * WHERE ", "ASK ", "RETURN ", "MATCH (n) RETURN "]))
    return prefix + "".join(openers) + inner + close


@settings(max_examples=300, deadline=None)
@given(nestings())
def test_generated_nestings_are_refused_or_within_the_limits(query):
    """Whatever the guard accepts is nested no deeper than MAX_DEPTH; everything else is refused with
    QueryRefused (never a RecursionError or another exception)."""
    for check in (check_sparql, check_cypher):
        try:
            check(query)
        except QueryRefused:
            continue
        depth = deepest = 0
        for character in query:
            depth += character in "([{"
            depth -= character in ")]}"
            deepest = max(deepest, depth)
        assert deepest <= MAX_DEPTH
