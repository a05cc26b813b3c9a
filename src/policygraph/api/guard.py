"""What a SPARQL or Cypher query sent to the API may do, decided by tokenising it, never by patterns.

Both languages are first split into tokens by a lexer that knows their IRIs, strings, comments and
escaped names, so a ``#`` inside an IRI or a ``//`` inside a string is text, not a comment that
hides the rest of the line. The lexers refuse any character they do not know instead of skipping
it: where this lexer and an engine's could disagree, the query is refused. Limits on length, token
count, nesting depth and operator chains come before any parser or engine sees the query: the
engines recurse on nesting and crash the process (3,000 braces crash Oxigraph, 800 nested lists
or 20,000 NOTs the Cypher engine), and no parser here should recurse that deep either.

SPARQL: every bare word must be a keyword or built-in function of a SPARQL 1.1 query (so SERVICE,
LOAD and the update verbs are refused as tokens), then rdflib's SPARQL 1.1 parser parses it and its
tree is walked for SERVICE once more. ``\\u`` escapes are refused outright: rdflib expands them
before lexing and Oxigraph only inside strings, so the two would read different queries.

Cypher: an allow-list. Read clauses (MATCH, OPTIONAL MATCH, WITH, UNWIND, WHERE, RETURN, ORDER BY,
SKIP, LIMIT, UNION), expression keywords, and the functions in ``CYPHER_FUNCTIONS``; the words that
start any other clause or statement of the engines' grammars are refused wherever they stand, and
any other bare word must be a label, a property, a map key or a variable the query binds itself.
One statement only (no ``;``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MAX_QUERY_CHARS = 100_000
MAX_TOKENS = 20_000
MAX_DEPTH = 48  # brackets of any kind, nested; Oxigraph survives 1,000, LadybugDB's parser fewer than 800
MAX_CHAIN = 256  # binary operators in one bracket; a 1,000-step SPARQL path sequence crashes Oxigraph
MAX_UNARY = 16  # unary operators in a row (NOT NOT NOT …, - - -, ! ! !)


class QueryRefused(ValueError):
    """The query is not one this API runs; the message says why and where."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, var, param, string, iri, pname, number, name (a quoted name), op, open, close
    text: str
    at: int  # character offset in the query


def _where(query: str, at: int) -> str:
    line = query.count("\n", 0, at) + 1
    return f"line {line}, column {at - (query.rfind(chr(10), 0, at) + 1) + 1}"


def _lex(query: str, grammar: re.Pattern[str], skip: frozenset[str], language: str) -> Iterator[Token]:
    """Tokens of ``query`` by ``grammar`` (one alternative per token kind, longest forms first)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is longer than {MAX_QUERY_CHARS:,} characters", 413)
    position, count = 0, 0
    while position < len(query):
        match = grammar.match(query, position)
        if match is None or match.end() == position:
            character = query[position]
            raise QueryRefused(
                f"{language}: unexpected {character!r} (U+{ord(character):04X}) at {_where(query, position)}"
            )
        kind = match.lastgroup or ""
        if kind not in skip:
            count += 1
            if count > MAX_TOKENS:
                raise QueryRefused(f"{language}: more than {MAX_TOKENS:,} tokens", 413)
            yield Token(kind, match.group(), position)
        position = match.end()


_OPEN = {"(": ")", "[": "]", "{": "}"}


def _check_shape(query: str, tokens: list[Token], binary: frozenset[str], unary: frozenset[str], language: str):
    """Nesting depth, operators chained in one bracket, and unary operators in a row, all bounded."""
    stack: list[tuple[str, int]] = []  # (closing bracket, binary operators seen inside)
    chain, run = 0, 0
    for token in tokens:
        if token.kind == "open":
            stack.append((_OPEN[token.text], chain))
            chain = 0
            if len(stack) > MAX_DEPTH:
                raise QueryRefused(f"{language}: nested deeper than {MAX_DEPTH} at {_where(query, token.at)}")
        elif token.kind == "close":
            if not stack or stack[-1][0] != token.text:
                raise QueryRefused(f"{language}: unbalanced {token.text!r} at {_where(query, token.at)}")
            chain = stack.pop()[1]
        upper = token.text.upper()
        if token.kind in ("op", "word") and upper in binary:
            chain += 1
            if chain > MAX_CHAIN:
                raise QueryRefused(
                    f"{language}: more than {MAX_CHAIN} operators chained at {_where(query, token.at)}; "
                    "use VALUES/IN or UNWIND for long lists"
                )
        run = run + 1 if token.kind in ("op", "word") and upper in unary else 0
        if run > MAX_UNARY:
            raise QueryRefused(f"{language}: more than {MAX_UNARY} unary operators in a row")
    if stack:
        raise QueryRefused(f"{language}: {len(stack)} bracket(s) left open")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- SPARQL -----------------------------------------------------------------------------------

_ECHAR = r"\\[tbnrf\\\"']"
_PN_LOCAL_ESC = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
# A word and a prefixed name are one token kind here, told apart afterwards by their ':'. A dot
# inside a name must be followed by more of it (a final '.' ends a triple), and every repetition is
# possessive: a run of 'a.a.a…' without a ':' is read once, not once per starting point.
_SPARQL_NAME = (
    r"[^\W\d_](?:[\w-]|\.++(?=[\w-]))*+"
    rf"(?::(?:[\w:-]|{_PN_LOCAL_ESC}|\.++(?=[\w:%\\-]))*+)?"
    rf"|:(?:[\w:-]|{_PN_LOCAL_ESC}|\.++(?=[\w:%\\-]))*+"
)
_SPARQL = re.compile(
    r"(?P<ws>[ \t\r\n]++)"
    r"|(?P<comment>\#[^\r\n]*+)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*+>)"
    rf"|(?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}))*+'''"
    rf"|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|{_ECHAR}))*+\"\"\""
    rf"|'(?:[^'\\\r\n]|{_ECHAR})*+'|\"(?:[^\"\\\r\n]|{_ECHAR})*+\")"
    r"|(?P<var>[?$]\w++)"
    r"|(?P<bnode>_:\w(?:[\w-]|\.++(?=[\w-]))*+)"
    r"|(?P<number>\d*+\.\d++(?:[eE][+-]?\d++)?|\d++(?:\.\d*+)?[eE][+-]?\d++|\d++)"
    r"|(?P<langtag>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)"
    rf"|(?P<word>{_SPARQL_NAME})"
    r"|(?P<open>[({\[])|(?P<close>[)}\]])"
    r"|(?P<op>\|\||&&|!=|<=|>=|\^\^|[;,.*/|^!=<>+\-?])"
)
_SPARQL_WORDS = _words(
    """SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED AS ORDER BY ASC DESC
    LIMIT OFFSET GROUP HAVING VALUES UNDEF OPTIONAL UNION MINUS FILTER BIND GRAPH EXISTS NOT IN A TRUE FALSE
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE
    ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE
    TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK
    ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR"""
)
_SPARQL_UPDATE = _words("SERVICE LOAD INSERT DELETE CLEAR DROP CREATE ADD MOVE COPY WITH USING DATA")
_SPARQL_BINARY = _words("|| && = != < > <= >= + - * / | UNION")
_SPARQL_UNARY = _words("! - + ^")
_UNICODE_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def check_sparql(query: str) -> str:
    """The query, if it is a SPARQL 1.1 query this API runs; raises QueryRefused otherwise."""
    escape = _UNICODE_ESCAPE.search(query)
    if escape:
        raise QueryRefused(
            f"SPARQL: \\u escapes are not accepted ({escape.group()} at {_where(query, escape.start())}); "
            "write the character itself"
        )
    tokens = list(_lex(query, _SPARQL, frozenset({"ws", "comment"}), "SPARQL"))
    if not tokens:
        raise QueryRefused("SPARQL: the query is empty")
    for token in tokens:
        if token.kind != "word" or ":" in token.text:  # a prefixed name is a name, whatever its words
            continue
        word = token.text.upper()
        if word == "SERVICE":
            raise QueryRefused("SERVICE is refused: this endpoint does not call other hosts", 403)
        if word in _SPARQL_UPDATE:
            raise QueryRefused(f"SPARQL updates are refused ({token.text} at {_where(query, token.at)})", 403)
        if word not in _SPARQL_WORDS:
            raise QueryRefused(f"SPARQL: {token.text!r} at {_where(query, token.at)} is not a SPARQL 1.1 query word")
    _check_shape(query, tokens, _SPARQL_BINARY, _SPARQL_UNARY, "SPARQL")
    _parse_sparql(query)
    return query


def _parse_sparql(query: str) -> None:
    """rdflib's SPARQL 1.1 parser, whose tree is walked for SERVICE: a second reading by a real grammar."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(query)
    except ParseBaseException as exc:
        raise QueryRefused(f"SPARQL: not a query: {exc.msg} at line {exc.lineno}, column {exc.col}") from exc
    except RecursionError as exc:
        raise QueryRefused("SPARQL: nested too deep to parse") from exc
    except Exception as exc:  # rdflib raises plain exceptions for some malformed terms
        raise QueryRefused(f"SPARQL: not a query: {exc}") from exc
    pending: list[object] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CompValue):
            if node.name in ("ServiceGraphPattern", "Load"):
                raise QueryRefused("SERVICE is refused: this endpoint does not call other hosts", 403)
            pending.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            pending.extend(node)  # type: ignore[arg-type]


# --- Cypher -----------------------------------------------------------------------------------

_CYPHER = re.compile(
    r"(?P<ws>[ \t\r\n\v\f\x1c-\x1f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]++)"
    r"|(?P<comment>//[^\r\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)"
    r"|(?P<string>'(?:[^'\\]|\\[\s\S])*+'|\"(?:[^\"\\]|\\[\s\S])*+\")"
    r"|(?P<name>`(?:[^`]|``)*+`)"
    r"|(?P<param>\$(?:\w++|`(?:[^`]|``)*+`))"
    r"|(?P<number>0[xX][0-9A-Fa-f]++|\d++(?:\.\d++)?(?:[eE][+-]?\d++)?|\.\d++(?:[eE][+-]?\d++)?)"
    r"|(?P<word>[^\W\d]\w*+)"
    r"|(?P<open>[({\[])|(?P<close>[)}\]])"
    r"|(?P<op><>|!=|<=|>=|=~|->|<-|\.\.|[-+*/%^=<>:,.|])"
)
# Read clauses and expression keywords.
_CYPHER_ALLOWED = _words(
    """MATCH OPTIONAL WITH UNWIND WHERE RETURN ORDER BY SKIP LIMIT UNION ALL DISTINCT AS ASC ASCENDING DESC
    DESCENDING AND OR XOR NOT IN IS NULL TRUE FALSE CASE WHEN THEN ELSE END STARTS ENDS CONTAINS EXISTS COUNT
    SHORTEST ANY NONE SINGLE"""
)
# The keywords that start every other clause or statement of LadybugDB's (Kùzu's) and Neo4j's
# grammars: refused wherever they stand, so a variable cannot be named like a clause and pass as one.
# (Their other keywords — TABLE, KEY, TO … — only occur after one of these.)
_CYPHER_RESERVED = _words(
    """ALTER ATTACH BEGIN CALL CHECKPOINT COMMENT COMMIT COMMIT_SKIP_CHECKPOINT COPY CREATE DEALLOCATE DELETE
    DENY DETACH DROP ENABLE EXPLAIN EXPORT FINISH FOREACH GRANT IMPORT INSTALL LOAD MERGE PROFILE PROJECT
    REMOVE RENAME REVOKE ROLLBACK ROLLBACK_SKIP_CHECKPOINT SET SHOW TERMINATE UNINSTALL USE USING
    YIELD"""
)
# Functions a query may call: those the named queries use and the read-only ones of both engines.
CYPHER_FUNCTIONS = _words(
    """count collect min max sum avg coalesce label labels type id size length keys properties nodes
    relationships rels startnode endnode head last tail range reverse tolower toupper lower upper trim ltrim
    rtrim replace substring left right split tostring tointeger tofloat toboolean abs ceil floor round sign
    sqrt exists all any none single contains starts_with ends_with list_contains list_concat list_sort
    string_split concat lcase ucase"""
)
_CYPHER_BINARY = _words("AND OR XOR = <> != < > <= >= + - * / % ^ =~ IN CONTAINS STARTS ENDS")
_CYPHER_UNARY = _words("NOT - +")


def check_cypher(query: str) -> str:
    """The query, if it only reads; raises QueryRefused otherwise."""
    tokens = list(_lex(query, _CYPHER, frozenset({"ws", "comment"}), "Cypher"))
    if not tokens:
        raise QueryRefused("Cypher: the query is empty")
    _check_shape(query, tokens, _CYPHER_BINARY, _CYPHER_UNARY, "Cypher")  # balanced brackets from here on
    if not any(token.kind == "word" and token.text.upper() == "RETURN" for token in tokens):
        raise QueryRefused("Cypher: a query must RETURN something", 403)
    bound = _bound_variables(tokens)
    inside = _enclosing(tokens)
    for k, token in enumerate(tokens):
        before = tokens[k - 1].text if k else ""
        after = tokens[k + 1].text if k + 1 < len(tokens) else ""
        if token.kind == "name" and after == "(":
            _function(query, token.text[1:-1].replace("``", "`"), token)
        if token.kind != "word":
            continue
        word = unicodedata.normalize("NFKC", token.text).upper()  # look-alike letters read as the keyword
        if before == ".":  # a property, or a namespaced function
            if after == "(":
                _function(query, _dotted(tokens, k), token)
        elif after == "(" and word not in _CYPHER_ALLOWED:
            _function(query, token.text, token)
        elif after == "." and _called(tokens, k):
            _function(query, _called(tokens, k), token)
        elif word in _CYPHER_RESERVED:
            raise QueryRefused(
                f"only reading Cypher is accepted: {token.text} at {_where(query, token.at)} is refused "
                "(read clauses: MATCH, OPTIONAL MATCH, WITH, UNWIND, WHERE, RETURN, ORDER BY, SKIP, LIMIT, UNION)",
                403,
            )
        elif before in (":", "|"):
            continue  # a label or relationship type (or a map's value or a projection, then a variable)
        elif not (
            word in _CYPHER_ALLOWED
            or token.text in bound
            or (after == ":" and inside[k] == "{" and before in ("{", ","))  # a map key
        ):
            raise QueryRefused(
                f"Cypher: {token.text!r} at {_where(query, token.at)} is neither a read clause, an allowed "
                "function nor a variable the query binds",
                403,
            )
    return query


def _function(query: str, name: str, token: Token) -> None:
    if name.lower() not in CYPHER_FUNCTIONS:
        raise QueryRefused(f"Cypher: the function {name}() at {_where(query, token.at)} is not allowed", 403)


def _called(tokens: list[Token], k: int) -> str:
    """The dotted name ``a.b.c`` that starts at word ``k`` when a '(' follows it (a namespaced call)."""
    parts = [tokens[k].text]
    while k + 2 < len(tokens) and tokens[k + 1].text == "." and tokens[k + 2].kind == "word":
        parts.append(tokens[k + 2].text)
        k += 2
    return ".".join(parts) if k + 1 < len(tokens) and tokens[k + 1].text == "(" else ""


def _dotted(tokens: list[Token], k: int) -> str:
    parts = [tokens[k].text]
    while k >= 2 and tokens[k - 1].text == "." and tokens[k - 2].kind == "word":
        parts.insert(0, tokens[k - 2].text)
        k -= 2
    return ".".join(parts)


def _enclosing(tokens: list[Token]) -> list[str]:
    """The innermost open bracket around each token ('' at the top level)."""
    stack: list[str] = []
    found = []
    for token in tokens:
        if token.kind == "close":
            stack.pop()
        found.append(stack[-1] if stack else "")
        if token.kind == "open":
            stack.append(token.text)
    return found


def _bound_variables(tokens: list[Token]) -> set[str]:
    """Names the query binds: ``(n``/``[r`` in patterns, ``p =`` before a pattern, ``AS x``, and the
    ``x IN`` of list comprehensions and list predicates."""
    bound: set[str] = set()
    for k, token in enumerate(tokens):
        if token.kind not in ("word", "name"):
            continue
        before = tokens[k - 1].text.upper() if k else ""
        after = tokens[k + 1].text.upper() if k + 1 < len(tokens) else ""
        if (
            (before in ("(", "[") and after in (":", ")", "]", "{", "*", "IN"))
            or before == "AS"
            or (after == "=" and k + 2 < len(tokens) and tokens[k + 2].text == "(")
        ):
            bound.add(token.text)
    return bound
