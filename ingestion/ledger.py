"""The claims ledger: hand-written YAML files, one per document (`ledger/*.yaml` in the landing
folder), each with the document's metadata and the claims it reports. Format: docs/ledger.md and
ingestion/schemas/ledger.schema.json.

A file whose shape is wrong (not YAML, unknown or misplaced fields, a document block that breaks
the schema) cannot be landed: LandingError naming file, line and field. Problems of one claim's
values (a bad date, an unknown belligerent, an unreadable quantity) do not stop landing: the claim
is landed as written and quarantined by dbt with its reason. `civcas ledger check` reports both
kinds before a file is dropped in.

Landing is set-wise: the parsed files become newline-delimited JSON (all values as text) that
DuckDB inserts with one INSERT ... SELECT per raw table.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from ingestion.landing import (
    LandingError,
    LoadResult,
    already_landed,
    ensure_load_log,
    file_sha256,
    landing_time,
    new_load_id,
    read_drop_folder,
    record_load,
    sql_path,
)

SOURCE = "ledger"
RAW_TABLES = ("ledger_documents", "ledger_claims")
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "ledger.schema.json"

DOCUMENT_COLUMNS = (
    "document_id", "publisher", "title", "url", "language", "published", "published_precision",
    "notes",
)  # fmt: skip
CLAIM_COLUMNS = (
    "document_id", "claim_id", "claimant", "scope", "date", "date_end", "date_precision",
    "date_text", "average_per", "country", "admin1", "place", "latitude", "longitude",
    "belligerents", "civilians_killed", "civilians_injured", "children_killed", "women_killed",
    "quote", "part_of", "notes",
)  # fmt: skip
QUANTITY_FIELDS = ("civilians_killed", "civilians_injured", "children_killed", "women_killed")
# YAML key -> raw column, where they differ.
_RENAMED = {"id": "claim_id"}

# Schema errors that make a whole file unreadable; any other error of a claim is a problem of its
# values, which dbt quarantines claim by claim.
_STRUCTURAL_VALIDATORS = {"additionalProperties", "type", "oneOf", "minItems"}

Path_ = tuple[Any, ...]  # a location in the YAML document: keys and list indexes


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    hint: str = ""
    blocking: bool = True  # stops the file from landing; otherwise the claim is quarantined

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.field}: {self.message}"
        return f"{text} (fix: {self.hint})" if self.hint else text


@dataclass
class LedgerFile:
    """A ledger file as read: typed values (for the schema), texts as written, and line numbers."""

    path: Path
    name: str  # as reported: relative to the landing folder, or as given on the command line
    data: Any = None
    texts: dict[Path_, str | None] = field(default_factory=dict)
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # problems found while reading
    node_budget: int = 0  # values _convert may still build (bounds alias expansion)

    def line_of(self, location: Iterable[Any]) -> int:
        location = tuple(location)
        while location and location not in self.lines:
            location = location[:-1]
        return self.lines.get(location, 1)

    def label(self, location: Iterable[Any]) -> str:
        """claims[2].date (claim al-jadida-airstrike): the field, and which claim it belongs to."""
        location = tuple(location)
        name = field_name(location)
        if len(location) >= 2 and location[0] == "claims" and isinstance(location[1], int):
            claims = self.claims
            if location[1] < len(claims) and isinstance(claims[location[1]], dict):
                claim_id = claims[location[1]].get("id")
                if claim_id is not None:
                    return f"{name} (claim {claim_id})"
        return name

    @property
    def claims(self) -> list[Any]:
        claims = self.data.get("claims") if isinstance(self.data, dict) else None
        return claims if isinstance(claims, list) else []

    @property
    def document(self) -> dict[str, Any]:
        document = self.data.get("document") if isinstance(self.data, dict) else None
        return document if isinstance(document, dict) else {}


def field_name(location: Iterable[Any]) -> str:
    """claims[2].date style, as an editor shows it."""
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


# One ledger file describes one document: these bounds are far above any real one and keep a
# hostile file (a "billion laughs" alias bomb, a huge paste) from exhausting memory.
MAX_FILE_BYTES = 1 << 20
MAX_ALIAS_EXPANSION_NODES = 10_000  # nodes that aliases may add beyond the ones written out


class _TooManyNodes(Exception):
    pass


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_SCALAR_TYPES = {
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:null": type(None),
}


def read_file(path: Path, name: str | None = None) -> LedgerFile:
    """Parse one ledger file, keeping each value's text as written and its line number.

    Dates and yes/no words stay text (YAML 1.2 reading): `2017-03-17` is a date as written, and
    `no` is a word, not false.
    """
    ledger = LedgerFile(path=path, name=name or str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            ledger.problems.append(
                Problem(
                    ledger.name,
                    1,
                    "(file)",
                    f"the file is larger than {MAX_FILE_BYTES:,} bytes, the most a ledger file"
                    " (one document) may hold",
                    "split it into one file per document",
                )
            )
            return ledger
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        ledger.problems.append(
            Problem(
                ledger.name, 1, "(file)", f"cannot read the file: {error}", "save it as UTF-8 text"
            )
        )
        return ledger
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        ledger.problems.append(
            Problem(
                ledger.name,
                line,
                "(file)",
                f"not valid YAML: {problem}",
                "check indentation, colons and quotes around this line",
            )
        )
        return ledger
    if node is None:
        ledger.problems.append(
            Problem(
                ledger.name,
                1,
                "(file)",
                "the file is empty",
                "start from a file in sample_data/landing/ledger/",
            )
        )
        return ledger
    ledger.node_budget = _distinct_nodes(node) + MAX_ALIAS_EXPANSION_NODES
    try:
        ledger.data = _convert(node, (), ledger)
    except _TooManyNodes:
        ledger.data = None
        ledger.problems.append(
            Problem(
                ledger.name,
                1,
                "(file)",
                f"YAML aliases (*name) expand to more than {MAX_ALIAS_EXPANSION_NODES:,} extra"
                " values",
                "write the values out instead of repeating anchors",
            )
        )
    return ledger


def _distinct_nodes(root: yaml.Node) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return len(seen)


def _convert(node: yaml.Node, location: Path_, ledger: LedgerFile) -> Any:
    ledger.node_budget -= 1
    if ledger.node_budget < 0:
        raise _TooManyNodes
    ledger.lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in out:
                ledger.problems.append(
                    Problem(
                        ledger.name,
                        key_node.start_mark.line + 1,
                        field_name((*location, key)),
                        "the field appears twice",
                        "keep one of them",
                    )
                )
                continue
            out[key] = _convert(value_node, (*location, key), ledger)
            ledger.lines[(*location, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*location, index), ledger) for index, item in enumerate(node.value)]
    kind = _SCALAR_TYPES.get(node.tag)
    if kind is type(None):
        ledger.texts[location] = None
        return None
    if _LONE_SURROGATE.search(node.value):
        # YAML's "\udc80" escape gives half of a UTF-16 pair: no character, and no UTF-8 either.
        ledger.problems.append(
            Problem(
                ledger.name,
                node.start_mark.line + 1,
                field_name(location),
                "holds a lone surrogate escape (\\uD800 to \\uDFFF), which is no character",
                "write the character itself, or both halves of its pair",
            )
        )
        node.value = _LONE_SURROGATE.sub("\ufffd", node.value)
    ledger.texts[location] = node.value
    if kind is not None and node.style is None:
        try:
            return kind(node.value.replace("_", ""))
        except ValueError:
            return node.value
    return node.value


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_problems(ledger: LedgerFile) -> list[Problem]:
    """Every way the file breaks ingestion/schemas/ledger.schema.json, with line and fix hint."""
    import jsonschema

    if ledger.data is None:
        return []
    spec = schema()
    validator = jsonschema.Draft202012Validator(spec)
    problems = []
    for error in sorted(validator.iter_errors(ledger.data), key=lambda e: list(map(str, e.path))):
        problems.extend(_describe(error, ledger, spec))
    return problems


def is_structural(problem_location: Path_, validator: str) -> bool:
    in_claim = len(problem_location) >= 2 and problem_location[0] == "claims"
    return not in_claim or validator in _STRUCTURAL_VALIDATORS


def _properties_of(location: Path_, spec: dict[str, Any]) -> list[str]:
    if not location:
        return list(spec["properties"])
    if location[0] == "document":
        return list(spec["$defs"]["document"]["properties"])
    return list(spec["$defs"]["claim"]["properties"])


def _describe(error: Any, ledger: LedgerFile, spec: dict[str, Any]) -> list[Problem]:
    import difflib

    location = tuple(error.absolute_path)
    structural = is_structural(location, error.validator)

    def problem(loc: Path_, message: str, hint: str) -> Problem:
        return Problem(
            ledger.name, ledger.line_of(loc), ledger.label(loc), message, hint, structural
        )

    if error.validator == "additionalProperties":
        allowed = _properties_of(location, spec)
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
            out.append(problem((*location, key), f"unknown field '{key}'", hint))
        return out
    if error.validator == "then" or (error.validator == "required" and "then" in error.schema_path):
        return [
            problem(
                location,
                "an average claim needs 'average_per'",
                "add average_per: month (or day, week, year)",
            )
        ]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return [problem(location, f"'{missing}' is missing", f"add '{missing}:'")]
    if error.validator == "anyOf" and location and location[0] == "claims":
        return [
            problem(
                location,
                "the claim gives no figure",
                "add civilians_killed: or civilians_injured: with the figure as written",
            )
        ]
    if error.validator == "pattern":
        field_ = location[-1] if location else ""
        hints = {
            "date": "write YYYY-MM-DD, YYYY-MM or YYYY",
            "date_end": "write YYYY-MM-DD, YYYY-MM or YYYY",
            "published": "write YYYY-MM-DD, YYYY-MM or YYYY",
            "id": "use lowercase letters, digits, '.', '_' and '-' only",
            "language": "use an ISO 639-1 code such as en or ar",
            "url": "start the address with https:// or http://",
        }
        return [
            problem(
                location,
                f"'{error.instance}' is not a valid {field_}",
                hints.get(field_, "see docs/ledger.md"),
            )
        ]
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return [problem(location, f"'{error.instance}' is not allowed", f"use one of: {allowed}")]
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return [
            problem(
                location,
                f"expected {expected}, found {type(error.instance).__name__}",
                "write a single value (quote text that YAML would read otherwise)",
            )
        ]
    if error.validator == "oneOf" and location and location[-1] == "belligerents":
        return [
            problem(
                location,
                "belligerents must be a name or a list of names",
                "write belligerents: [US-led coalition]",
            )
        ]
    if error.validator == "minItems" and location == ("claims",):
        return [problem(location, "the document has no claims", "add at least one claim")]
    return [problem(location, error.message, "see docs/ledger.md")]


def structural_problems(ledger: LedgerFile) -> list[Problem]:
    """Problems that stop a file from landing (reading problems and the structural schema errors,
    plus any problem of the document block)."""
    out = list(ledger.problems)
    if ledger.data is not None and not isinstance(ledger.data, dict):
        out.append(
            Problem(
                ledger.name,
                1,
                "(file)",
                "the file must be a mapping with 'document:' and 'claims:'",
                "start from a file in sample_data/landing/ledger/",
            )
        )
        return out
    out += [problem for problem in schema_problems(ledger) if problem.blocking]
    out += document_date_problems(ledger)
    return out


def document_date_problems(ledger: LedgerFile) -> list[Problem]:
    """The publication date must be a day of the calendar (the schema checks its form)."""
    text = ledger.texts.get(("document", "published"))
    if text is None or _is_calendar_day(str(text)):
        return []
    return [
        Problem(
            ledger.name,
            ledger.line_of(("document", "published")),
            "document.published",
            f"'{text}' is not a real date",
            "write YYYY-MM-DD, YYYY-MM or YYYY",
        )
    ]


def _is_calendar_day(text: str) -> bool:
    try:
        date.fromisoformat({4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text))
    except ValueError:
        return False
    return True


def _text(ledger: LedgerFile, location: Path_) -> str | None:
    value = ledger.texts.get(location)
    if value is None:
        return None
    return str(value)


def document_record(ledger: LedgerFile) -> dict[str, str | None]:
    record = {column: _text(ledger, ("document", column)) for column in DOCUMENT_COLUMNS}
    record["document_id"] = _text(ledger, ("document", "id"))
    return record


def claim_records(ledger: LedgerFile) -> list[tuple[int, dict[str, str | None]]]:
    """(line, record) for every claim; all values as text, belligerents as a JSON list."""
    document_id = _text(ledger, ("document", "id"))
    out = []
    for index, claim in enumerate(ledger.claims):
        location = ("claims", index)
        record: dict[str, str | None] = {column: None for column in CLAIM_COLUMNS}
        for key, value in claim.items():
            column = _RENAMED.get(key, key)
            if key == "belligerents":
                names = value if isinstance(value, list) else [value]
                texts = [
                    ledger.texts.get(
                        (*location, key, i) if isinstance(value, list) else (*location, key)
                    )
                    for i in range(len(names))
                ]
                record[column] = json.dumps([t for t in texts if t is not None], ensure_ascii=False)
            else:
                record[column] = _text(ledger, (*location, key))
        record["document_id"] = document_id
        out.append((ledger.line_of(location), record))
    return out


FILE_PATTERNS = ("*.yaml", "*.yml")


def landing_files(landing_dir: Path) -> list[Path]:
    return [path for path, _ in read_drop_folder(landing_dir, SOURCE, FILE_PATTERNS).matched]


_DDL = {
    "ledger_documents": DOCUMENT_COLUMNS,
    "ledger_claims": CLAIM_COLUMNS,
}


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in _DDL.items():
        column_list = ", ".join(f'"{column}" varchar' for column in columns)
        con.execute(
            f"create table if not exists raw.{table} ({column_list}, _load_id varchar,"
            " _source_file varchar, _row_number bigint, _loaded_at timestamp)"
        )
    # A claim's `_row_number` is its number in the file, `_line` the line it starts on: a
    # flow-style (JSON) file may hold every claim on one line. Rows landed before `_line` existed
    # have their line as `_row_number`.
    con.execute("alter table raw.ledger_claims add column if not exists _line bigint")


def _insert_ndjson(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: list[tuple[int, dict[str, str | None]]],
    load_id: str,
    source_file: str,
    workdir: Path,
    loaded_at: datetime,
) -> int:
    columns = _DDL[table]
    path = workdir / f"{table}.ndjson"
    with path.open("w", encoding="utf-8") as handle:
        for number, (line, record) in enumerate(rows, start=1):
            fields = {**record, "_line": str(line), "_number": str(number)}
            handle.write(json.dumps(fields, ensure_ascii=False) + "\n")
    spec = ", ".join(f"'{column}': 'varchar'" for column in (*columns, "_line", "_number"))
    column_list = ", ".join(f'"{column}"' for column in columns)
    # documents: one per file, numbered by its line; claims: by their number in the file
    claims = table == "ledger_claims"
    number = "_number" if claims else "_line"
    line_target, line_value = (", _line", ", _line::bigint") if claims else ("", "")
    return con.execute(
        f"insert into raw.{table} ({column_list}, _load_id, _source_file, _row_number,"
        f" _loaded_at{line_target}) select {column_list}, ?, ?, {number}::bigint, ?::timestamp"
        f"{line_value} from read_json({sql_path(path)}, format='newline_delimited',"
        f" columns={{{spec}}})",
        [load_id, source_file, loaded_at],
    ).fetchone()[0]


def land_file(con: duckdb.DuckDBPyConnection, path: Path, source_file: str) -> LoadResult:
    """Land one ledger file: its document row and its claims, as one load."""
    ensure_load_log(con)
    sha256 = file_sha256(path)
    if already_landed(con, SOURCE, source_file, sha256):
        return LoadResult(None, SOURCE, source_file, sha256, 0, skipped=True)
    ledger = read_file(path, source_file)
    problems = structural_problems(ledger)
    if problems:
        raise LandingError(
            f"{source_file}: cannot land this ledger file ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}; `civcas ledger check` lists them all):\n  "
            + "\n  ".join(map(str, problems))
        )
    load_id = new_load_id(SOURCE, sha256)
    loaded_at = landing_time(con)
    documents = [(ledger.line_of(("document",)), document_record(ledger))]
    claims = claim_records(ledger)
    con.execute("begin transaction")
    try:
        ensure_raw_tables(con)
        with tempfile.TemporaryDirectory(prefix="civcas-ledger-") as workdir:
            landed = _insert_ndjson(
                con, "ledger_documents", documents, load_id, source_file, Path(workdir), loaded_at
            )
            landed += _insert_ndjson(
                con, "ledger_claims", claims, load_id, source_file, Path(workdir), loaded_at
            )
        record_load(
            con,
            load_id=load_id,
            source=SOURCE,
            source_file=source_file,
            sha256=sha256,
            rows_in=len(documents) + len(claims),
            loaded_at=loaded_at,
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return LoadResult(load_id, SOURCE, source_file, sha256, landed, skipped=False)


def land(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[LoadResult]:
    ensure_load_log(con)
    ensure_raw_tables(con)  # the raw tables exist even before the first ledger file arrives
    folder = read_drop_folder(landing_dir, SOURCE, FILE_PATTERNS)
    return folder.refused + [
        land_file(con, path, str(path.relative_to(landing_dir))) for path, _ in folder.matched
    ]
