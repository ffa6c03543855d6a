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
import time
from importlib import metadata
from pathlib import Path

import duckdb

from civcas.lake import LakeError
from civcas.publish_guard import published_wals
from civcas.publish_log import INPUTS_TABLE, ensure_inputs_table
from civcas.published import NothingPublished, open_published
from civcas.settings import DBT_PROJECT_DIR, REPO_ROOT, Settings
from civcas.warehouse import connect
from ingestion.landing import file_sha256
from ingestion.registry import ALL_SOURCES, FILE_DROP_SOURCES

UP_TO_DATE = "civcas: up to date: nothing landed, warehouse unchanged"
SOURCE_INPUTS_TABLE = "audit.published_source_inputs"

# The code digest whose seeds last passed their dbt tests in a build (beside dbt's manifest).
SEED_TESTS_PASSED = DBT_PROJECT_DIR / "target" / "seed_tests_passed"

# Everything a build's contents depend on besides the landed files.
_CODE_FOLDERS = ("civcas", "ingestion", "expectations", "orchestration", "dbt_project")
_NOT_CODE = {"target", "logs", "dbt_packages", "__pycache__"}
_DEPENDENCY_FILES = ("pyproject.toml", "requirements.lock")
_ENGINES = ("duckdb", "dbt-core", "dbt-duckdb")


# Per landing file, the stat key its SHA-256 was computed for; a file whose key changed is hashed
# again. The key holds the inode change time, which writing the file or restoring its old mtime
# (`touch -d`, os.utime) always moves, so such a change is seen without reading every byte.
HASH_CACHE = ".landing_hashes.json"
# Even with an unchanged key, a hash older than this is computed again (a change that bypassed
# the file system's times, such as a restored disk image); `civcas run --verify` hashes all.
REHASH_AFTER_SECONDS = 24 * 3600


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _landing_hashes(landing: Path, cache: Path | None, verify: bool) -> dict[str, dict[str, dict]]:
    """Per file-drop source, each landing file's name and hash entry (see landing_fingerprint)."""
    known = _read_cache(cache) if cache is not None and not verify else {}
    now = time.time()
    by_source: dict[str, dict[str, dict]] = {}
    for source in FILE_DROP_SOURCES:
        hashes = by_source.setdefault(source.SOURCE, {})
        for path in source.landing_files(landing):
            name = str(path.relative_to(landing))
            key = _stat_key(path)
            entry = known.get(name)
            fresh = (
                entry and entry["key"] == key and now - entry["hashed_at"] < REHASH_AFTER_SECONDS
            )
            hashes[name] = (
                entry if fresh else {"key": key, "sha256": file_sha256(path), "hashed_at": now}
            )
    if cache is not None:
        _write_cache(
            cache, {name: e for hashes in by_source.values() for name, e in hashes.items()}
        )
    return by_source


def _digest(items: list[str]) -> str:
    return hashlib.sha256(json.dumps(sorted(items)).encode()).hexdigest()


def combined_fingerprint(per_source: dict[str, str]) -> str:
    """The landing folder's fingerprint from its sources' own: a run of some sources only can
    then record the whole folder's, the others' taken from the last publish."""
    return _digest([f"{source}|{digest}" for source, digest in per_source.items()])


def source_fingerprints(
    landing: Path, cache: Path | None = None, *, verify: bool = False
) -> tuple[dict[str, str], list[str]]:
    """Per file-drop source, a digest of its files' names and contents (SHA-256); and the
    entries (`name|sha256`) of every file.

    With `cache` (a JSON file of earlier hashes), only files whose stat key changed, or whose hash
    is older than REHASH_AFTER_SECONDS, are read; `verify` reads every file."""
    by_source = _landing_hashes(landing, cache, verify)
    entries = {
        source: [f"{name}|{entry['sha256']}" for name, entry in hashes.items()]
        for source, hashes in by_source.items()
    }
    per_source = {source: _digest(items) for source, items in entries.items()}
    return per_source, sorted(item for items in entries.values() for item in items)


def landing_fingerprint(
    landing: Path, cache: Path | None = None, *, verify: bool = False
) -> tuple[str, list[str]]:
    """A digest of every file-drop file's name and content, and its entries (source_fingerprints
    combined)."""
    per_source, entries = source_fingerprints(landing, cache, verify=verify)
    return combined_fingerprint(per_source), entries


def _read_cache(cache: Path) -> dict[str, dict]:
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: every file is hashed


def _write_cache(cache: Path, hashes: dict[str, dict]) -> None:
    partial = cache.with_name(f"{cache.name}.{os.getpid()}")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(hashes), encoding="utf-8")
        os.replace(partial, cache)
    except OSError:
        with contextlib.suppress(OSError):  # a read-only folder: hashed again next time
            partial.unlink()


def settings_fingerprint(settings: Settings, *, verify: bool = False) -> tuple[str, list[str]]:
    """landing_fingerprint of the settings' landing folder, its hashes kept beside the builds."""
    return landing_fingerprint(
        settings.landing_dir, settings.builds_dir / HASH_CACHE, verify=verify
    )


def settings_source_fingerprints(settings: Settings, *, verify: bool = False) -> dict[str, str]:
    """source_fingerprints of the settings' landing folder, its hashes kept beside the builds."""
    return source_fingerprints(
        settings.landing_dir, settings.builds_dir / HASH_CACHE, verify=verify
    )[0]


def code_fingerprint(root: Path = REPO_ROOT) -> str:
    """A digest of the code, the dbt project and the locked dependencies that build the warehouse,
    and of the DuckDB and dbt actually installed (a change in any means rebuild)."""
    digest = hashlib.sha256()
    for name in _DEPENDENCY_FILES:
        path = root / name
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    for package in _ENGINES:
        digest.update(f"{package}=={metadata.version(package)}\0".encode())
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
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    landing: str | None,
    sources: dict[str, str] | None = None,
) -> None:
    """Written into the build just before it is published. `landing` is the fingerprint the run
    was started for (None when the run did not cover every file source); `sources`, each landed
    source's own fingerprint when the run started (None: not known, as for a run started without
    civcas's tags). The others' stay as the last publish recorded them: their rows are those it
    published. Once every file source has one, they give the whole folder's fingerprint."""
    ensure_inputs_table(con)
    con.execute(
        f"""create table if not exists {SOURCE_INPUTS_TABLE} (
            source varchar primary key,
            landing_fingerprint varchar not null,
            run_id varchar not null
        )"""
    )
    if sources is None:
        con.execute(f"delete from {SOURCE_INPUTS_TABLE}")  # what this run landed is unknown
    else:
        # Delete, then insert, rather than `insert or replace`: a build copied from a lake has no
        # primary key here (DuckLake keeps no constraints).
        con.execute(
            f"delete from {SOURCE_INPUTS_TABLE} where list_contains(?, source)", [list(sources)]
        )
        con.execute(
            f"""insert into {SOURCE_INPUTS_TABLE}
            select unnest(?::varchar[]), unnest(?::varchar[]), ?""",
            [list(sources), list(sources.values()), run_id],
        )
    if landing is None:
        recorded = dict(
            con.execute(f"select * exclude (run_id) from {SOURCE_INPUTS_TABLE}").fetchall()
        )
        if set(recorded) == {source.SOURCE for source in FILE_DROP_SOURCES}:
            landing = combined_fingerprint(recorded)
    con.execute(
        f"insert into {INPUTS_TABLE} values (?, now(), ?, ?)",
        [run_id, landing, code_fingerprint()],
    )


def _from_published(settings: Settings, read):
    """`read(con)` on the published warehouse (file or lake); None when nothing is published, or
    it is locked by a writer or unreadable (the run then says what is wrong), or predates the
    table read."""
    try:
        con = open_published(settings)
    except (NothingPublished, LakeError, duckdb.Error):
        return None
    try:
        return read(con)
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


def _source_fingerprints_in(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per file source, the fingerprint its published rows were published for (empty when
    unknown)."""
    try:
        return dict(
            con.execute(f"select source, landing_fingerprint from {SOURCE_INPUTS_TABLE}").fetchall()
        )
    except duckdb.CatalogException:
        return {}  # published before per-source fingerprints were recorded


def _last_inputs_in(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str] | None:
    try:
        return con.execute(
            f"select landing_fingerprint, code_fingerprint from {INPUTS_TABLE}"
            " order by published_at desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None  # nothing published yet, or published before fingerprints were recorded


def _last_published_inputs(path: Path) -> tuple[str | None, str] | None:
    """(landing_fingerprint, code_fingerprint) of the last publish recorded in the file at `path`;
    None when there is none, or the file is locked by a writer or unreadable."""
    try:
        con = connect(path, read_only=True)
    except duckdb.Error:
        return None  # locked by a writer or unreadable: let the run say what is wrong
    try:
        return _last_inputs_in(con)
    finally:
        con.close()


def _published_inputs(settings: Settings) -> tuple[str | None, str] | None:
    """The last publish's inputs as readers see them (file or lake); None when unknown."""
    return _from_published(settings, _last_inputs_in)


def published_landing_fingerprint(settings: Settings) -> str | None:
    """The landing fingerprint the published warehouse was last published for (None: unknown)."""
    last = _published_inputs(settings)
    return last[0] if last else None


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


def known_sources(names: list[str]) -> bool:
    """True when every name is a registered source (an unknown one is for the run to refuse)."""
    return set(names) <= {source.SOURCE for source in ALL_SOURCES}


def up_to_date(
    settings: Settings, *, verify: bool = False, sources: list[str] | None = None
) -> bool:
    """True when the published warehouse was built from this landing folder's content and this
    code; `verify` hashes every landing file instead of only those whose stat key changed.

    With `sources` (a run of those only), only their files count: a run of them would land
    nothing. API sources among them land only the months a run fetches, so count for nothing."""
    if settings.lake is None and published_wals(settings.warehouse):
        return False  # a foreign WAL a run must set aside
    # One read of the published warehouse (in lake mode, one attach of its catalog).
    last, published = _from_published(
        settings, lambda con: (_last_inputs_in(con), _source_fingerprints_in(con))
    ) or (None, {})
    if last is None or last[1] != code_fingerprint():
        return False
    if not sources:
        return last[0] is not None and last[0] == settings_fingerprint(settings, verify=verify)[0]
    current = settings_source_fingerprints(settings, verify=verify)
    chosen = [name for name in sources if name in current]
    return all(name in published and published[name] == current[name] for name in chosen)
