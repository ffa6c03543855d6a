"""civcas against plain DuckDB doing the same work: wall time, peak memory and file size, and the
analysts' queries on the largest warehouse.

    python benchmarks/ratio.py                        # 10k, 100k and 1M incidents (make benchmark)
    python benchmarks/ratio.py --sizes 10000,100000 --repeats 3

For each size, generated Airwars files (6 citations per incident) are run through `civcas run` on
a fresh warehouse and through benchmarks/plain_duckdb.py (one DuckDB connection, the same SQL),
each a subprocess whose process tree's RSS is sampled every 0.2 s; interleaved (civcas, plain,
civcas, plain, ...), `--repeats` times each, medians reported. The marts of the last two runs must
be equal (EXCEPT ALL both ways), or the benchmark fails. On the largest size, five typical analyst
queries run on civcas's published file, opened as `civcas sql` opens it: once cold (a fresh
connection), then 5 times warm; the median of the warm runs is reported. Then one month of
MONTH_INCIDENTS new incidents is dropped into that landing folder and one more `civcas run` is
timed on that published warehouse (incremental): its share of the median full run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from fixed_costs import (  # noqa: E402
    FixedCosts,
    measure_fixed_costs,
    print_fixed_costs,
    print_fixed_targets,
    starts,
)
from generate_airwars import generate  # noqa: E402
from plain_duckdb import compare, compile_manifest  # noqa: E402
from run_benchmark import measure  # noqa: E402

from civcas.query import open_guarded  # noqa: E402

MiB = 2**20
# The targets at 1M incidents (issue #10, with the bundled run and the month as issue #24 set them).
TARGET_WALL_RATIO = 1.5
TARGET_PEAK_BYTES = 1.5 * 2**30
TARGET_FILE_RATIO = 1.5
TARGET_QUERY_MS = 100.0
# A month of new incidents added to the largest warehouse costs at most this share of a full run.
MONTH_INCIDENTS, MONTH = 1000, "2017-03"
TARGET_MONTH_SHARE = 0.30

ANALYST_QUERIES = {
    "a year of monthly harm by belligerent": """
        select month, belligerent_id, sum(reports) as reports,
               sum(civilians_killed_min) as killed_min, sum(civilians_killed_max) as killed_max
        from marts.agg_monthly_harm_by_belligerent
        where month >= date '2017-01-01' and month < date '2018-01-01'
        group by month, belligerent_id
        order by month, killed_max desc
    """,
    "the deadliest reports of a month, with their citations": """
        with deadliest as (
            select report_id, event_date, place, admin1_name, civilians_killed_min,
                   civilians_killed_max
            from marts.fct_civilian_harm_reports
            where scope = 'incident'
              and event_date >= date '2017-03-01' and event_date < date '2017-04-01'
            order by civilians_killed_max desc nulls last, report_id
            limit 10
        )
        select deadliest.*, citations.citation_order, outlets.outlet_name,
               citations.cited_date, citations.url
        from deadliest
        left join marts.fct_report_citations as citations using (report_id)
        left join marts.dim_outlets as outlets using (outlet_id)
        order by deadliest.civilians_killed_max desc nulls last, deadliest.report_id,
                 citations.citation_order
    """,
    "a country-month rollup": """
        select country_iso3, month, sum(reports) as reports,
               sum(civilians_killed_min) as killed_min, sum(civilians_killed_max) as killed_max,
               sum(fair_or_confirmed_civilians_killed_min) as headline_min
        from marts.agg_monthly_harm
        group by country_iso3, month
        order by country_iso3, month
    """,
    "a place-name search": """
        select report_id, source, event_date, place, admin1_name, civilians_killed_min,
               civilians_killed_max, source_url
        from marts.fct_civilian_harm_reports
        where place ilike '%village 1234%'
        order by event_date desc, report_id
        limit 100
    """,
    "quarantine by reason": """
        select source, regexp_replace(reason, '\\S*[0-9]\\S*', '…', 'g') as reason,
               count(*) as records, min(source_file) as a_file
        from audit.rejected_records
        group by all
        order by records desc
    """,
}


@dataclass
class Runs:
    wall: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)
    size: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line per failed run
    failed_wall: list[float] = field(default_factory=list)  # time to failure
    failed_peak: list[int] = field(default_factory=list)

    def median(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


def _run(kind: str, command: list[str], env: dict[str, str], produced: Path, runs: Runs) -> bool:
    """Measure one run; a failed run is recorded (time to failure, peak) and reported, not
    counted in the medians."""
    seconds, peak, peaks, code, output = measure(command, env)
    parts = ", ".join(f"{name} {rss / MiB:,.0f}" for name, rss in sorted(peaks.items()))
    if code != 0 or not produced.exists():
        print(output[-3000:])
        runs.failed.append(f"exit {code} after {seconds:.1f} s, peak RSS {peak / MiB:,.0f} MiB")
        runs.failed_wall.append(seconds)
        runs.failed_peak.append(peak)
        print(f"  {kind:6}: FAILED, {runs.failed[-1]} ({parts})", flush=True)
        return False
    runs.wall.append(seconds)
    runs.peak.append(peak)
    runs.size.append(produced.stat().st_size)
    print(
        f"  {kind:6}: {seconds:6.1f} s, peak RSS {peak / MiB:,.0f} MiB ({parts}),"
        f" file {produced.stat().st_size / MiB:,.0f} MiB",
        flush=True,
    )
    return True


def analyst_query_times(path: Path) -> dict[str, tuple[float, float, int]]:
    """(cold ms, median warm ms, rows) per query, on the file opened as `civcas sql` does."""
    times = {}
    for name, sql in ANALYST_QUERIES.items():
        con = open_guarded(path)
        started = time.perf_counter()
        try:
            rows = len(con.execute(sql).fetchall())
        except duckdb.Error as error:  # a table a failed build lacks
            print(f"  query {name!r} failed: {error}")
            con.close()
            continue
        cold = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(5):
            started = time.perf_counter()
            con.execute(sql).fetchall()
            warm.append((time.perf_counter() - started) * 1000)
        con.close()
        times[name] = (cold, statistics.median(warm), rows)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="incidents, comma-separated"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, interleaved")
    parser.add_argument(
        "--repeats-largest", type=int, help="runs of each on the largest size (default: --repeats)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--no-fixed-costs",
        action="store_true",
        help="leave out the bundled run, the run with nothing new and the tools' start-up",
    )
    parser.add_argument(
        "--queries", type=Path, metavar="DB", help="only time the analyst queries on this file"
    )
    args = parser.parse_args()
    if args.queries:
        print_queries(args.queries, analyst_query_times(args.queries))
        return
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]

    work = Path(tempfile.mkdtemp(prefix="civcas-ratio-"))
    print(f"work folder {work}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", flush=True)
    manifest = compile_manifest(work / "dbt")
    civcas = str(Path(sys.executable).parent / "civcas")
    plain = [sys.executable, str(REPO / "benchmarks" / "plain_duckdb.py")]
    results: dict[int, tuple[Runs, Runs]] = {}
    mismatches: list[str] = []
    queries = {}
    month_runs = Runs()
    fixed = None
    try:
        if not args.no_fixed_costs:
            print("bundled sample data, then the tools alone", flush=True)
            (work / "fixed").mkdir()
            fixed = measure_fixed_costs(work / "fixed", args.repeats)
        for size in sizes:
            folder = work / str(size)
            started = time.perf_counter()
            generate(size, folder / "landing")
            print(f"{size:,} incidents (generated in {time.perf_counter() - started:.1f} s)")
            repeats = (
                args.repeats_largest
                if size == max(sizes) and args.repeats_largest
                else args.repeats
            )
            ours, theirs = Runs(), Runs()
            for repeat in range(repeats):
                last = repeat == repeats - 1
                warehouse = folder / f"civcas-{repeat}" / "civcas.duckdb"
                env = {
                    **os.environ,
                    "CIVCAS_LANDING_DIR": str(folder / "landing"),
                    "CIVCAS_WAREHOUSE": str(warehouse),
                }
                published = _run("civcas", [civcas, "run"], env, warehouse, theirs)
                database = folder / f"plain-{repeat}" / "civcas.duckdb"
                command = [*plain, "--landing", str(folder / "landing")]
                command += ["--database", str(database), "--manifest", str(manifest)]
                finished = _run("plain", command, dict(os.environ), database, ours)
                if not last and not args.keep:  # keep the disk free: the last pair is compared
                    shutil.rmtree(warehouse.parent, ignore_errors=True)
                    shutil.rmtree(database.parent, ignore_errors=True)
            if published and finished:
                problems = compare(warehouse, database)
            else:
                problems = ["not compared: a run failed (above)"]
            for problem in problems:
                print(f"  MISMATCH {problem}")
            mismatches += [f"{size:,}: {problem}" for problem in problems]
            results[size] = (theirs, ours)
            if size == max(sizes):
                # On civcas's published file; when civcas could not publish, on the build it
                # kept (the marts it built), else on the plain database.
                kept = sorted(warehouse.parent.glob(f".builds/*/{warehouse.name}"))
                queried = warehouse if published else (kept or [None])[-1]
                queried = queried or (database if finished else None)
                if queried is not None:
                    queries = {"file": queried, **analyst_query_times(queried)}
                if published:
                    generate(MONTH_INCIDENTS, folder / "landing", first=size, month=MONTH)
                    _run("civcas", [civcas, "run"], env, warehouse, month_runs)
                    print(f"  (that run: {MONTH_INCIDENTS:,} incidents of {MONTH} added)")
            shutil.rmtree(folder / "landing", ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print_table(results, queries, month_runs, fixed)
    if mismatches:
        raise SystemExit(f"FAILED: {len(mismatches)} size(s) with unequal or uncompared marts")


def print_table(
    results: dict[int, tuple[Runs, Runs]], queries: dict, month: Runs, fixed: FixedCosts | None
) -> None:
    print(
        "\n| incidents | runs | civcas wall | plain wall | ratio | civcas peak RSS"
        " | plain peak RSS | civcas file | plain file | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, (theirs, ours) in results.items():
        runs = len(theirs.wall) + len(theirs.failed)
        print(
            f"| {size:,} | {runs} | {_value(theirs, 'wall')} | {_value(ours, 'wall')}"
            f" | {_ratio(theirs, ours, 'wall')} | {_value(theirs, 'peak')}"
            f" | {_value(ours, 'peak')} | {_value(theirs, 'size')} | {_value(ours, 'size')}"
            f" | {_ratio(theirs, ours, 'size')} |"
        )
    for size, (theirs, ours) in results.items():
        for kind, runs in (("civcas", theirs), ("plain", ours)):
            for failure in runs.failed:
                print(f"{size:,} incidents: a {kind} run FAILED: {failure}")
    if queries:
        print_queries(queries.pop("file"), queries)
    if fixed is not None:
        print_fixed_costs(fixed)
        print("\ntargets without generated data:")
        print_fixed_targets(fixed)
    largest = max(results)
    theirs, ours = results[largest]
    if not (theirs.wall and ours.wall):
        print(f"\ntargets at {largest:,} incidents: not measured, a run failed every time")
        return
    wall_ratio = theirs.median("wall") / ours.median("wall")
    file_ratio = theirs.median("size") / ours.median("size")
    peak = theirs.median("peak")
    print(f"\ntargets at {largest:,} incidents:")
    ok = wall_ratio <= TARGET_WALL_RATIO
    print(f"  wall time within {TARGET_WALL_RATIO}x plain: {wall_ratio:.2f}x, {_met(ok)}")
    print(f"  civcas peak RSS <= 1.5 GiB: {peak / MiB:,.0f} MiB, {_met(peak <= TARGET_PEAK_BYTES)}")
    ok = file_ratio <= TARGET_FILE_RATIO
    print(f"  file within {TARGET_FILE_RATIO}x plain: {file_ratio:.2f}x, {_met(ok)}")
    if month.wall:
        share = month.median("wall") / theirs.median("wall")
        print(
            f"  {MONTH_INCIDENTS:,} new incidents of {MONTH} on that warehouse (one run):"
            f" {month.median('wall'):.1f} s, {share:.1%} of a full run (target"
            f" <= {TARGET_MONTH_SHARE:.0%}), {_met(share <= TARGET_MONTH_SHARE)}"
        )
        if fixed is not None:
            print(
                f"    (the three starts alone, no data: {starts(fixed):.1f} s ="
                f" {starts(fixed) / theirs.median('wall'):.1%} of that full run)"
            )
    else:
        print(f"  {MONTH_INCIDENTS:,} new incidents of {MONTH}: not measured (no run published)")


def print_queries(path: Path, queries: dict) -> None:
    print(f"\nanalyst queries on {path} (opened as civcas sql opens it):")
    print("\n| query | rows | cold | warm (median of 5) | under 100 ms |")
    print("|---|---:|---:|---:|---|")
    for name, (cold, warm, rows) in queries.items():
        met = "yes" if warm < TARGET_QUERY_MS else "no"
        print(f"| {name} | {rows:,} | {cold:.0f} ms | {warm:.1f} ms | {met} |")


def _value(runs: Runs, name: str) -> str:
    """The median of the runs that finished; else, of the failed ones, up to their failure."""
    value, failed = runs.median(name), ""
    if value is None and name in ("wall", "peak") and runs.failed:
        value, failed = runs.median(f"failed_{name}"), "FAILED "
    if value is None:
        return "failed"
    if name == "wall":
        return f"FAILED after {value:.1f} s" if failed else f"{value:.1f} s"
    return f"{value / MiB:,.0f} MiB" + (" (until failing)" if failed else "")


def _ratio(theirs: Runs, ours: Runs, name: str) -> str:
    a, b = theirs.median(name), ours.median(name)
    return "-" if a is None or b is None else f"{a / b:.2f}"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    main()
