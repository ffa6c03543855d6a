"""`civcas run` copies the published warehouse while it starts (civcas.warehouse.prefetch_copy);
the run's build adopts that copy only if it still is the published file."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb

from civcas import warehouse as wh
from civcas.settings import load_settings


def _publish_answer(path, answer: int) -> None:
    """Replace the published file as a publish does: a new file renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_suffix(".new")
    con = duckdb.connect(str(fresh))
    con.execute(f"create table main.answer as select {answer} as answer")
    con.close()
    os.replace(fresh, path)


def _answer(build) -> int:
    con = duckdb.connect(str(build), read_only=True)
    try:
        return con.execute("select answer from main.answer").fetchone()[0]
    finally:
        con.close()


def _prefetches(settings) -> list[str]:
    return sorted(path.name for path in settings.builds_dir.glob(".prefetch-*"))


def test_the_first_build_adopts_the_prefetched_copy(civcas_env):
    settings = load_settings()
    _publish_answer(settings.warehouse, 41)
    wh.prefetch_copy(settings)
    prefetched = wh._prefetches[settings.warehouse]
    prefetched.thread.join()
    copied_inode = prefetched.path.stat().st_ino

    build = wh.ensure_build(settings, "run-1")

    assert build.stat().st_ino == copied_inode  # moved into place, not copied again
    assert _answer(build) == 41
    assert _prefetches(settings) == []
    # Only the first build adopts it: a second one copies the published file itself.
    assert wh.ensure_build(settings, "run-2").stat().st_ino != copied_inode


def test_a_copy_of_a_warehouse_published_over_since_is_discarded(civcas_env):
    settings = load_settings()
    _publish_answer(settings.warehouse, 41)
    wh.prefetch_copy(settings)
    wh._prefetches[settings.warehouse].thread.join()
    _publish_answer(settings.warehouse, 42)  # another run published meanwhile

    build = wh.ensure_build(settings, "run-1")

    assert _answer(build) == 42
    assert _prefetches(settings) == []


def test_a_copy_left_by_a_killed_process_is_removed_by_the_next_prefetch(civcas_env):
    settings = load_settings()
    _publish_answer(settings.warehouse, 41)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead_pid = int(gone.stdout)
    settings.builds_dir.mkdir(parents=True)
    leftover = settings.builds_dir / f".prefetch-{dead_pid}.copying"
    leftover.write_bytes(b"half a copy")

    wh.prefetch_copy(settings)
    wh._prefetches[settings.warehouse].thread.join()

    assert _prefetches(settings) == [f".prefetch-{os.getpid()}.copying"]
    assert _answer(wh.ensure_build(settings, "run-1")) == 41
