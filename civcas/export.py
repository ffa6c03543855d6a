"""`civcas export`: the marts of the published warehouse as files to publish as a dataset, with a
data dictionary from the dbt docs and the credits every source and the reference data require.

An export is written whole into a fresh folder beside the target, then swapped in: a re-export
replaces the earlier one entirely (no stale table files), and a folder holding anything but an
earlier export (one carries EXPORT_MARKER) is never touched. CSV cells that a spreadsheet would
run as a formula are neutralised (OWASP, "CSV Injection"), and nested columns are JSON.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from civcas.lake import LakeError
from civcas.published import NothingPublished, reading
from civcas.query import is_nested
from civcas.settings import DBT_PROJECT_DIR, Settings

FORMATS = ("csv", "parquet")
EXPORTED_SCHEMA = "marts"
_COPY_OPTIONS = {"csv": "(format csv, header true)", "parquet": "(format parquet)"}
EXPORT_MARKER = ".civcas-export"  # in every export folder: what a re-export may replace
# OWASP: a cell starting with one of these is a formula to a spreadsheet; a leading ' makes it text.
FORMULA_START = r"^[=+\-@\t\r]"
FORMULA_NOTE = (
    "CSV only: a text cell that starts with =, +, -, @, a tab or a carriage return is written with"
    " a leading apostrophe (') so that no spreadsheet runs it as a formula (OWASP, CSV"
    " Injection); remove that apostrophe to get the value as published. List and struct columns"
    " are JSON."
)
REFERENCE_CREDITS = DBT_PROJECT_DIR / "seeds" / "ATTRIBUTION.md"
_QUOTE = "'"


class ExportError(Exception):
    """The export could not be written; the message says why."""


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    data_type: str
    description: str


def _descriptions(manifest_path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The dbt docs of every mart and its columns, by published name (alias)."""
    manifest = json.loads(manifest_path.read_text())
    tables, columns = {}, {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["config"].get("schema") != EXPORTED_SCHEMA:
            continue
        name = node.get("alias") or node["name"]
        tables[name] = node.get("description", "")
        for column in node.get("columns", {}).values():
            columns[(name, column["name"])] = column.get("description", "")
    return tables, columns


def export(
    settings: Settings, out_dir: Path, fmt: str, tables: list[str], manifest_path: Path
) -> list[Path]:
    """Write the chosen marts (all by default), DATA_DICTIONARY.md/.csv and ATTRIBUTION.md into
    `out_dir`, replacing an earlier export there whole."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if settings.lake is None and not settings.warehouse.exists():
        raise ExportError(f"no published warehouse at {settings.warehouse}; run `civcas run`")
    _check_target(out_dir)
    staging = out_dir.parent / f".{out_dir.name}.export-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        names = _write_export(settings, staging, fmt, tables, manifest_path)
        (staging / EXPORT_MARKER).write_text("written by civcas export\n", encoding="utf-8")
        _swap_in(staging, out_dir)
    except OSError as error:
        raise ExportError(f"cannot write {out_dir}: {error.strerror or error}") from None
    except duckdb.IOException as error:
        raise ExportError(f"cannot write {out_dir}: {str(error).splitlines()[0]}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in names]


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder: give --out a new or empty folder")
    if out_dir.is_dir() and not (out_dir / EXPORT_MARKER).exists():
        present = sorted(entry.name for entry in out_dir.iterdir())
        if present:
            shown = ", ".join(present[:3]) + (", ..." if len(present) > 3 else "")
            raise ExportError(
                f"{out_dir} holds files that are not an earlier civcas export ({shown});"
                " nothing was written: give --out a new or empty folder"
            )


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Put the finished export in place of `out_dir` (an earlier export, an empty folder, or
    nothing)."""
    old = out_dir.parent / f".{out_dir.name}.replaced-{os.getpid()}"
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _write_export(
    settings: Settings, folder: Path, fmt: str, tables: list[str], manifest_path: Path
) -> list[str]:
    """Every file of the export, written into `folder`; their names."""
    with contextlib.ExitStack() as stack:
        try:
            con = stack.enter_context(reading(settings))
        except (NothingPublished, LakeError) as error:
            raise ExportError(f"{error}; run `civcas run`") from None
        schema = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = ? order by table_name, ordinal_position",
            [EXPORTED_SCHEMA],
        ).fetchall()
        known = sorted({row[0] for row in schema})
        unknown = sorted(set(tables) - set(known))
        if unknown:
            raise ExportError(
                f"no mart named {', '.join(unknown)}; the marts are: {', '.join(known)}"
            )
        chosen = tables or known
        written = []
        for table in chosen:
            path = folder / f"{table}.{fmt}"
            columns = [(name, data_type) for t, name, data_type in schema if t == table]
            relation = _csv_select(table, columns) if fmt == "csv" else _relation(table)
            con.execute(f"copy {relation} to '{_sql_string(path)}' {_COPY_OPTIONS[fmt]}")
            written.append(path.name)
        sources = [
            row[0]
            for row in con.execute(
                f"select distinct source from {EXPORTED_SCHEMA}.fct_civilian_harm_reports"
                " order by source"
            ).fetchall()
        ]
    table_docs, column_docs = _descriptions(manifest_path)
    columns = [
        Column(table, name, data_type, column_docs.get((table, name), ""))
        for table, name, data_type in schema
        if table in chosen
    ]
    written += [p.name for p in _write_dictionary(folder, chosen, table_docs, columns, fmt)]
    written.append(_write_attribution(folder, settings.landing_dir, sources).name)
    written.append(_write_datapackage(folder, chosen, table_docs, columns, fmt, sources).name)
    return written


# DuckDB types as Frictionless Table Schema types; in CSV, lists and structs are JSON, which is how
# that standard writes its `array` and `object` fields.
_FIELD_TYPES = {
    "VARCHAR": "string",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "datetime",
    "TIMESTAMP WITH TIME ZONE": "datetime",
    "DOUBLE": "number",
    "FLOAT": "number",
}
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER")


def _field_type(data_type: str) -> str:
    if data_type.endswith("]"):
        return "array"
    if data_type.startswith(("STRUCT", "MAP")):
        return "object"
    if data_type in _INTEGER_TYPES:
        return "integer"
    if data_type.startswith("DECIMAL"):
        return "number"
    return _FIELD_TYPES.get(data_type, "any")


def _write_datapackage(
    out_dir: Path,
    tables: list[str],
    table_docs: dict[str, str],
    columns: list[Column],
    fmt: str,
    sources: list[str],
) -> Path:
    """datapackage.json: the dataset described as a Frictionless Data Package (what data portals
    such as HDX, CKAN or Zenodo read): every file with its fields, types and descriptions."""
    package = {
        "profile": "tabular-data-package" if fmt == "csv" else "data-package",
        "name": "civcas-civilian-harm",
        "title": "civcas: civilian-casualty reports, reconciled",
        "description": "Civilian-harm reports from "
        + ", ".join(sources)
        + ", normalized and reconciled by civcas. Credits and terms of each source:"
        " ATTRIBUTION.md; every column: DATA_DICTIONARY.md."
        + (f" {FORMULA_NOTE}" if fmt == "csv" else ""),
        "sources": [{"title": source} for source in sources],
        "resources": [
            {
                "name": table,
                "path": f"{table}.{fmt}",
                "format": fmt,
                "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
                "description": " ".join(table_docs.get(table, "").split()),
                "schema": {
                    "fields": [
                        {
                            "name": c.name,
                            "type": _field_type(c.data_type),
                            "description": " ".join(c.description.split()),
                        }
                        for c in columns
                        if c.table == table
                    ]
                },
            }
            for table in tables
        ],
    }
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _relation(table: str) -> str:
    return f'{EXPORTED_SCHEMA}."{table}"'


def _csv_select(table: str, columns: list[tuple[str, str]]) -> str:
    """One mart as CSV cells: nested values as JSON, formula-leading text kept as text."""
    parts = []
    for name, data_type in columns:
        value = f'"{name}"'
        if is_nested(data_type):
            value = f"to_json({value})::varchar"
        elif data_type != "VARCHAR":
            parts.append(value)
            continue
        apostrophe = _QUOTE * 4  # the SQL literal of one '
        parts.append(
            f"case when regexp_matches({value}, '{FORMULA_START}')"
            f' then {apostrophe} || {value} else {value} end as "{name}"'
        )
    return f"(select {', '.join(parts)} from {_relation(table)})"


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")


def _write_dictionary(
    out_dir: Path, tables: list[str], table_docs: dict[str, str], columns: list[Column], fmt: str
) -> list[Path]:
    csv_path = out_dir / "data_dictionary.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["table", "column", "type", "description"])
        writer.writerows((c.table, c.name, c.data_type, c.description) for c in columns)
    lines = ["# Data dictionary", "", "Generated by `civcas export` from the dbt docs.", ""]
    if fmt == "csv":
        lines += [FORMULA_NOTE, ""]
    for table in tables:
        lines += [f"## {table} (`{table}.{fmt}`)", "", table_docs.get(table, "").strip(), ""]
        lines += ["| column | type | description |", "|---|---|---|"]
        lines += [
            f"| `{c.name}` | {c.data_type} | {' '.join(c.description.split())} |"
            for c in columns
            if c.table == table
        ]
        lines.append("")
    md_path = out_dir / "DATA_DICTIONARY.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [csv_path, md_path]


def _write_attribution(out_dir: Path, landing_dir: Path, sources: list[str]) -> Path:
    """Each source's credit (a file source's ATTRIBUTION.md, an API source's ATTRIBUTION), then
    the reference data's (seeds/ATTRIBUTION.md)."""
    from ingestion.registry import ALL_SOURCES

    modules = {module.SOURCE: module for module in ALL_SOURCES}
    parts = ["# Attribution", "", "This dataset is built by civcas from these sources.", ""]
    for source in sources:
        credit_file = landing_dir / source / "ATTRIBUTION.md"
        if credit_file.exists():
            parts += [credit_file.read_text(encoding="utf-8").strip(), ""]
        elif hasattr(modules.get(source), "ATTRIBUTION"):
            parts += [f"# {source}", "", modules[source].ATTRIBUTION, ""]
    parts += [REFERENCE_CREDITS.read_text(encoding="utf-8").strip(), ""]
    path = out_dir / "ATTRIBUTION.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
