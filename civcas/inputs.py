"""What a published warehouse was built from: the landing folder's files and civcas's own code.

A publish records both fingerprints in the published file (`audit.published_inputs`); a
`civcas run` whose landing folder and code match the last publish has nothing to do and says so
without starting Dagster, dbt or Great Expectations.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import duckdb

from civcas.publish_guard import published_wals
from civcas.settings import DBT_PROJECT_DIR, REPO_ROOT, Settings
from civcas.warehouse import connect
from ingestion.registry import FILE_DROP_SOURCES

UP_TO_DATE = "civcas: up to date: nothing landed, warehouse unchanged"
INPUTS_TABLE = "audit.published_inputs"

# The code digest whose seeds last passed their dbt tests in a build (beside dbt's manifest).
SEED_TESTS_PASSED = DBT_PROJECT_DIR / "target" / "seed_tests_passed"

# Everything a build's contents depend on besides the landed files.
_CODE_FOLDERS = ("civcas", "ingestion", "expectations", "orchestration", "dbt_project")
_NOT_CODE = {"target", "logs", "dbt_packages", "__pycache__"}


def landing_fingerprint(landing: Path) -> tuple[str, list[str]]:
    """A digest of every file-drop file's name, size and modification time."""
    entries = []
    for source in FILE_DROP_SOURCES:
        for path in source.landing_files(landing):
            stat = path.stat()
            entries.append(f"{path.relative_to(landing)}|{stat.st_size}|{stat.st_mtime_ns}")
    entries.sort()
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest(), entries


def code_fingerprint(root: Path = REPO_ROOT) -> str:
    """A digest of the code and dbt project that build the warehouse (a change means rebuild)."""
    digest = hashlib.sha256()
    for folder in _CODE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            hidden = any(part.startswith(".") for part in relative.parts)  # dbt's .user.yml
            if not path.is_file() or hidden or _NOT_CODE.intersection(relative.parts):
                continue
            digest.update(f"{relative}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def record_published_inputs(
    con: duckdb.DuckDBPyConnection, run_id: str, landing: str | None
) -> None:
    """Written into the build just before it is published. `landing` is the fingerprint the run
    was started for (None when the run did not cover every file source)."""
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {INPUTS_TABLE} (
            run_id varchar not null,
            published_at timestamptz not null,
            landing_fingerprint varchar,
            code_fingerprint varchar not null
        )"""
    )
    con.execute(
        f"insert into {INPUTS_TABLE} values (?, now(), ?, ?)",
        [run_id, landing, code_fingerprint()],
    )


def _last_published_inputs(path: Path) -> tuple[str | None, str] | None:
    """(landing_fingerprint, code_fingerprint) of the last publish recorded in the file at `path`;
    None when there is none, or the file is locked by a writer or unreadable."""
    try:
        con = connect(path, read_only=True)
    except duckdb.Error:
        return None  # locked by a writer or unreadable: let the run say what is wrong
    try:
        return con.execute(
            f"select landing_fingerprint, code_fingerprint from {INPUTS_TABLE}"
            " order by published_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None  # nothing published yet, or published before fingerprints were recorded
    finally:
        con.close()


def built_by_this_code(build: Path, code: str) -> bool:
    """True when the file a run builds in (a copy of the published warehouse) was last published
    by the code of digest `code`: its seeds are then this code's seeds, and a build may keep
    them."""
    last = _last_published_inputs(build) if build.exists() else None
    return last is not None and last[1] == code


def seed_tests_passed(code: str, marker: Path = SEED_TESTS_PASSED) -> bool:
    """True when a build of the code of digest `code` ran the seeds' dbt tests and all passed.
    They test the seed files alone (keys, vocabularies, references between seeds), which the
    digest covers, so their outcome holds for any build of the same code."""
    try:
        return marker.read_text(encoding="utf-8") == code
    except OSError:
        return False


def record_seed_tests_passed(code: str, marker: Path = SEED_TESTS_PASSED) -> bool:
    """Remember that the seeds' tests passed for `code`; False when the marker cannot be written
    (a read-only checkout): the build is no worse for it, the next one tests the seeds again."""
    partial = marker.with_name(f"{marker.name}.{os.getpid()}")
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(code, encoding="utf-8")
        os.replace(partial, marker)  # concurrent builds: one whole digest or the other
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        return False
    return True


def up_to_date(settings: Settings) -> bool:
    """True when the published warehouse was built from this landing folder and this code."""
    if not settings.warehouse.exists() or published_wals(settings.warehouse):
        return False  # nothing published, or a foreign WAL a run must set aside
    last = _last_published_inputs(settings.warehouse)
    if last is None or last[0] is None:
        return False
    return last == (landing_fingerprint(settings.landing_dir)[0], code_fingerprint())
