"""The `civcas` command: run the pipeline, query the published warehouse."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from civcas.settings import load_settings


def _run(args: argparse.Namespace) -> int:
    # Dagster is imported only here: `civcas sql` and `civcas ledger check` start without it.
    from orchestration.run import run_pipeline
    from orchestration.selection import plan_runs

    runs, notes = plan_runs(args.source, args.month)
    for note in notes:
        print(note)
    print(f"civcas: building from {load_settings().landing_dir}", flush=True)
    succeeded = True
    for planned in runs:
        if len(runs) > 1:
            print(f"civcas: run for {planned.label}", flush=True)
        report = run_pipeline(planned.selection, tags=planned.tags)
        print("\n".join(report.lines()), flush=True)
        succeeded = succeeded and report.success
        if not report.success:
            break
    return 0 if succeeded else 1


def _ledger_check(args: argparse.Namespace) -> int:
    from ingestion.ledger_check import main as check

    return check(args.files)


def _sql(args: argparse.Namespace) -> int:
    from civcas.query import QueryRefused, run_query

    path = load_settings().warehouse
    if not path.exists():
        print(f"civcas: no published warehouse at {path}; run `civcas run` first", file=sys.stderr)
        return 2
    try:
        result = run_query(path, args.query)
    except QueryRefused as error:
        print(f"civcas sql: {error}", file=sys.stderr)
        return 1
    _print_rows(result.columns, result.rows, args.format)
    return 0


def _report(args: argparse.Namespace) -> int:
    from civcas.report_site import write_report

    settings = load_settings()
    if not settings.warehouse.exists():
        print(
            f"civcas: no published warehouse at {settings.warehouse}; run `civcas run` first",
            file=sys.stderr,
        )
        return 2
    index = write_report(settings.warehouse, args.out or settings.report_dir)
    print(f"civcas report: wrote {index}")
    return 0


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        print(
            json.dumps(
                [dict(zip(columns, row, strict=True)) for row in rows], default=str, indent=2
            )
        )
    else:
        cells = [[("" if value is None else str(value)) for value in row] for row in rows]
        widths = [
            max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)
        ]
        print(" | ".join(name.ljust(width) for name, width in zip(columns, widths, strict=True)))
        print("-+-".join("-" * width for width in widths))
        for row in cells:
            print(" | ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)))
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="civcas", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="land, build, validate and publish the warehouse")
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
    run.set_defaults(handler=_run)

    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    sql.add_argument("query")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
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

    ledger = commands.add_parser("ledger", help="work with claims ledger files (ledger/*.yaml)")
    ledger_commands = ledger.add_subparsers(dest="ledger_command", required=True)
    check = ledger_commands.add_parser(
        "check", help="report every problem of ledger files (file, line, fix); exit 1 if any"
    )
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=_ledger_check)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
