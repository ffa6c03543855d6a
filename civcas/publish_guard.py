"""Safeguards around the published file and the build folder.

- A write-ahead log beside the published file can only come from someone who opened it
  read-write (the `duckdb` CLI's default). DuckDB replays `<file>.wal` onto whatever file carries
  that name when a connection opens it, so after a publish every new reader would see the old
  WAL applied to the new build. Publishing moves it aside first and says so.
- Failed builds are kept for inspection, but only a bounded number of them, however many runs fail
  in a row.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_KEEP_FAILED_BUILDS = 2  # CIVCAS_KEEP_FAILED_BUILDS
# A run's build is untouched only between two of its steps; one younger than this may be in use.
IN_USE_GRACE_SECONDS = 600


def set_aside_foreign_wal(published: Path) -> str | None:
    """Move `<published>.wal` aside; the warning to show the operator, or None when absent."""
    wal = published.with_name(published.name + ".wal")
    if not wal.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = wal.with_name(f"{wal.name}.foreign-{stamp}")
    os.replace(wal, aside)
    return (
        f"{wal.name} ({aside.stat().st_size:,} bytes) was left beside the published warehouse by"
        f" a read-write connection; it would have replayed onto the new build, so it was moved to"
        f" {aside}. Open the published file read-only (`duckdb -readonly`, `civcas sql`)"
    )


def keep_failed_builds_from_env() -> int:
    text = os.environ.get("CIVCAS_KEEP_FAILED_BUILDS", "").strip()
    return max(0, int(text)) if text else DEFAULT_KEEP_FAILED_BUILDS


def prune_failed_builds(
    builds_dir: Path, current_run_id: str, build_name: str, keep: int | None = None
) -> list[str]:
    """Remove all but the newest `keep` run folders (`<builds_dir>/<run_id>/`) of other runs;
    returns the run ids removed.

    A run's build is spared while a process holds it open (DuckDB's file lock) or anything in its
    folder was modified in the last IN_USE_GRACE_SECONDS: that is a run between two steps, not a
    failed one.
    """
    keep = keep_failed_builds_from_env() if keep is None else keep
    folders = sorted(
        (
            folder
            for folder in builds_dir.iterdir()
            if folder.is_dir() and not folder.name.startswith(".") and folder.name != current_run_id
        ),
        key=_last_modified,
        reverse=True,
    )
    cutoff = time.time() - IN_USE_GRACE_SECONDS
    removed = []
    for folder in folders[keep:]:
        if _last_modified(folder) > cutoff or _locked_elsewhere(folder / build_name):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder.name)
    return removed


def _last_modified(folder: Path) -> float:
    return max([folder.stat().st_mtime, *(entry.stat().st_mtime for entry in folder.rglob("*"))])


def _locked_elsewhere(path: Path) -> bool:
    if not path.exists():
        return False
    with path.open("rb") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(handle, fcntl.LOCK_UN)
    return False
