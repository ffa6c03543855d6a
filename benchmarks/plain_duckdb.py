"""The plain-DuckDB equivalent of `civcas run`: one connection, no dbt, Dagster or Great
Expectations, the same SQL.

    python benchmarks/plain_duckdb.py --landing L --database D/civcas.duckdb --manifest M
    python benchmarks/plain_duckdb.py --compile-into TARGET_DIR   # write M (dbt compile) first
    python benchmarks/plain_duckdb.py --compare CIVCAS_DB PLAIN_DB  # marts equal, both ways

In one DuckDB connection (civcas.settings.DUCKDB_CONFIG) it

1. lands every file-drop source's files with civcas's own landing code (ingestion/: plain DuckDB
   SQL), into the raw tables every build has;
2. loads every seed from its CSV and creates every dbt model from the compiled SQL of a manifest
   written by `dbt compile` (`--compile-into`), in dependency order, materialized as dbt would
   (a table, or a view for the staging models), with dbt's settings (DBT_DUCKDB_SETTINGS);
3. runs every dbt data test as `select count(*) from (<compiled test>)` and every expectation of
   expectations/suites/ as a count of the rows breaking it, over the suite's own query.

The database file must have the published file's name (`civcas.duckdb`): the compiled SQL
qualifies relations with the catalog DuckDB names after the file. Exit code 1 when an error-level
test or expectation fails, as `civcas run` then does not publish.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from civcas.compiled_models import _create_seed  # noqa: E402
from civcas.identifiers import quoted  # noqa: E402
from civcas.settings import (  # noqa: E402
    BUILD_DB_ENV,
    DBT_DUCKDB_SETTINGS,
    DBT_PROJECT_DIR,
    DUCKDB_CONFIG,
    dbt_executable,
)
from ingestion.registry import FILE_DROP_SOURCES, ensure_raw_tables  # noqa: E402

DATABASE_NAME = "civcas.duckdb"


def compile_manifest(target_dir: Path) -> Path:
    """`dbt compile` of the whole project (no data needed): compiled SQL for every model and
    test, with relations in the catalog of a file named civcas.duckdb (the profile of a run)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    scratch = target_dir / "scratch"
    scratch.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            str(dbt_executable()),
            *("compile", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR)),
            *("--project-dir", str(DBT_PROJECT_DIR)),
            *("--target-path", str(target_dir)),
            *("--log-path", str(target_dir / "logs")),
        ],
        cwd=scratch,
        env={**os.environ, BUILD_DB_ENV: DATABASE_NAME},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"dbt compile failed:\n{(done.stdout + done.stderr)[-4000:]}")
    return target_dir / "manifest.json"


# -- the run ---------------------------------------------------------------------------------


def land(con: duckdb.DuckDBPyConnection, landing: Path) -> list[str]:
    ensure_raw_tables(con)  # every build has every source's raw tables, landed or not
    lines = []
    for source in FILE_DROP_SOURCES:
        lines += [result.summary for result in source.land(con, landing)]
    return lines


def build_models(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any]) -> int:
    nodes = manifest["nodes"]
    for node in nodes.values():
        if node["resource_type"] == "seed":
            _create_seed(con, node)
    models = {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}
    missing = [uid for uid, node in models.items() if not node.get("compiled_code")]
    if missing:
        raise RuntimeError(f"the manifest has no compiled SQL for {missing[:3]}...: compile all")
    parents = {
        uid: [parent for parent in node["depends_on"]["nodes"] if parent in models]
        for uid, node in models.items()
    }
    schemas = set()
    for uid in TopologicalSorter(parents).static_order():
        node = models[uid]
        if node["schema"] not in schemas:
            con.execute(f"create schema if not exists {quoted(node['schema'])}")
            schemas.add(node["schema"])
        # An incremental model, compiled against no table of its own, is its whole table.
        kind = {"view": "view", "table": "table", "incremental": "table"}[
            node["config"]["materialized"]
        ]
        try:
            con.execute(
                f"create or replace {kind} {quoted(node['schema'], node['alias'])} as"
                f" {node['compiled_code']}"
            )
        except duckdb.Error as error:
            raise SystemExit(f"plain: model {node['name']} failed: {error}") from None
    return len(models)


def run_dbt_tests(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any]) -> list[str]:
    """dbt's own test query: fail_calc over the test's SQL, compared with warn_if / error_if."""
    failures = []
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    for node in tests:
        config = node["config"]
        calc = config["fail_calc"]
        limit = f" limit {config['limit']}" if config.get("limit") is not None else ""
        found, warn, error = con.execute(
            f"select {calc}, {calc} {config['warn_if']}, {calc} {config['error_if']}"
            f" from ({node['compiled_code']}{limit}) as dbt_internal_test"
        ).fetchone()
        severity = config["severity"].lower()
        if (severity == "error" and error) or warn:
            level = "error" if severity == "error" and error else "warn"
            failures.append(f"{level}: dbt test {node['name']}: {found} failing rows")
    return failures


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _column(name: str) -> str:
    return quoted(name)


def _unexpected_sql(kind: str, kwargs: dict[str, Any]) -> str:
    """A count of the rows of `suite_rows` breaking one expectation, as GX counts them (nulls are
    not checked by column-value expectations)."""
    col = _column(kwargs["column"]) if "column" in kwargs else None
    if kind == "expect_column_values_to_be_between":
        bounds = []
        if kwargs.get("min_value") is not None:
            bounds.append(f"{col} < {_literal(kwargs['min_value'])}")
        if kwargs.get("max_value") is not None:
            bounds.append(f"{col} > {_literal(kwargs['max_value'])}")
        return f"count(*) filter (where {' or '.join(bounds)})"
    if kind == "expect_column_values_to_be_in_set":
        values = ", ".join(_literal(value) for value in kwargs["value_set"])
        return f"count(*) filter (where {col} not in ({values}))"
    if kind == "expect_column_values_to_not_be_null":
        return f"count(*) filter (where {col} is null)"
    if kind == "expect_column_values_to_match_regex":
        return f"count(*) filter (where not regexp_matches({col}, {_literal(kwargs['regex'])}))"
    if kind == "expect_column_values_to_be_unique":
        return f"count(*) - count(distinct {col}) - (count(*) - count({col}))"
    if kind == "expect_column_pair_values_to_be_equal":
        a, b = _column(kwargs["column_A"]), _column(kwargs["column_B"])
        return f"count(*) filter (where {a} is distinct from {b})"
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = _column(kwargs["column_A"]), _column(kwargs["column_B"])
        op = ">=" if kwargs.get("or_equal") else ">"
        if kwargs.get("ignore_row_if", "both_values_are_missing") == "either_value_is_missing":
            return (
                f"count(*) filter (where {a} is not null and {b} is not null and not {a} {op} {b})"
            )
        return f"count(*) filter (where not coalesce({a} {op} {b}, false))"
    if kind == "expect_column_distinct_values_to_contain_set":
        values = ", ".join(_literal(value) for value in kwargs["value_set"])
        return f"len(list_filter([{values}], v -> not list_contains(list(distinct {col}), v)))"
    raise NotImplementedError(kind)


def run_expectations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each suite's query once (as GX's frame is), then one aggregate counting every
    expectation's unexpected rows over it."""
    from expectations.suites import load_suites

    failures = []
    for suite in load_suites():
        counts = [_unexpected_sql(spec.type, spec.kwargs) for spec in suite.expectations]
        row = con.execute(
            f"with suite_rows as ({suite.source_sql}) select {', '.join(counts)} from suite_rows"
        ).fetchone()
        for spec, unexpected in zip(suite.expectations, row, strict=True):
            if unexpected:
                failures.append(
                    f"{spec.severity}: expectation {suite.name}.{spec.name}: {unexpected} rows"
                )
    return failures


def run(
    landing: Path,
    database: Path,
    manifest_path: Path,
    expectations: bool = True,
    memory_limit: str | None = None,
) -> int:
    if database.name != DATABASE_NAME:
        raise SystemExit(f"the database file must be named {DATABASE_NAME} (the compiled catalog)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in (database, database.with_name(database.name + ".wal")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    config = {**DUCKDB_CONFIG, **({"memory_limit": memory_limit} if memory_limit else {})}
    con = duckdb.connect(str(database), config=config)
    for line in land(con, landing):
        print(f"  {line}")
    landed = time.perf_counter()
    for key, value in DBT_DUCKDB_SETTINGS.items():  # dbt's connection settings from here on
        if not (key == "memory_limit" and memory_limit):
            con.execute(f"set {key} = {_literal(value)}")
    models = build_models(con, manifest)
    built = time.perf_counter()
    failures = run_dbt_tests(con, manifest)
    tested = time.perf_counter()
    if expectations:
        failures += run_expectations(con)
    con.execute("checkpoint")
    con.close()
    done = time.perf_counter()
    print(
        f"plain: landed in {landed - started:.1f} s, {models} models in {built - landed:.1f} s,"
        f" dbt tests in {tested - built:.1f} s, expectations in {done - tested:.1f} s;"
        f" {database.stat().st_size / 2**20:.0f} MiB"
    )
    for failure in failures:
        print(f"  {failure}")
    return 1 if any(failure.startswith("error") for failure in failures) else 0


# -- the comparison --------------------------------------------------------------------------

# A load id holds the moment of its landing (`<source>-<UTC stamp>-<sha256 prefix>`): the same
# file landed by both runs differs only there. Compared without the stamp, in every text column;
# and without the landing time a rejected record's raw_record (JSON) carries.
LOAD_STAMP = r"-[0-9]{8}T[0-9]{12}Z-"
LOADED_AT = r'"_loaded_at":"[^"]*"'


def _relations(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[tuple[str, str], list]:
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type"
        " from information_schema.columns where table_catalog = ?"
        " and (table_schema = 'marts' or (table_schema = 'audit'"
        "      and table_name = 'rejected_records'))"
        " order by table_schema, table_name, ordinal_position",
        [catalog],
    ).fetchall()
    found: dict[tuple[str, str], list] = {}
    for schema, table, column, kind in rows:
        found.setdefault((schema, table), []).append((column, kind))
    return found


def _normalized(catalog: str, schema: str, table: str, columns: list) -> str:
    select = []
    for column, kind in columns:
        name = quoted(column)
        if kind in ("VARCHAR", "JSON"):
            text = f"regexp_replace({name}::varchar, '{LOAD_STAMP}', '-', 'g')"
            select.append(
                f"""regexp_replace({text}, '{LOADED_AT}', '"_loaded_at":""', 'g') as {name}"""
            )
        else:
            select.append(name)
    return f"select {', '.join(select)} from {quoted(catalog, schema, table)}"


def compare(civcas_db: Path, plain_db: Path) -> list[str]:
    """Every table of `marts` (and audit.rejected_records) of the plain database equals
    civcas's, row for row (EXCEPT ALL both ways); the differences, empty when equal."""
    con = duckdb.connect(config={**DUCKDB_CONFIG, "preserve_insertion_order": False})
    con.execute(f"attach '{civcas_db}' as civcas_run (read_only)")
    con.execute(f"attach '{plain_db}' as plain_run (read_only)")
    theirs, ours = _relations(con, "civcas_run"), _relations(con, "plain_run")
    problems = [f"only in civcas: {'.'.join(key)}" for key in sorted(theirs.keys() - ours.keys())]
    problems += [f"only in plain: {'.'.join(key)}" for key in sorted(ours.keys() - theirs.keys())]
    for key in sorted(theirs.keys() & ours.keys()):
        name = ".".join(key)
        if theirs[key] != ours[key]:
            problems.append(f"{name}: columns differ: civcas {theirs[key]} plain {ours[key]}")
            continue
        a = _normalized("civcas_run", *key, theirs[key])
        b = _normalized("plain_run", *key, ours[key])
        only_a = con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0]
        only_b = con.execute(f"select count(*) from ({b} except all {a})").fetchone()[0]
        rows = con.execute(f"select count(*) from {quoted('civcas_run', *key)}").fetchone()[0]
        if only_a or only_b:
            example = con.execute(f"({a} except all {b}) limit 1").fetchone()
            problems.append(
                f"{name}: {only_a} rows only in civcas, {only_b} only in plain (of {rows});"
                f" e.g. {example}"
            )
        else:
            print(f"  equal: {name} ({rows:,} rows)")
    con.close()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path)
    parser.add_argument("--database", type=Path, help=f"a file named {DATABASE_NAME}")
    parser.add_argument("--manifest", type=Path, help="manifest.json of `--compile-into`")
    parser.add_argument("--no-expectations", action="store_true")
    parser.add_argument(
        "--memory-limit",
        help="instead of civcas's DuckDB cap (not for comparisons: to build a warehouse to query)",
    )
    parser.add_argument("--compile-into", type=Path, metavar="TARGET_DIR")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("CIVCAS_DB", "PLAIN_DB"))
    args = parser.parse_args()
    if args.compile_into:
        print(compile_manifest(args.compile_into))
    elif args.compare:
        problems = compare(*args.compare)
        for problem in problems:
            print(f"  MISMATCH {problem}")
        sys.exit(1 if problems else 0)
    else:
        if not (args.landing and args.database and args.manifest):
            parser.error("--landing, --database and --manifest are needed for a run")
        expectations = not args.no_expectations
        sys.exit(run(args.landing, args.database, args.manifest, expectations, args.memory_limit))


if __name__ == "__main__":
    main()
