"""The `civcas` command: run the pipeline, query the published warehouse."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from civcas.errors import explain
from civcas.query import DEFAULT_MAX_ROWS
from civcas.settings import load_settings


def _run(args: argparse.Namespace) -> int:
    from civcas.inputs import UP_TO_DATE, known_sources, up_to_date

    # Landing files of the sources named and code as last published, and no API month to fetch:
    # nothing would land, so nothing is built or published, whatever the command line. `--full`
    # too: from the same landed rows and code, a rebuild makes the warehouse already published.
    if (
        not args.month
        and known_sources(args.source)
        and up_to_date(load_settings(), verify=args.verify, sources=args.source)
    ):
        print(UP_TO_DATE)
        return 0
    from civcas.dbt_manifest import ManifestError, ensure_manifest
    from civcas.warehouse import prefetch_copy

    # Every build is made beside the published file: a folder the run cannot write ends here, in
    # one line (main), not in an error per landing step.
    load_settings().builds_dir.mkdir(parents=True, exist_ok=True)
    prefetch_copy(load_settings())
    # The Dagster asset graph is dbt's manifest: parse again when a model changed since (a pull).
    try:
        ensure_manifest()
    except ManifestError as error:
        print(f"civcas run: {error}", file=sys.stderr)
        return 2
    # Dagster is imported only here: `civcas sql` and `civcas ledger check` start without it.
    from orchestration.defs.transform.dbt import FULL_BUILD_TAG
    from orchestration.run import landing_tags, run_pipeline
    from orchestration.run_tags import process_tags
    from orchestration.selection import plan_runs

    runs, notes = plan_runs(args.source, args.month)
    for note in notes:
        print(note)
    fetches = any(planned.months for planned in runs)
    if not fetches and up_to_date(load_settings(), sources=args.source):
        print(UP_TO_DATE)  # the months asked for are of API sources without credentials
        return 0
    print(f"civcas: building from {load_settings().landing_dir}", flush=True)
    succeeded = True
    for planned in runs:
        if len(runs) > 1:
            print(f"civcas: run for {planned.label}", flush=True)
        # The fingerprints of the files it lands: once published, they count as seen.
        tags = {**planned.tags, **landing_tags(args.source), **process_tags()}
        if args.full:
            tags[FULL_BUILD_TAG] = "true"
        report = run_pipeline(planned.selection, tags=tags, verbose=args.verbose)
        print("\n".join(report.lines()), flush=True)
        succeeded = succeeded and report.success
        if not report.success:
            break
    return 0 if succeeded else 1


def _ledger_check(args: argparse.Namespace) -> int:
    from civcas.ledger_check import main as check

    return check(args.files)


def _sql(args: argparse.Namespace) -> int:
    from civcas.as_of import AsOfError
    from civcas.lake import LakeError
    from civcas.published import publish_as_of
    from civcas.query import GuardedSession, QueryRefused
    from civcas.sql_prompt import prompt

    settings = load_settings()
    publish = None  # the latest
    if args.as_of is not None:
        try:
            publish = publish_as_of(settings, args.as_of)
        except (AsOfError, LakeError) as error:
            print(f"civcas sql: {error}", file=sys.stderr)
            return 2
        print(
            f"civcas sql: as of {args.as_of}: the warehouse published at"
            f" {publish.published_at:%Y-%m-%d %H:%M:%S} UTC by run {publish.run_id}",
            file=sys.stderr,
        )
    elif settings.lake is None and not settings.warehouse.exists():
        print(
            f"civcas: no published warehouse at {settings.warehouse}; run `civcas run` first",
            file=sys.stderr,
        )
        return 2
    try:
        with GuardedSession(settings, publish=publish) as session:
            if args.query is None and sys.stdin.isatty():
                return prompt(session, args.format, args.max_rows)
            query = sys.stdin.read() if args.query is None else args.query
            session.run(query, sys.stdout, args.format, args.max_rows)
    except QueryRefused as error:
        print(f"civcas sql: {error}", file=sys.stderr)
        return 1
    return 0


def _status(_args: argparse.Namespace) -> int:
    from civcas.status import status_lines

    print("\n".join(status_lines(load_settings())))
    return 0


def _export(args: argparse.Namespace) -> int:
    from civcas.dbt_manifest import ensure_manifest
    from civcas.export import ExportError, export

    try:
        written = export(
            load_settings(), Path(args.out), args.format, args.tables, ensure_manifest()
        )
    except ExportError as error:
        print(f"civcas export: {error}", file=sys.stderr)
        return 1
    print(f"civcas export: wrote {len(written)} files to {Path(args.out).resolve()}")
    for path in written:
        print(f"  {path.name}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    from civcas.docs_site import DocsError, build_docs, docs_dir, serve_docs

    settings = load_settings()
    if args.serve_only:
        site = docs_dir(settings)
        if not (site / "index.html").exists():
            print(f"civcas docs: no pages in {site}; run `civcas docs` first", file=sys.stderr)
            return 1
        return serve_docs(site, args.port)
    try:
        site = build_docs(settings, progress=lambda line: print(f"civcas docs: {line}", flush=True))
    except DocsError as error:
        print(f"civcas docs: {error}", file=sys.stderr)
        return 1
    print(f"civcas docs: dbt docs and validation results in {site}")
    if args.no_serve:
        return 0
    return serve_docs(site, args.port)


def _report(args: argparse.Namespace) -> int:
    from civcas.report_site import write_report

    settings = load_settings()
    if settings.lake is None and not settings.warehouse.exists():
        print(
            f"civcas: no published warehouse at {settings.warehouse}; run `civcas run` first",
            file=sys.stderr,
        )
        return 2
    index = write_report(settings, args.out or settings.report_dir)
    print(f"civcas report: wrote {index}")
    return 0


def _review(args: argparse.Namespace) -> int:
    from civcas import review
    from civcas.lake import LakeError
    from civcas.published import NothingPublished, open_published

    settings = load_settings()
    import duckdb

    try:
        con = open_published(settings)
    except (NothingPublished, LakeError) as error:
        print(f"civcas: {error}", file=sys.stderr)
        return 2
    try:
        pair = tuple(args.pair) if args.pair else review.next_pair(con)
        if pair is None:
            print("civcas review: no pair to review")
            return 0
        print(review.side_by_side(con, *pair))
    except review.ReviewError as error:
        print(f"civcas review: {error}", file=sys.stderr)
        return 1
    except duckdb.CatalogException:
        print(
            "civcas review: the published warehouse has no review marts;"
            " run `civcas run` with this version first",
            file=sys.stderr,
        )
        return 2
    finally:
        con.close()
    try:
        decision = review.ask(*pair, decided_by=args.by or "", prompt=input)
    except EOFError:  # input ended before a decision: nothing to record
        decision = None
    if decision is None:
        print("skipped: nothing written")
        return 0
    path = review.append_decision(settings.landing_dir, decision)
    print(f"{decision.decision}: written to {path}; the next `civcas run` applies it")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="civcas", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run",
        help="land, build, validate and publish the warehouse",
        description="Land new data, build the models, validate, and publish the warehouse.",
        epilog=_sources_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="only this source (repeatable); default: all sources",
    )
    run.add_argument(
        "--month",
        action="append",
        default=[],
        metavar="YYYY-MM",
        help="for API sources, the event month(s) to fetch (repeatable)",
    )
    run.add_argument(
        "--full",
        action="store_true",
        help="when anything is to be built, rebuild every table from the landed rows, seeds"
        " included (nothing incremental); with nothing new and the code unchanged it is up to"
        " date like any run (the same rows and code make the same warehouse)",
    )
    run.add_argument(
        "--verify",
        action="store_true",
        help="read every landing file to decide whether anything changed (by default only files"
        " whose size or times changed, and each at least once a day)",
    )
    run.add_argument(
        "--verbose", action="store_true", help="also print Dagster's log (every event)"
    )
    run.set_defaults(handler=_run)

    status = commands.add_parser(
        "status", help="what is published, when, from which loads, with which warnings"
    )
    status.set_defaults(handler=_status)

    exporter = commands.add_parser(
        "export",
        help="write the marts, a data dictionary and the sources' attributions to a folder",
    )
    exporter.add_argument("tables", nargs="*", metavar="TABLE", help="marts to export (all)")
    exporter.add_argument("--format", choices=("csv", "parquet"), default="csv")
    exporter.add_argument("--out", default="export", help="output folder (default: ./export)")
    exporter.set_defaults(handler=_export)

    docs = commands.add_parser(
        "docs", help="generate dbt docs and validation results, serve them on 127.0.0.1"
    )
    docs.add_argument("--port", type=_port, default=8580, help="1 to 65535 (default 8580)")
    docs.add_argument("--no-serve", action="store_true", help="only generate the pages")
    docs.add_argument(
        "--serve-only", action="store_true", help="serve the pages generated before, as they are"
    )
    docs.set_defaults(handler=_docs)

    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    sql.add_argument(
        "query",
        nargs="?",
        help="SQL, one statement or several (each result is printed); none: an interactive"
        " prompt (or the statements on standard input)",
    )
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument(
        "--as-of",
        metavar="WHEN",
        help="answer from the warehouse as it was published then: a date (2026-11-30, its end),"
        " a UTC time (2026-11-30T06:00:00) or a run id",
    )
    sql.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"rows a table shows (default {DEFAULT_MAX_ROWS}); CSV and JSON stream every row",
    )
    sql.set_defaults(handler=_sql)

    report = commands.add_parser(
        "report", help="write the static HTML report of the published warehouse"
    )
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder for index.html (default: report/ beside the warehouse)",
    )
    report.set_defaults(handler=_report)

    reviewer = commands.add_parser(
        "review",
        help="show a pair of reports side by side and record whether they are one event",
    )
    reviewer.add_argument(
        "--pair", nargs=2, metavar=("REPORT_A", "REPORT_B"), help="default: the next to review"
    )
    reviewer.add_argument("--by", default="", help="who decides (asked when not given)")
    reviewer.set_defaults(handler=_review)

    ledger = commands.add_parser("ledger", help="work with claims ledger files (ledger/*.yaml)")
    ledger_commands = ledger.add_subparsers(dest="ledger_command", required=True)
    check = ledger_commands.add_parser(
        "check", help="report every problem of ledger files (file, line, fix); exit 1 if any"
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=_ledger_check)
    return root


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def _sources_help() -> str:
    from ingestion.registry import FILE_DROP_SOURCES, MONTHLY_API_SOURCES

    lines = ["sources (--source NAME):"]
    lines += [f"  {s.SOURCE:<8} files dropped in <landing>/{s.SOURCE}/" for s in FILE_DROP_SOURCES]
    lines += [f"  {s.SOURCE:<8} API, event months given with --month" for s in MONTHLY_API_SOURCES]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:
        # `civcas sql ... | head`: the reader left; stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("civcas: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        line = explain(error)
        if line is None:
            raise
        print(f"civcas {args.command}: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
