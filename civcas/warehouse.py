"""The warehouse life cycle: every run builds in its own copy, and only a validated build is
published, by one atomic rename over the published file.

A run's files live in `.builds/<run_id>/`: the build, named like the published file (DuckDB names
a database's catalog after its file, and dbt binds view SQL to that catalog, so the same name keeps
every view valid once published), the identity of the warehouse it was copied from, and dbt's
target and logs. Analysts hold the published file open read-only; a rename never disturbs an open
file. A failed or killed run leaves its folder behind: every new build keeps only the newest few
(civcas.publish_guard), and a publish clears those older than a day.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from civcas import lake, publish_log
from civcas.identifiers import quoted
from civcas.publish_guard import prune_failed_builds, set_aside_foreign_wal, switch_release
from civcas.settings import DUCKDB_CONFIG, Settings
from ingestion.registry import ensure_raw_tables

STALE_BUILD_SECONDS = 24 * 3600


class PublishConflict(RuntimeError):
    """Another run published since this build was copied; publishing would lose its loads."""


def run_dir(settings: Settings, run_id: str) -> Path:
    return settings.builds_dir / run_id


def build_path(settings: Settings, run_id: str) -> Path:
    return run_dir(settings, run_id) / settings.warehouse.name


def dbt_target_dir(settings: Settings, run_id: str) -> Path:
    """dbt's target and logs for this run: removed with the run's folder, so never piling up."""
    return run_dir(settings, run_id) / "dbt"


def _base_marker(settings: Settings, run_id: str) -> Path:
    return run_dir(settings, run_id) / "base"


def _copied_loads_marker(build: Path) -> Path:
    """How many loads the build held when it was copied from the published warehouse."""
    return build.parent / "loads-at-copy"


def _load_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from raw._loads").fetchone()[0]


def landed_since_copy(build: Path) -> bool:
    """True when this run landed something into its build: a file, an API page or a deletions
    page is one new row of `raw._loads`, and landing changes raw rows only with new loads (a
    re-fetched month moves its old rows aside in the transaction that lands its new pages)."""
    copied = int(_copied_loads_marker(build).read_text(encoding="utf-8"))
    con = connect(build, read_only=True)
    try:
        return _load_count(con) > copied
    finally:
        con.close()


def discard(settings: Settings, run_id: str) -> None:
    """Remove a run's build that has nothing to publish (it is the published warehouse again)."""
    shutil.rmtree(run_dir(settings, run_id), ignore_errors=True)


def _published_identity(settings: Settings) -> str:
    try:
        stat = settings.warehouse.stat()
    except FileNotFoundError:
        return "absent"
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


@contextmanager
def _builds_lock(settings: Settings) -> Iterator[None]:
    settings.builds_dir.mkdir(parents=True, exist_ok=True)
    with (settings.builds_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_build(settings: Settings, run_id: str) -> Path:
    """The run's build file, created on first use as a copy of the published warehouse."""
    path = build_path(settings, run_id)
    with _builds_lock(settings):
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            prune_failed_builds(settings.builds_dir, run_id, settings.warehouse.name)
            partial = path.with_suffix(".copying")
            partial.unlink(missing_ok=True)
            if settings.lake is not None:
                base = _copy_from_lake(settings, partial)
                _base_marker(settings, run_id).write_text(json.dumps(base))
                if base is not None and not _is_lake_cache_of(settings, base):
                    _read_back_marker(path).touch()
            else:
                _base_marker(settings, run_id).write_text(_published_identity(settings))
                if settings.warehouse.exists() and not _adopt_prefetched_copy(settings, partial):
                    shutil.copyfile(settings.warehouse, partial)
            con = connect(partial)
            try:
                ensure_raw_tables(con)
                publish_log.ensure_inputs_table(con)
                _copied_loads_marker(path).write_text(str(_load_count(con)))
            finally:
                con.close()
            os.replace(partial, path)
    return path


PREFETCH_PREFIX = ".prefetch-"


@dataclass
class _Prefetch:
    thread: threading.Thread
    path: Path
    identity: str
    errors: list[BaseException]


_prefetches: dict[Path, _Prefetch] = {}


def prefetch_copy(settings: Settings) -> None:
    """Start copying the published warehouse in the background, for this process's next build.

    `civcas run` calls it before it imports Dagster: at 1M incidents the copy (1.8 GB, about
    4 s) then runs beside those imports and the instance's start instead of after them. The
    first build of the process adopts the copy if the published file is still the one copied
    (`ensure_build`); anything else discards it and copies again. A copy left by a killed process
    is removed by the next prefetch.
    """
    if settings.lake is not None or not settings.warehouse.exists():
        return
    if settings.warehouse in _prefetches:
        return
    settings.builds_dir.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_prefetches(settings.builds_dir)
    path = settings.builds_dir / f"{PREFETCH_PREFIX}{os.getpid()}.copying"
    errors: list[BaseException] = []

    def copy() -> None:
        try:
            shutil.copyfile(settings.warehouse, path)
        except BaseException as error:  # the build then copies itself, and meets it there
            errors.append(error)

    identity = _published_identity(settings)
    thread = threading.Thread(target=copy, name="civcas-prefetch-copy", daemon=True)
    _prefetches[settings.warehouse] = _Prefetch(thread, path, identity, errors)
    atexit.register(path.unlink, missing_ok=True)
    thread.start()


def _adopt_prefetched_copy(settings: Settings, partial: Path) -> bool:
    """Move this process's prefetched copy to `partial` if it is a copy of the published file as
    it is now; True when it did."""
    prefetch = _prefetches.pop(settings.warehouse, None)
    if prefetch is None:
        return False
    prefetch.thread.join()
    if prefetch.errors or prefetch.identity != _published_identity(settings):
        prefetch.path.unlink(missing_ok=True)
        return False
    os.replace(prefetch.path, partial)
    return True


def _remove_abandoned_prefetches(builds_dir: Path) -> None:
    for leftover in builds_dir.glob(f"{PREFETCH_PREFIX}*.copying"):
        pid = leftover.name.removeprefix(PREFETCH_PREFIX).removesuffix(".copying")
        if pid.isdigit() and not _process_alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=read_only, config=dict(DUCKDB_CONFIG))


# A reader's temporary folder: under the build folder, never beside the published file (DuckDB's
# default, `<file>.tmp` in the release folder, on the disk a publish needs); dot-named, so that
# pruning failed builds leaves it alone.
READER_TEMP_PREFIX = ".tmp-reader-"


@contextmanager
def spill_folder(builds_dir: Path | None) -> Iterator[Path]:
    """A private folder (mode 0700) under `builds_dir` for a reader's temporary files, removed on
    exit; under the system's temporary folder when `builds_dir` is None or cannot be written (a
    reader without write access to the warehouse folder)."""
    parent = None
    if builds_dir is not None:
        try:
            builds_dir.mkdir(parents=True, exist_ok=True)
            parent = builds_dir
        except OSError:
            parent = None
    try:
        temp = Path(tempfile.mkdtemp(prefix=READER_TEMP_PREFIX, dir=parent))
    except OSError:
        temp = Path(tempfile.mkdtemp(prefix=READER_TEMP_PREFIX))
    try:
        yield temp
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def publish(settings: Settings, run_id: str, notices: list[str] | None = None) -> Path | str:
    """Atomically replace the published warehouse with this run's build: a release of its own,
    the published path a link switched to it (civcas.publish_guard.switch_release).

    Warnings for the operator (a foreign WAL moved aside) are appended to `notices`. In lake
    mode, one DuckLake snapshot instead (civcas.lake.publish); returns what was published.
    """
    path = build_path(settings, run_id)
    if not path.exists():
        raise FileNotFoundError(f"no build for run {run_id} at {path}")
    con = connect(path)
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    if settings.lake is not None:
        return _publish_to_lake(settings, run_id, path)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with _builds_lock(settings):
        base = _base_marker(settings, run_id)
        if base.exists() and base.read_text() != _published_identity(settings):
            raise PublishConflict(
                f"{settings.warehouse} was published by another run after this build started;"
                " nothing was published: run again to build on the newer warehouse"
            )
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
        found = [set_aside_foreign_wal(settings.warehouse)]
        now = datetime.now(UTC)
        release_id = publish_log.release_name(now, run_id)
        with connect(path, read_only=True) as con:
            tables = publish_log.table_rows(con)
        found += switch_release(
            settings.warehouse, path, release_id, settings.keep_releases_days * 86400
        )
        publish_log.append(
            settings.publish_log, publish_log.Publish(run_id, now, release_id, tables)
        )
        if notices is not None:
            notices += [notice for notice in found if notice]
        shutil.rmtree(run_dir(settings, run_id), ignore_errors=True)
        _remove_stale_builds(settings)
    return settings.warehouse


def copy_published(settings: Settings, target: Path) -> None:
    """A file copy of what analysts read now, at `target` (a new file): the published file, or
    the lake's latest publish. NothingPublished when there is none."""
    from civcas.published import NothingPublished

    if settings.lake is None:
        if not settings.warehouse.exists():
            raise NothingPublished(f"nothing published yet at {settings.warehouse}")
        shutil.copyfile(settings.warehouse, target)
    elif _copy_from_lake(settings, target) is None:
        target.unlink(missing_ok=True)
        raise NothingPublished(f"nothing published yet in the lake ({settings.lake.catalog})")


def _lake_cache(settings: Settings) -> Path:
    """This machine's copy of the lake's last publish, as the build that made it."""
    return settings.builds_dir / ".lake-published" / settings.warehouse.name


def _is_lake_cache_of(settings: Settings, snapshot: int) -> bool:
    marker = _lake_cache(settings).with_suffix(".snapshot")
    return marker.exists() and marker.read_text() == str(snapshot)


def _read_back_marker(build: Path) -> Path:
    return build.parent / "read-back-from-lake"


def read_back_from_lake(build: Path) -> bool:
    """True when the build was read back from the lake's tables (another machine published
    last), not copied from this machine's own last build. Such a copy is built again from its raw
    rows: an incremental build of it was seen to leave a mart's rows without their reports
    (tests/integration/test_lake.py, two runs at once), while a rebuild from raw is consistent."""
    return _read_back_marker(build).exists()


def _copy_from_lake(settings: Settings, partial: Path) -> int | None:
    """Fill `partial` with the lake's last publish; return its snapshot. When this machine made
    that publish, its build is still here (.lake-published/) and a file copy replaces reading
    every table back from the lake."""
    try:
        latest = lake.latest_publish(settings.lake)
    except lake.LakeError:  # a lake not created yet: the copy below creates it
        latest = None
    if latest is not None and _is_lake_cache_of(settings, latest.snapshot_id):
        shutil.copyfile(_lake_cache(settings), partial)
        return latest.snapshot_id
    return lake.copy_published_into(settings.lake, partial)


def _publish_to_lake(settings: Settings, run_id: str, path: Path) -> str:
    """The build into the lake, in one snapshot recorded with the run id (civcas.lake)."""
    base = json.loads(_base_marker(settings, run_id).read_text())
    try:
        done = lake.publish(settings.lake, path, run_id, base)
    except lake.LakePublishConflict as conflict:
        raise PublishConflict(str(conflict)) from None
    with _builds_lock(settings):
        cache = _lake_cache(settings)
        cache.parent.mkdir(exist_ok=True)
        cache.with_suffix(".snapshot").unlink(missing_ok=True)
        os.replace(path, cache)
        cache.with_suffix(".snapshot").write_text(str(done.snapshot_id))
        shutil.rmtree(run_dir(settings, run_id), ignore_errors=True)
        _remove_stale_builds(settings)
    return f"lake snapshot {done.snapshot_id} ({settings.lake.catalog})"


def landed_rows(path: Path) -> int:
    """How many rows the raw tables of the database at `path` hold (DuckDB's catalog count)."""
    con = connect(path, read_only=True)
    try:
        return con.execute(
            "select coalesce(sum(estimated_size), 0)::bigint from duckdb_tables()"
            " where schema_name = 'raw'"
        ).fetchone()[0]
    finally:
        con.close()


def clear_for_rebuild(path: Path, relations: Iterable[tuple[str, str]]) -> list[str]:
    """Drop these (schema, name) tables and views from the build at `path` before a build that
    creates them all again, then checkpoint: their space is free for the new tables. dbt replaces
    a table only once its successor is built, so otherwise the file holds both at once, and a
    full rebuild of the 1M-incident warehouse grew it from 1.8 to 3.4 GB. Returns what was
    dropped."""
    con = connect(path)
    try:
        present = {
            (schema, name): kind
            for schema, name, kind in con.execute(
                "select schema_name, table_name, 'table' from duckdb_tables()"
                " union all select schema_name, view_name, 'view' from duckdb_views()"
                " where not internal"
            ).fetchall()
        }
        dropped = []
        for relation in sorted(set(relations)):
            kind = present.get(relation)
            if kind is not None:
                con.execute(f"drop {kind} {quoted(*relation)}")
                dropped.append(".".join(relation))
        con.execute("checkpoint")
    finally:
        con.close()
    return dropped


def _remove_stale_builds(settings: Settings) -> None:
    cutoff = time.time() - STALE_BUILD_SECONDS
    for stale in settings.builds_dir.iterdir():
        if stale.name.startswith(".") or stale.stat().st_mtime >= cutoff:
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
