"""Time a full `civcas run` and measure its peak memory (the whole process tree, sampled).

    python benchmarks/run_benchmark.py --incidents 1000000     # generated Airwars-shaped data
    python benchmarks/run_benchmark.py --bundled               # the bundled sample data
    python benchmarks/run_benchmark.py --incidents 1000000 --then-month 1000
        # then one month of 1,000 new incidents dropped on the published warehouse (incremental)

Prints wall time, the peak of the summed RSS of `civcas run` and all its children (dbt runs in a
subprocess), the largest single process, and the run's own summary.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from generate_airwars import generate  # noqa: E402


def _tree_rss(process: psutil.Process) -> dict[str, int]:
    """RSS per kind of process: the dbt subprocess, anything else it starts, and civcas itself."""
    usage: dict[str, int] = {}
    for member in [process, *process.children(recursive=True)]:
        try:
            rss = member.memory_info().rss
            kind = "dbt" if "dbt" in " ".join(member.cmdline()[:2]) else "other"
        except psutil.Error:
            continue
        kind = "civcas" if member.pid == process.pid else kind
        usage[kind] = usage.get(kind, 0) + rss
    return usage


def measure(command: list[str], env: dict[str, str]) -> tuple[float, int, dict[str, int], int, str]:
    started = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(child.stdout), daemon=True)
    reader.start()
    root = psutil.Process(child.pid)
    peak_total, peaks = 0, {}
    while child.poll() is None:
        usage = _tree_rss(root)
        peak_total = max(peak_total, sum(usage.values()))
        for kind, rss in usage.items():
            peaks[kind] = max(peaks.get(kind, 0), rss)
        time.sleep(0.2)
    reader.join()
    return time.perf_counter() - started, peak_total, peaks, child.returncode, "".join(output)


def _report(
    label: str,
    seconds: float,
    peak_total: int,
    peaks: dict[str, int],
    code: int,
    output: str,
    work: Path,
) -> float:
    summary = [line for line in output.splitlines() if line.startswith(("run ", "  "))]
    print("\n".join(summary[-12:]))
    print(f"benchmark: {label}")
    print(f"  wall time: {seconds:.1f} s, exit code {code}")
    print(f"  peak RSS, whole process tree: {peak_total / 2**20:.0f} MiB")
    for kind, rss in sorted(peaks.items()):
        print(f"  peak RSS, {kind} process(es): {rss / 2**20:.0f} MiB")
    published = work / "warehouse" / "civcas.duckdb"
    if published.exists():
        print(f"  published file: {published.stat().st_size / 2**20:.0f} MiB")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--incidents", type=int)
    group.add_argument("--bundled", action="store_true")
    parser.add_argument(
        "--then-month",
        type=int,
        metavar="N",
        help="then drop N new incidents of one month (2017-03) and time a second run on the"
        " published warehouse",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="civcas-bench-"))
    landing = work / "landing"
    if args.bundled:
        shutil.copytree(REPO / "sample_data" / "landing", landing)
        label = "bundled sample data"
    else:
        started = time.perf_counter()
        generate(args.incidents, landing)
        label = f"{args.incidents:,} generated incidents"
        print(f"generated {label} in {time.perf_counter() - started:.1f} s")
    env = {
        **os.environ,
        "CIVCAS_LANDING_DIR": str(landing),
        "CIVCAS_WAREHOUSE": str(work / "warehouse" / "civcas.duckdb"),
    }
    command = [str(Path(sys.executable).parent / "civcas"), "run"]
    first = _report(label, *measure(command, env), work)
    if args.then_month:
        generate(args.then_month, landing, first=args.incidents or 0, month="2017-03")
        label = f"then {args.then_month:,} new incidents of 2017-03 on the published warehouse"
        second = _report(label, *measure(command, env), work)
        print(f"  second run / first run: {second / first:.1%}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
