"""Safeguards around the published file and the build folder.

- A write-ahead log beside the published file can only come from someone who opened it
  read-write (the `duckdb` CLI's default). DuckDB replays `<file>.wal` onto whatever file carries
  that name when a connection opens it, so after a publish every new reader would see the old
  WAL applied to the new build. Publishing moves it aside first and says so.
- Each publish is a release of its own (`.published/<release>/<name>`) and the published path is
  a symbolic link switched atomically to the newest. DuckDB resolves the link when it opens the
  file and keeps its WAL beside the file it opened, so a read-write session held across a publish
  writes beside its own (earlier) release, never into what new readers open.
- Earlier releases stay for `civcas sql --as-of` until their successor is older than the
  retention (Settings.keep_releases_days); a session holding one open keeps reading it.
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

from civcas.publish_log import release_time

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


RELEASES_DIR = ".published"


def published_wals(published: Path) -> list[Path]:
    """Every WAL a read-write session left beside the published path or the release it points to:
    DuckDB replays it for every new reader, so what they read is no longer what was validated."""
    candidates = [published.with_name(published.name + ".wal")]
    if published.is_symlink():
        release = published.resolve()
        candidates.append(release.with_name(release.name + ".wal"))
    return [wal for wal in candidates if wal.exists()]


def wal_warning(wal: Path) -> str:
    return (
        f"{wal} ({wal.stat().st_size:,} bytes): a read-write session wrote into the published"
        " warehouse; every new reader replays it, so what they read is not what was validated."
        " Close that session (open the file read-only: `duckdb -readonly`, `civcas sql`); the"
        " next publish sets it aside"
    )


def switch_release(
    published: Path, build: Path, release_id: str, keep_seconds: float = 0.0
) -> list[str]:
    """Move `build` into a new release folder and switch the link at `published` to it, in one
    atomic rename; then remove the earlier releases replaced more than `keep_seconds` ago (the
    retention of `civcas sql --as-of`; a session holding one open keeps reading it). Returns
    warnings: writes a session made into an earlier release."""
    releases = published.parent / RELEASES_DIR
    folder = releases / release_id
    folder.mkdir(parents=True)
    release = folder / published.name
    os.replace(build, release)
    link = published.with_name(f".{published.name}.{release_id}.link")
    link.unlink(missing_ok=True)
    os.symlink(release.relative_to(published.parent), link)
    os.replace(link, published)
    for directory in (folder, published.parent):
        _fsync_directory(directory)
    notices = []
    earlier = sorted(entry for entry in releases.iterdir() if entry.is_dir() and entry != folder)
    for old in earlier:
        wal = old / f"{published.name}.wal"
        if wal.exists():
            notices.append(
                f"{wal} ({wal.stat().st_size:,} bytes): a read-write session wrote into an"
                " earlier release; those writes were never published: set aside (.set-aside) so"
                " that `civcas sql --as-of` reads that release as it was published"
            )
            os.replace(wal, wal.with_name(wal.name + ".set-aside"))
    for old in expired_releases([*earlier, folder], keep_seconds):
        shutil.rmtree(old, ignore_errors=True)
    return notices


def expired_releases(releases: list[Path], keep_seconds: float) -> list[Path]:
    """The releases (oldest first, the current last) whose successor was published more than
    `keep_seconds` ago: nobody can ask for a moment they were current in any more."""
    now = datetime.now(UTC).timestamp()
    expired = []
    for old, successor in zip(releases, releases[1:], strict=False):
        try:
            replaced_at = release_time(successor.name).timestamp()
        except ValueError:  # not a release's name: nothing an as-of can ask for
            replaced_at = 0.0
        if now - replaced_at >= keep_seconds:
            expired.append(old)
    return expired


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


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
