"""The ``policygraph`` command: a few lines over library calls per verb.

policygraph text FILE                          the decoded text every offset refers to
policygraph extract PATH... [--format jsonl]   one object per document
policygraph build PATH... --out DIR            RDF named graphs, the embedded SPARQL and Cypher stores
policygraph load neo4j DIR [--uri …]           the property graph into a Neo4j server
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from policygraph.contracts import alignment_json, document_json
from policygraph.errors import PolicygraphError
from policygraph.folder import one_document, open_build
from policygraph.ingest import batch
from policygraph.ingest.batch import (
    DEFAULT_MEMORY,
    DEFAULT_TIME,
    MEMORY_BUDGET,
    MEMORY_BUDGET_ENV,
    TIME_BUDGET,
    TIME_BUDGET_ENV,
    Budget,
)
from policygraph.ingest.extract import decoded_text
from policygraph.model import Document, between


def say(line: str) -> None:
    print(line, file=sys.stderr)


def cmd_text(args: argparse.Namespace) -> int:
    try:
        sys.stdout.write(decoded_text(Path(args.file)))
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def extract_paths(
    paths: list[str], time_budget: Budget | None = DEFAULT_TIME, memory_budget: Budget | None = DEFAULT_MEMORY
) -> tuple[list[tuple[Document, str]], int]:
    """Every input with its text (see ``batch.extract_paths``); failures are said on stderr."""
    return batch.extract_paths(paths, time_budget, memory_budget, progress=say)


def cmd_extract(args: argparse.Namespace) -> int:
    extracted, failed = extract_paths(args.paths, args.time_budget, args.memory_budget)
    records = [document_json(document) for document, _ in extracted]
    if args.format == "jsonl":
        sys.stdout.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    else:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    print(f"extracted {len(records)} document(s), {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_align(args: argparse.Namespace) -> int:
    from policygraph.align.run import align

    extracted, failed = extract_paths(args.paths, args.time_budget, args.memory_budget)
    documents = [document for document, _ in extracted]
    result = alignment_json(align(documents), documents)
    indent = 1 if args.format == "json" else None
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=indent) + "\n")
    print(
        f"aligned {len(extracted)} document(s): {len(result['measure_links'])} measure links, "
        f"{len(result['indicator_groups'])} indicator groups, {len(result['section_links'])} section links; "
        f"{failed} file(s) failed",
        file=sys.stderr,
    )
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    from policygraph.pipeline import build_paths

    formats = [name for name in ("trig", "turtle", "jsonld") if getattr(args, name)]
    try:
        report = build_paths(
            args.paths, Path(args.out), say, formats, args.time_budget, args.memory_budget, full=args.full
        )
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for left_out, kept in report.duplicates:
        print(f"note: {left_out} has the same text as {kept}; built once, as {kept}", file=sys.stderr)
    counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
    print(
        f"built {args.out}: {counts}; {report.quads} quads; {len(report.added)} graph(s) added, "
        f"{len(report.removed)} removed, {len(report.unchanged)} unchanged; {report.failed} file(s) failed; "
        f"{report.reused} file(s) taken from the build in use, {report.aligned} document(s) aligned",
        file=sys.stderr,
    )
    print("stages: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in report.seconds.items()), file=sys.stderr)
    return 1 if report.failed else 0


def cmd_load_neo4j(args: argparse.Namespace) -> int:
    import neo4j

    from policygraph.graph.neo4j_store import Neo4jWriter

    try:
        build = open_build(Path(args.folder))  # both files from the same build
        source = build.fingerprint()
        auth = (args.user, args.password) if args.password else None
        with neo4j.GraphDatabase.driver(args.uri, auth=auth) as driver:
            driver.verify_connectivity()
            writer = Neo4jWriter(driver, args.database)
            # the server holds this very build: nothing to read or write, only the counts to check
            report = None if args.full else writer.held(source)
            if report is None:
                report = writer.write(build.documents(), build.alignment(), full=args.full, source=source)
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except neo4j.exceptions.Neo4jError as exc:
        print(f"error: Neo4j at {args.uri}: {exc.message}", file=sys.stderr)
        return 1
    except (neo4j.exceptions.ServiceUnavailable, OSError) as exc:
        print(f"error: cannot reach Neo4j at {args.uri}: {exc}", file=sys.stderr)
        return 1
    mismatched = {name: pair for name, pair in report.items() if pair[0] != pair[1]}
    print(
        "loaded into " + args.uri + ": " + ", ".join(f"{n} {name}" for name, (n, _) in report.items()), file=sys.stderr
    )
    for name, (expected, found) in mismatched.items():
        print(f"error: {name}: the model has {expected}, Neo4j holds {found}", file=sys.stderr)
    return 1 if mismatched else 0


def cmd_load_sparql(args: argparse.Namespace) -> int:
    from policygraph.graph.remote import GraphStoreWriter

    query = args.query or re.sub(r"/store$", "/query", args.endpoint)
    try:
        build = open_build(Path(args.folder))  # both files from the same build
        documents, alignment = build.documents(), build.alignment()
        report = GraphStoreWriter(args.endpoint, query).write(documents, alignment)
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"pushed {len(report.put)} graph(s) to {args.endpoint}, deleted {len(report.deleted)}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from policygraph.api.app import create_app
    from policygraph.api.common import Settings

    try:
        app = create_app(
            Path(args.folder),
            neo4j_uri=args.neo4j,
            settings=Settings(  # an option not given keeps Settings' default: declared there only
                cors_origins=tuple(args.cors_origin),
                **{
                    field: value
                    for field, value in (
                        ("result_cap", args.result_cap),
                        ("query_timeout", args.timeout),
                        ("max_body", args.max_body),
                        ("workers", args.workers),
                        ("queue_wait", args.queue_wait),
                    )
                    if value is not None
                },
            ),
        )
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"serving {args.folder} on http://{args.host}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _viz_alignment(args: argparse.Namespace) -> int:
    from policygraph.viz.alignment import alignment_html

    try:
        if not (args.a and args.b):
            raise PolicygraphError("give --a and --b (document ids or source file names)")
        build = open_build(Path(args.folder))  # both files from the same build
        documents = build.documents()
        a, b = one_document(documents, args.a), one_document(documents, args.b)
        alignment = build.alignment()
        if not alignment.method:
            raise PolicygraphError(f"{args.folder}: no alignment.json; rebuild it with 'policygraph build'")
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    links = between(alignment.measure_links, a.id, b.id)
    sections = between(alignment.section_links, a.id, b.id)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(alignment_html(a, b, links, sections), encoding="utf-8")
    print(f"wrote {args.out}: {len(links)} measure links between {a.source} and {b.source}", file=sys.stderr)
    return 0


def cmd_viz(args: argparse.Namespace) -> int:
    from policygraph.viz.views import chart_html, network_html, select, workload

    if args.view == "alignment":
        return _viz_alignment(args)
    try:
        if not (args.document or args.region):
            raise PolicygraphError("give --document ID or --region NAME")
        documents, title = select(open_build(Path(args.folder)).documents(), args.document, args.region)
        if not documents:
            raise PolicygraphError(f"{args.folder}: no document matches {args.document or args.region}")
    except PolicygraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    view = workload(documents, title)
    page = network_html(view, args.max_measures) if args.view == "workload" else chart_html(view)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(page, encoding="utf-8")
    print(f"wrote {args.out}: {len(view.units)} units, {len(view.measures)} measures", file=sys.stderr)
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    from policygraph.api.app import create_app

    sys.stdout.write(
        json.dumps(create_app(Path("."), check_folder=False).openapi(), ensure_ascii=False, indent=1) + "\n"
    )
    return 0


def _budget(text: str) -> Budget | None:
    try:
        return Budget.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _add_budget_options(parser: argparse.ArgumentParser) -> None:
    """--time-budget and --memory-budget, defaulting to the environment, then to the built-in budgets."""
    for flag, env, default, metavar, what in (
        ("--time-budget", TIME_BUDGET_ENV, TIME_BUDGET, "S[+S/MB]", "seconds one file may take, plus seconds"),
        ("--memory-budget", MEMORY_BUDGET_ENV, MEMORY_BUDGET, "MB[+MB/MB]", "MB of memory one file may take, plus MB"),
    ):
        parser.add_argument(
            flag,
            type=_budget,
            default=os.environ.get(env, default),
            metavar=metavar,
            help=f"{what} per MB of it, or none (default {default}, or ${env})",
        )


def build_parser() -> argparse.ArgumentParser:
    from policygraph.api.middleware import byte_size

    parser = argparse.ArgumentParser(prog="policygraph", description="Knowledge graph of Chinese policy plans.")
    sub = parser.add_subparsers(dest="command", required=True)
    text = sub.add_parser(
        "text",
        help="print the decoded text that every offset refers to",
        epilog="example: policygraph text ingest/000_b9be483c999a08ea.txt",
    )
    text.add_argument("file")
    text.set_defaults(func=cmd_text)
    extract = sub.add_parser(
        "extract",
        help="extract measures, units, indicators and projects",
        epilog="example: policygraph extract ingest --format jsonl > out/extract.jsonl",
    )
    extract.add_argument("paths", nargs="+", help="files or folders (.txt .md .docx .html .pdf)")
    extract.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    _add_budget_options(extract)
    extract.set_defaults(func=cmd_extract)
    align = sub.add_parser(
        "align",
        help="link corresponding measures, indicators, sections and documents across documents",
        epilog="example: policygraph align tests/data/corpus-dev/06_*.txt tests/data/corpus-dev/08_*.txt --format json",
    )
    align.add_argument("paths", nargs="+", help="files or folders (.txt .md .docx .html .pdf)")
    align.add_argument("--format", choices=("json", "compact"), default="json", help="indented or one-line JSON")
    _add_budget_options(align)
    align.set_defaults(func=cmd_align)
    build = sub.add_parser(
        "build",
        help="extract and write the RDF graph and the embedded stores to a folder",
        epilog="example: policygraph build ingest --out out/graph",
    )
    build.add_argument("paths", nargs="+", help="files or folders (.txt .md .docx .html .pdf)")
    build.add_argument("--out", required=True, help="output folder, kept in step with the input")
    build.add_argument("--trig", action="store_true", help="also write graph.trig (the N-Quads content as TriG)")
    build.add_argument("--turtle", action="store_true", help="also write graph.ttl (all graphs merged)")
    build.add_argument("--jsonld", action="store_true", help="also write graph.jsonld")
    build.add_argument(
        "--full",
        action="store_true",
        help="extract and align every document again (by default a build reuses what the build in use "
        "holds of unchanged files and documents)",
    )
    _add_budget_options(build)
    build.set_defaults(func=cmd_build)
    load = sub.add_parser("load", help="load a build folder into a server").add_subparsers(dest="target", required=True)
    neo = load.add_parser(
        "neo4j",
        help="load the property graph into Neo4j over Bolt (idempotent)",
        epilog="example: policygraph load neo4j out/graph --uri bolt://127.0.0.1:7687",
    )
    neo.add_argument("folder", help="a folder written by 'policygraph build'")
    neo.add_argument("--uri", default=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"))
    neo.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"))
    neo.add_argument("--password", default=os.environ.get("NEO4J_PASSWORD", ""))
    neo.add_argument("--database", default=os.environ.get("NEO4J_DATABASE") or None)
    neo.add_argument(
        "--full", action="store_true", help="write every row again, whatever fingerprints the server holds"
    )
    neo.set_defaults(func=cmd_load_neo4j)
    sparql = load.add_parser(
        "sparql",
        help="push the named graphs to a SPARQL 1.1 store (Graph Store Protocol)",
        epilog="example: policygraph load sparql out/graph --endpoint http://127.0.0.1:7878/store",
    )
    sparql.add_argument("folder", help="a folder written by 'policygraph build'")
    sparql.add_argument("--endpoint", required=True, help="the Graph Store Protocol endpoint")
    sparql.add_argument("--query", help="the SPARQL query endpoint (default: the endpoint with /store → /query)")
    sparql.set_defaults(func=cmd_load_sparql)
    serve = sub.add_parser(
        "serve",
        help="serve a build folder over HTTP: REST, SPARQL, Cypher",
        epilog="example: policygraph serve out/graph --port 8000",
    )
    serve.add_argument("folder", help="a folder written by 'policygraph build'")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--neo4j", default=os.environ.get("NEO4J_URI"), help="answer /cypher on this Neo4j")
    serve.add_argument("--timeout", type=float, help="seconds a query may run (default 10)")
    serve.add_argument("--result-cap", type=int, help="rows a query may return (default 10,000)")
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        help="a web origin allowed to call the API from a browser (repeatable; none by default)",
    )
    serve.add_argument(
        "--max-body",
        type=byte_size,
        help="largest request body (a query) the server reads, in bytes or with K/M: 64K, 1M (default 1M); "
        "a larger one answers 413",
    )
    serve.add_argument(
        "--workers",
        type=int,
        help="query worker processes: SPARQL and Cypher run there, killed past --timeout (default: the cores)",
    )
    serve.add_argument(
        "--queue-wait", type=float, help="seconds a query waits for a free worker before 503 (default 5)"
    )
    serve.set_defaults(func=cmd_serve)
    viz = sub.add_parser(
        "viz",
        help="write a standalone HTML view (works offline)",
        epilog="examples: policygraph viz workload out/graph --region 恩阳区 --out viz/enyang.html; "
        "policygraph viz alignment out/graph --a 004 --b 003 --out out/alignment_004_003.html",
    )
    viz.add_argument(
        "view",
        choices=("workload", "chart", "alignment"),
        help="the unit network, bars by unit type, or two documents' measures joined by their links",
    )
    viz.add_argument("folder", help="a folder written by 'policygraph build'")
    viz.add_argument("--document", help="one document id")
    viz.add_argument("--region", help="all documents of a region (or of its districts and counties)")
    viz.add_argument("--max-measures", type=int, default=400, help="measure nodes shown at most")
    viz.add_argument("--a", help="alignment: the higher-level document (id or source file name)")
    viz.add_argument("--b", help="alignment: the other document")
    viz.add_argument("--out", required=True, help="the HTML file to write")
    viz.set_defaults(func=cmd_viz)
    openapi = sub.add_parser("openapi", help="print the API's OpenAPI document (saved as api/openapi.json)")
    openapi.set_defaults(func=cmd_openapi)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
