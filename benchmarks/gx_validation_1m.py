"""Time and peak memory of expectation-suite validation on a 1M-row fact table.

    .venv/bin/python benchmarks/gx_validation_1m.py [--rows 1000000] [--engines pandas]

Builds a synthetic table shaped like marts.fct_civilian_harm_reports in a temporary DuckDB
file, then validates a 16-expectation suite in a fresh child process per engine, so that each
peak RSS is that engine's alone (it includes the Python interpreter, pandas, DuckDB and GX):

- pandas: expectations.run_suites, the shipped path (DataFrames from a read-only connection).
  (GX's SQL datasource over duckdb-engine was measured once through a shim patching GX's
  private dialect list; docs/validation.md gives the figures, git history the shim.)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from expectations.suites import Suite, parse_suite  # noqa: E402

COUNT_COLUMNS = [
    "civilians_killed_min",
    "civilians_killed_max",
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "men_killed_min",
    "men_killed_max",
    "civilians_injured_min",
    "civilians_injured_max",
    "children_injured_min",
    "children_injured_max",
]

SUITE = {
    "suite": "fct_civilian_harm_reports",
    "table": "marts.fct_civilian_harm_reports",
    "description": "Benchmark suite shaped like the real fact-table suite.",
    "expectations": [
        {
            "name": "report_id_not_null",
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "report_id"},
            "severity": "error",
        },
        {
            "name": "report_id_unique",
            "type": "expect_column_values_to_be_unique",
            "kwargs": {"column": "report_id"},
            "severity": "error",
        },
        {
            "name": "report_id_format",
            "type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "report_id", "regex": "^[A-Z]{2}[0-9]+$"},
            "severity": "warn",
        },
        {
            "name": "civilians_killed_min_non_negative",
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "civilians_killed_min", "min_value": 0},
            "severity": "error",
        },
        {
            "name": "civilians_killed_max_plausible",
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "civilians_killed_max", "min_value": 0, "max_value": 5000},
            "severity": "warn",
        },
        {
            "name": "children_killed_min_non_negative",
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "children_killed_min", "min_value": 0},
            "severity": "error",
        },
        {
            "name": "civilians_killed_min_le_max",
            "type": "expect_column_pair_values_A_to_be_greater_than_B",
            "kwargs": {
                "column_A": "civilians_killed_max",
                "column_B": "civilians_killed_min",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "severity": "error",
        },
        {
            "name": "children_killed_min_le_max",
            "type": "expect_column_pair_values_A_to_be_greater_than_B",
            "kwargs": {
                "column_A": "children_killed_max",
                "column_B": "children_killed_min",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "severity": "error",
        },
        {
            "name": "civilians_injured_min_le_max",
            "type": "expect_column_pair_values_A_to_be_greater_than_B",
            "kwargs": {
                "column_A": "civilians_injured_max",
                "column_B": "civilians_injured_min",
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            "severity": "error",
        },
        {
            "name": "source_in_set",
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "source", "value_set": ["airwars", "acled", "ucdp", "un"]},
            "severity": "error",
        },
        {
            "name": "country_not_null",
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "country_code"},
            "severity": "error",
        },
        {
            "name": "country_code_length",
            "type": "expect_column_value_lengths_to_equal",
            "kwargs": {"column": "country_code", "value": 2},
            "severity": "warn",
        },
        {
            "name": "incident_date_not_null",
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "incident_date"},
            "severity": "error",
        },
        {
            "name": "row_count_plausible",
            "type": "expect_table_row_count_to_be_between",
            "kwargs": {"min_value": 1, "max_value": 50_000_000},
            "severity": "error",
        },
        {
            "name": "men_killed_max_mean",
            "type": "expect_column_mean_to_be_between",
            "kwargs": {"column": "men_killed_max", "min_value": 0, "max_value": 100},
            "severity": "warn",
        },
        {
            "name": "location_name_not_null",
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": "location_name", "mostly": 0.95},
            "severity": "warn",
        },
    ],
}


def make_table(path: Path, rows: int) -> None:
    counts = []
    for k, name in enumerate(COUNT_COLUMNS):
        # ~20% NULLs, independent per column; max columns never below their min twin.
        base = f"(hash(i, {k // 2}) % 40)::INTEGER"
        value = base if k % 2 == 0 else f"{base} + (hash(i, {k}) % 5)::INTEGER"
        counts.append(f"CASE WHEN hash(i, {k + 100}) % 5 = 0 THEN NULL ELSE {value} END AS {name}")
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute(f"""
            CREATE TABLE marts.fct_civilian_harm_reports AS
            SELECT
                'AW' || lpad(i::VARCHAR, 9, '0') AS report_id,
                {", ".join(counts)},
                (['airwars', 'acled', 'ucdp', 'un'])[1 + i % 4] AS source,
                (['SY', 'IQ', 'YE', 'LY', 'SO'])[1 + i % 5] AS country_code,
                'Location ' || (i % 20000)::VARCHAR AS location_name,
                'Some free-text summary of report ' || i::VARCHAR AS summary,
                DATE '2014-01-01' + (i % 3650)::INTEGER AS incident_date,
                DATE '2014-01-01' + (i % 3650)::INTEGER + (i % 30)::INTEGER AS published_date
            FROM range({rows}) AS r(i)
        """)
        # A sprinkling of bad rows, so that both engines have non-zero counts to agree on.
        con.execute("""
            UPDATE marts.fct_civilian_harm_reports
            SET civilians_killed_min = civilians_killed_max + 1
            WHERE hash(report_id) % 1000 = 0
        """)
        con.execute("""
            UPDATE marts.fct_civilian_harm_reports SET country_code = NULL
            WHERE hash(report_id) % 500 = 1
        """)


def suite() -> Suite:
    return parse_suite(SUITE)


def run_engine(engine: str, db_path: Path, with_docs: bool) -> dict:
    """Runs in the child process."""
    started = time.perf_counter()
    import great_expectations  # noqa: F401  (timed apart from validation)

    imported = time.perf_counter()
    with tempfile.TemporaryDirectory() as docs:
        docs_dir = Path(docs) if with_docs else None
        if engine == "pandas":
            from expectations.runner import run_suites

            results = run_suites(db_path, [suite()], "bench", data_docs_dir=docs_dir)
        else:
            raise SystemExit(f"unknown engine {engine}")
    finished = time.perf_counter()
    return {
        "engine": engine,
        "import_s": round(imported - started, 2),
        "validate_s": round(finished - imported, 2),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "results": [
            [r.expectation, r.success, r.unexpected_count, r.observed_value] for r in results
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--engines", default="pandas")
    parser.add_argument("--no-docs", action="store_true", help="skip building Data Docs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(run_engine(args.child, args.db, not args.no_docs)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        make_table(db_path, args.rows)
        print(f"built {args.rows:,} rows in {time.perf_counter() - started:.1f}s")
        for engine in args.engines.split(","):
            proc = subprocess.run(
                [sys.executable, __file__, "--child", engine, "--db", str(db_path)]
                + (["--no-docs"] if args.no_docs else []),
                capture_output=True,
                text=True,
                cwd=REPO_ROOT,
            )
            if proc.returncode != 0:
                print(f"{engine}: failed\n{proc.stderr[-3000:]}")
                continue
            report = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"{engine}: validation {report['validate_s']}s "
                f"(+ {report['import_s']}s importing GX), "
                f"peak RSS {report['peak_rss_mb']} MB"
            )
            for name, success, count, observed in report["results"]:
                status = "ok  " if success else "FAIL"
                print(f"    {status} {name}: unexpected={count} observed={observed}")


if __name__ == "__main__":
    main()
