"""The lake against the file: one `civcas run` of the same generated data in each mode (wall time,
peak memory of the process tree, storage), then eight analysts querying while a second run (one
month of new incidents) builds and publishes (errors, p95 latency), in each mode.

    python benchmarks/lake_vs_file.py --incidents 1000000
    python benchmarks/lake_vs_file.py --incidents 10000 --month 100     # a quick look

The lake is a throwaway local one (civcas.local_lake: a PostgreSQL cluster and a data folder).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

from generate_airwars import generate  # noqa: E402
from run_benchmark import measure  # noqa: E402

from civcas import local_lake  # noqa: E402

ANALYSTS = 8
# What analysts ask most: a monthly series, a source's reports, the events most reported.
QUERIES = (
    "select month, sum(civilians_killed_min) from marts.agg_monthly_harm group by all order by 1",
    "select count(*), sum(civilians_killed_max) from marts.fct_civilian_harm_reports"
    " where source = 'airwars'",
    "select event_id, n_reports from marts.fct_harm_events order by n_reports desc limit 20",
)


def _folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _catalog_bytes(env: dict[str, str]) -> int:
    import duckdb

    from civcas.lake import extension_directory

    con = duckdb.connect(config={"extension_directory": str(extension_directory())})
    try:
        con.execute("load postgres_scanner")
        os.environ["PGPASSWORD"] = env["PGPASSWORD"]
        con.execute(f"attach '{env['CIVCAS_LAKE_CATALOG']}' as pg (type postgres, read_only)")
        return con.execute(
            "select * from postgres_query('pg', 'select pg_database_size(current_database())')"
        ).fetchone()[0]
    finally:
        con.close()


def _analyst(env: dict[str, str], stop, results) -> None:
    """One analyst: the queries in turn, each on a new connection (as `civcas sql` opens one),
    until told to stop; (seconds, error) per query."""
    os.environ.update(env)
    from civcas.published import open_published
    from civcas.settings import load_settings

    settings = load_settings()
    out, turn = [], 0
    while not stop.is_set():
        started = time.perf_counter()
        try:
            con = open_published(settings)
            try:
                con.execute(QUERIES[turn % len(QUERIES)]).fetchall()
            finally:
                con.close()
            out.append((time.perf_counter() - started, None))
        except Exception as error:  # noqa: BLE001 - counted and shown
            out.append((time.perf_counter() - started, f"{type(error).__name__}: {error}"))
        turn += 1
    results.put(out)


def readers_during_a_run(env: dict[str, str], command: list[str]) -> None:
    context = multiprocessing.get_context("spawn")
    stop, results = context.Event(), context.Queue()
    analysts = [
        context.Process(target=_analyst, args=(env, stop, results)) for _ in range(ANALYSTS)
    ]
    for analyst in analysts:
        analyst.start()
    seconds, peak, _peaks, code, output = measure(command, env)
    stop.set()
    timings = [timing for _ in analysts for timing in results.get()]
    for analyst in analysts:
        analyst.join()
    latencies = sorted(seconds for seconds, _ in timings)
    errors = [error for _, error in timings if error]
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    print(f"  second run: {seconds:.1f} s, exit code {code}, peak RSS {peak / 2**20:.0f} MiB")
    print(
        f"  {ANALYSTS} analysts during it: {len(timings)} queries, {len(errors)} errors,"
        f" median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
    for error in sorted(set(errors))[:3]:
        print(f"    error: {error[:200]}")
    if code != 0:
        print(output[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, required=True)
    parser.add_argument("--month", type=int, default=1000, help="new incidents of the 2nd run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured

    work = Path(tempfile.mkdtemp(prefix="civcas-lake-bench-"))
    work.chmod(0o755)  # the PostgreSQL cluster's own user must reach its folder
    command = [str(Path(sys.executable).parent / "civcas"), "run"]
    lake = local_lake.start(work / "lake")
    try:
        modes = {
            "file": {"CIVCAS_WAREHOUSE": str(work / "file" / "civcas.duckdb")},
            "lake": {
                **lake.environment(),
                "CIVCAS_WAREHOUSE": str(work / "lake" / "work" / "civcas.duckdb"),
            },
        }
        for mode, settings in modes.items():
            landing = work / f"landing-{mode}"
            generate(args.incidents, landing)
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("CIVCAS_LAKE")},
                **settings,
                "CIVCAS_LANDING_DIR": str(landing),
                "DAGSTER_HOME": str(work / f"dagster-{mode}"),
            }
            Path(env["DAGSTER_HOME"]).mkdir()
            seconds, peak, _peaks, code, output = measure(command, env)
            print(f"{mode}: {args.incidents:,} incidents")
            print(
                f"  first run: {seconds:.1f} s, exit code {code}, peak RSS {peak / 2**20:.0f} MiB"
            )
            if code != 0:
                print(output[-3000:])
                continue
            if mode == "file":
                stored = Path(settings["CIVCAS_WAREHOUSE"]).resolve().stat().st_size
                print(f"  storage: published file {stored / 2**20:.1f} MiB")
            else:
                data = _folder_bytes(lake.data)
                catalog = _catalog_bytes(env)
                print(
                    f"  storage: data folder {data / 2**20:.1f} MiB,"
                    f" catalog database {catalog / 2**20:.1f} MiB"
                )
            generate(args.month, landing, first=args.incidents, month="2017-03")
            readers_during_a_run(env, command)
    finally:
        local_lake.stop(work / "lake")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
