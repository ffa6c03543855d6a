"""The `dbt build` child dies with its parent on kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from orchestration.defs.resources import dbt_resource

PARENT = textwrap.dedent(
    """
    import time
    from orchestration.defs.resources import dbt_resource
    invocation = dbt_resource().cli(["parse", "--no-partial-parse"], raise_on_error=False)
    print(invocation.process.pid, flush=True)
    time.sleep(120)
    """
)


def alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped (PID 1 of a container may never reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_dbt_resource_runs_dbt_through_the_guard():
    assert Path(dbt_resource().dbt_executable).name == "civcas-dbt"


def test_dbt_dies_with_its_parent_on_kill_9():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        child = int(parent.stdout.readline())
        started = time.monotonic()
        while b"bin/dbt\0parse" not in Path(f"/proc/{child}/cmdline").read_bytes():
            assert time.monotonic() - started < 10, "the guard never became dbt"
            time.sleep(0.02)
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 2
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child), "dbt outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if alive(child):
            os.kill(child, signal.SIGKILL)
