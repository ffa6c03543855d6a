"""What a run costs before and around the data: the bundled run, the run with nothing to do, and
what starting the tools costs with no data at all (issue #10's "fixed costs near zero").

    python benchmarks/fixed_costs.py            # also the first part of `make benchmark`

- the bundled sample data, `civcas run` on a fresh warehouse, `repeats` times (target <= 10 s),
  and where each run's time went, from Dagster's event log: outside Dagster's run (Python's
  start, imports, the summary) and each step;
- then `civcas run` again on the last one, nothing new to land (target <= 3 s, "up to date",
  the published file untouched);
- the tools alone, each a fresh subprocess, median of `repeats`: importing the run's Dagster
  definitions (Dagster, dagster-dbt and with it most of dbt, civcas), importing Great
  Expectations, dbt started on the project with no node selected (from `make setup`'s parse, as
  runs start), and dbt's data tests alone on the bundled warehouse (their SQL reads tables of a
  few thousand rows: what remains is dbt's own work per test).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from run_benchmark import measure  # noqa: E402

from civcas.dbt_manifest import dbt_command_on  # noqa: E402
from civcas.inputs import UP_TO_DATE  # noqa: E402

MiB = 2**20
TARGET_BUNDLED_SECONDS = 30.0
TARGET_NOOP_SECONDS = 3.0
BIN = Path(sys.executable).parent


@dataclass
class FixedCosts:
    bundled: list[float]
    noop: float | None
    noop_said_up_to_date: bool
    noop_left_file: bool
    definitions: float
    great_expectations: float
    dbt_start: float
    dbt_tests: float
    dbt_test_count: int
    # seconds per part of a bundled run ("outside the run", then each step), one list per part
    bundled_parts: dict[str, list[float]] = field(default_factory=dict)

    @property
    def dbt_per_test(self) -> float:
        return (self.dbt_tests - self.dbt_start) / max(self.dbt_test_count, 1)


def _wall(command: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return seconds


def _median_wall(command: list[str], repeats: int, **kwargs) -> float:
    return statistics.median(_wall(command, **kwargs) for _ in range(repeats))


def _dbt(work: Path, warehouse: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    """dbt on a copy of `warehouse` in `work`, started as runs start it (`dbt_command_on`)."""
    build = work / warehouse.name
    if not build.exists():
        shutil.copyfile(warehouse, build)
    return dbt_command_on(build, *args)


def run_parts(dagster_home: Path, output: str, wall: float) -> dict[str, float]:
    """Seconds in each step of the run `civcas run` printed, between its steps, and outside it
    (they add up to the run's wall time)."""
    from dagster import DagsterEventType, DagsterInstance

    run_id = re.search(r"^run ([0-9a-f-]{36}):", output, re.MULTILINE).group(1)
    kinds = {DagsterEventType.RUN_START, DagsterEventType.RUN_SUCCESS}
    kinds |= {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS}
    previous = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(dagster_home)  # the instance's dagster.yaml reads it
    try:
        with DagsterInstance.get() as instance:
            events = instance.all_logs(run_id, of_type=kinds)
    finally:
        if previous is None:
            del os.environ["DAGSTER_HOME"]
        else:
            os.environ["DAGSTER_HOME"] = previous
    started: dict[str, float] = {}
    parts: dict[str, float] = {}
    for event in events:
        kind = event.dagster_event.event_type
        if kind == DagsterEventType.RUN_START:
            run_started = event.timestamp
        elif kind == DagsterEventType.RUN_SUCCESS:
            run_seconds = event.timestamp - run_started
        elif kind == DagsterEventType.STEP_START:
            started[event.step_key] = event.timestamp
        else:
            parts[event.step_key] = event.timestamp - started[event.step_key]
    parts["in the run, between steps"] = run_seconds - sum(parts.values())
    parts["outside the run"] = wall - run_seconds
    return parts


def measure_fixed_costs(work: Path, repeats: int = 3) -> FixedCosts:
    landing = work / "landing"
    shutil.copytree(REPO / "sample_data" / "landing", landing)
    civcas = [str(BIN / "civcas"), "run"]
    walls, parts = [], defaultdict(list)
    for repeat in range(repeats):
        warehouse = work / f"bundled-{repeat}" / "civcas.duckdb"
        env = {
            **os.environ,
            "CIVCAS_LANDING_DIR": str(landing),
            "CIVCAS_WAREHOUSE": str(warehouse),
            "DAGSTER_HOME": str(work / "dagster_home"),
        }
        seconds, peak, _, code, output = measure(civcas, env)
        if code != 0 or not warehouse.exists():
            raise SystemExit(f"bundled run failed (exit {code}):\n{output[-3000:]}")
        walls.append(seconds)
        for part, part_seconds in run_parts(work / "dagster_home", output, seconds).items():
            parts[part].append(part_seconds)
        print(f"  bundled: {seconds:5.1f} s, peak RSS {peak / MiB:,.0f} MiB", flush=True)
    before = warehouse.stat().st_mtime_ns
    noop, _, _, code, output = measure(civcas, env)
    said = UP_TO_DATE in output
    untouched = warehouse.stat().st_mtime_ns == before
    print(f"  nothing new: {noop:.2f} s, exit {code}: {output.strip().splitlines()[-1]}")

    python = str(BIN / "python")
    definitions = _median_wall([python, "-c", "import orchestration.definitions"], repeats)
    gx = _median_wall([python, "-c", "import great_expectations"], repeats)
    floor = work / "dbt"
    floor.mkdir()
    command, env = _dbt(floor, warehouse, "build", "--no-write-json", "--select", "path:none")
    dbt_start = _median_wall(command, repeats, env=env, cwd=floor)
    command, env = _dbt(floor, warehouse, "test", "--exclude-resource-type", "unit_test")
    dbt_tests = _median_wall(command, repeats, env=env, cwd=floor)
    results = json.loads((floor / "target" / "run_results.json").read_text(encoding="utf-8"))
    return FixedCosts(
        bundled=walls,
        noop=noop if code == 0 else None,
        noop_said_up_to_date=said,
        noop_left_file=untouched,
        definitions=definitions,
        great_expectations=gx,
        dbt_start=dbt_start,
        dbt_tests=dbt_tests,
        dbt_test_count=len(results["results"]),
        bundled_parts=dict(parts),
    )


def print_fixed_costs(costs: FixedCosts) -> None:
    print("\nwhere a bundled run's time goes (Dagster's event log, medians):")
    for part, seconds in costs.bundled_parts.items():
        print(f"  {part}: {statistics.median(seconds):.2f} s")
    print("\nthe tools alone, no data (fresh subprocesses, medians):")
    print(f"  importing the run's Dagster definitions: {costs.definitions:.2f} s")
    print(f"  importing Great Expectations: {costs.great_expectations:.2f} s")
    print(f"  dbt started on the project, no node run: {costs.dbt_start:.2f} s")
    print(
        f"  dbt's {costs.dbt_test_count} data tests on the bundled warehouse: {costs.dbt_tests:.2f}"
        f" s, {costs.dbt_per_test * 1000:.0f} ms per test beyond dbt's start"
    )
    print(f"  the three starts together: {starts(costs):.2f} s")


def starts(costs: FixedCosts) -> float:
    return costs.definitions + costs.great_expectations + costs.dbt_start


def print_fixed_targets(costs: FixedCosts) -> None:
    bundled = statistics.median(costs.bundled)
    ok = bundled <= TARGET_BUNDLED_SECONDS
    runs = " / ".join(f"{seconds:.1f}" for seconds in costs.bundled)
    print(
        f"  a run on the bundled data <= {TARGET_BUNDLED_SECONDS:.0f} s: {bundled:.1f} s (runs"
        f" {runs}), {'met' if ok else 'NOT met'}"
    )
    if costs.noop is None:
        print("  a run with nothing new <= 3 s: the run FAILED")
        return
    ok = costs.noop <= TARGET_NOOP_SECONDS and costs.noop_said_up_to_date and costs.noop_left_file
    print(
        f"  a run with nothing new <= {TARGET_NOOP_SECONDS:.0f} s, says so, publishes nothing:"
        f" {costs.noop:.2f} s, {'says' if costs.noop_said_up_to_date else 'does NOT say'}"
        f' "up to date", file {"untouched" if costs.noop_left_file else "CHANGED"},'
        f" {'met' if ok else 'NOT met'}"
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="civcas-fixed-"))
    try:
        costs = measure_fixed_costs(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_fixed_costs(costs)
    print("\ntargets:")
    print_fixed_targets(costs)


if __name__ == "__main__":
    main()
