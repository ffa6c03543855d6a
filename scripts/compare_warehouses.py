"""Compare two warehouse files table by table: every table of the given schemas, as a multiset of
rows, `EXCEPT ALL` both ways (a refactoring must leave what analysts see unchanged).

    .venv/bin/python scripts/compare_warehouses.py BEFORE.duckdb AFTER.duckdb \
        [--schemas marts audit] [--ignore-column load_id ...] [--ignore-json-key _load_id ...]

Columns named by --ignore-column (a load's id or time, a run's id) are left out of the comparison
of every table that has them; keys named by --ignore-json-key are taken out of the JSON text of
`raw_record` columns (the landed row, which carries its load's id and time). Prints one line per
table; exits 1 when any table differs or exists on one side only.
"""

from __future__ import annotations

import argparse
import sys

import duckdb


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schemas: list[str]) -> set[str]:
    rows = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables()"
        " where database_name = ? and list_contains(?, schema_name)",
        [catalog, schemas],
    ).fetchall()
    return {name for (name,) in rows}


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[str]:
    schema, name = table.split(".", 1)
    rows = con.execute(
        "select column_name from duckdb_columns() where database_name = ? and schema_name = ?"
        " and table_name = ? order by column_index",
        [catalog, schema, name],
    ).fetchall()
    return [column for (column,) in rows]


def _compared(column: str, json_keys: list[str]) -> str:
    if column == "raw_record" and json_keys:
        # A JSON merge patch with a key set to null removes that key.
        removed = ", ".join(f"'{key}', null" for key in json_keys)
        return f'json_merge_patch("{column}", json_object({removed}))'
    return f'"{column}"'


def compare(
    before: str, after: str, schemas: list[str], ignored: set[str], json_keys: list[str]
) -> list[str]:
    """One line per table; those that differ start with 'DIFFERS' or 'ONLY'."""
    con = duckdb.connect()
    con.execute(f"attach '{before}' as before (read_only)")
    con.execute(f"attach '{after}' as after (read_only)")
    old, new = _tables(con, "before", schemas), _tables(con, "after", schemas)
    lines = [f"ONLY in {side}: {table}" for side, only in (("before", old - new),
             ("after", new - old)) for table in sorted(only)]  # fmt: skip
    for table in sorted(old & new):
        columns = _columns(con, "before", table)
        if columns != _columns(con, "after", table):
            lines.append(f"DIFFERS {table}: columns {columns} -> {_columns(con, 'after', table)}")
            continue
        kept = ", ".join(_compared(c, json_keys) for c in columns if c not in ignored)
        counts = [
            con.execute(
                f"select count(*) from (select {kept} from {a}.{table}"
                f" except all select {kept} from {b}.{table})"
            ).fetchone()[0]
            for a, b in (("before", "after"), ("after", "before"))
        ]
        rows = con.execute(f"select count(*) from before.{table}").fetchone()[0]
        state = "equal" if counts == [0, 0] else "DIFFERS"
        lines.append(
            f"{state} {table}: {rows} rows; {counts[0]} only before, {counts[1]} only after"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schemas", nargs="+", default=["marts", "audit"])
    parser.add_argument("--ignore-column", nargs="*", default=[])
    parser.add_argument("--ignore-json-key", nargs="*", default=[])
    args = parser.parse_args()
    lines = compare(
        args.before, args.after, args.schemas, set(args.ignore_column), args.ignore_json_key
    )
    print("\n".join(lines))
    return 1 if any(not line.startswith("equal") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
