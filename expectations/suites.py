"""Expectation suites declared as data: one YAML file per suite under expectations/suites/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from expectations.catalogue import GX_EXPECTATION_CLASSES

SUITES_DIR = Path(__file__).resolve().parent / "suites"
SEVERITIES = ("error", "warn")

_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
_SUITE_KEYS = {"suite", "table", "query", "table_name", "description", "expectations", "identify"}
_EXPECTATION_KEYS = {"name", "type", "kwargs", "severity", "description"}
# kwargs naming the columns an expectation reads; everything else is a parameter.
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_COLUMN_LIST_KWARGS = ("column_list", "column_set")


@dataclass(frozen=True)
class ExpectationSpec:
    name: str
    type: str  # snake_case GX expectation type, e.g. expect_column_values_to_be_between
    kwargs: dict[str, Any]
    severity: str  # "error" | "warn"
    description: str = ""

    @property
    def gx_class_name(self) -> str:
        return GX_EXPECTATION_CLASSES[self.type]

    def columns(self) -> list[str] | None:
        """Columns the expectation reads; None when it needs the whole table (table shape,
        row conditions), [] when it needs no column at all (row counts)."""
        if self.type.startswith("expect_table_") and "row_count" not in self.type:
            return None
        if "row_condition" in self.kwargs:
            return None
        cols = [self.kwargs[k] for k in _COLUMN_KWARGS if k in self.kwargs]
        for key in _COLUMN_LIST_KWARGS:
            if key == "column_set" and self.type.startswith("expect_table_"):
                continue
            cols.extend(self.kwargs.get(key) or [])
        return cols


@dataclass(frozen=True)
class Suite:
    name: str
    table_name: str  # the table the suite is about, recorded with every result
    source_sql: str  # SELECT whose result is validated
    expectations: tuple[ExpectationSpec, ...]
    description: str = ""
    path: Path | None = field(default=None, compare=False)
    # Columns that name a failing record to the person who must fix it (file, line, key).
    identify: tuple[str, ...] = ()

    def columns(self) -> list[str] | None:
        """Union of the columns the expectations read, in first-use order; None means all."""
        wanted: list[str] = []
        for spec in self.expectations:
            cols = spec.columns()
            if cols is None:
                return None
            wanted.extend(c for c in cols if c not in wanted)
        return wanted + [c for c in self.identify if c not in wanted]


def load_suites(directory: str | Path | None = None) -> list[Suite]:
    """Parse and check every `*.yml` suite in `directory` (default: expectations/suites/)."""
    root = Path(directory) if directory is not None else SUITES_DIR
    if not root.is_dir():
        raise ValueError(f"suite directory {root} does not exist")
    suites = [load_suite(path) for path in sorted(root.glob("*.yml"))]
    seen: dict[str, Path | None] = {}
    for suite in suites:
        if suite.name in seen:
            raise ValueError(
                f"{suite.path}: suite name '{suite.name}' is already declared in {seen[suite.name]}"
            )
        seen[suite.name] = suite.path
    return suites


def load_suite(path: str | Path) -> Suite:
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    return parse_suite(doc, path)


def parse_suite(doc: Any, path: Path | None = None) -> Suite:
    where = str(path) if path is not None else "<suite>"
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: a suite file must be a mapping")
    unknown = set(doc) - _SUITE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown suite keys {sorted(unknown)}")
    name = doc.get("suite")
    if not isinstance(name, str) or not _SNAKE_CASE.match(name):
        raise ValueError(f"{where}: 'suite' must be a snake_case name, got {name!r}")

    table, query = doc.get("table"), doc.get("query")
    if (table is None) == (query is None):
        raise ValueError(f"{where}: suite '{name}' needs exactly one of 'table' or 'query'")
    if table is not None:
        if not isinstance(table, str) or not _TABLE_NAME.match(table):
            raise ValueError(f"{where}: 'table' must look like schema.table, got {table!r}")
        table_name = doc.get("table_name", table)
        source_sql = f"SELECT * FROM {table}"
    else:
        table_name = doc.get("table_name")
        if not isinstance(table_name, str) or not table_name:
            raise ValueError(f"{where}: suite '{name}' has a 'query', so it needs 'table_name'")
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"{where}: 'query' must be a SQL SELECT")
        source_sql = query.strip().rstrip(";")

    raw = doc.get("expectations")
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: suite '{name}' needs a non-empty 'expectations' list")
    specs: list[ExpectationSpec] = []
    for index, item in enumerate(raw):
        spec = _parse_expectation(item, f"{where}: expectation #{index + 1}")
        if any(s.name == spec.name for s in specs):
            raise ValueError(f"{where}: expectation '{spec.name}' is declared twice")
        specs.append(spec)
    identify = doc.get("identify") or []
    if not isinstance(identify, list) or not all(isinstance(c, str) for c in identify):
        raise ValueError(f"{where}: 'identify' must be a list of column names")
    return Suite(
        name=name,
        table_name=table_name,
        source_sql=source_sql,
        expectations=tuple(specs),
        description=str(doc.get("description") or ""),
        path=path,
        identify=tuple(identify),
    )


def _parse_expectation(item: Any, where: str) -> ExpectationSpec:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: must be a mapping")
    name = item.get("name")
    if not isinstance(name, str) or not _SNAKE_CASE.match(name):
        raise ValueError(f"{where}: 'name' must be a snake_case name, got {name!r}")
    where = f"{where.rsplit(': ', 1)[0]}: expectation '{name}'"
    unknown = set(item) - _EXPECTATION_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    type_ = item.get("type")
    # GX spells a few types with capitals (..._values_A_to_be_greater_than_B); accept either.
    type_key = type_.lower() if isinstance(type_, str) else type_
    if type_key not in GX_EXPECTATION_CLASSES:
        raise ValueError(f"{where}: unknown expectation type {type_!r}")
    severity = item.get("severity")
    if severity not in SEVERITIES:
        raise ValueError(f"{where}: severity must be one of {SEVERITIES}, got {severity!r}")
    kwargs = item.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise ValueError(f"{where}: 'kwargs' must be a mapping")
    return ExpectationSpec(
        name=name,
        type=type_key,
        kwargs=dict(kwargs),
        severity=severity,
        description=str(item.get("description") or ""),
    )
