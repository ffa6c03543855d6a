"""Write Airwars-shaped CSV files of N incidents (and about 6 citations each), set-wise in DuckDB.

    python benchmarks/generate_airwars.py 1000000 /tmp/landing

The files have the real exports' columns and mess: governorate spellings, empty figures, a few
impossible dates and minima above maxima (so quarantine has work to do), Arabic-month dates.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

GOVERNORATES = [
    "Aleppo", "Idlib", "Ar Raqqah", "", "Deir Ezzor", "Damascus", "Deir ez-Zor", "Hama", "Homs",
    "Raqqa", "Dara'a", "Hassakah", "Al-Hasakah", "Latakia", "Quneitra", "Aleppoo", "Hama or Idlib",
]  # fmt: skip
BELLIGERENTS = [
    "Russian Military", "U.S.-led Coalition", "Turkish Military", "YPG", "Israeli Military",
    "Iranian Military, Unknown", "Russian Military, Syrian Regime", "",
]  # fmt: skip
OUTLETS = [
    "Syrian Network for Human Rights", "Syrian Observatory for Human Rights", "'@SyriaCivilDefe",
    "Step News Agency", "Smart News Agency", "'@Step_Agency", "Step News", "Shaam News Network",
    "Edlib Media Center", "A local page nobody else cites",
]  # fmt: skip
PLATFORMS = ["Arabic", "Twitter\nArabic", "Facebook Arabic", "English", ""]
MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
             "أكتوبر", "نوفمبر", "ديسمبر"]  # fmt: skip


def _list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(
    incidents: int,
    out_dir: Path,
    citations_per_incident: int = 6,
    first: int = 0,
    month: str | None = None,
) -> tuple[Path, Path]:
    """Incidents numbered first + 1 .. first + incidents, dated over 2014-2026 or, with `month`
    (YYYY-MM), within that month: a later drop of one month of new incidents."""
    folder = out_dir / "airwars"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = f"_{month.replace('-', '_')}" if month else ""
    incidents_csv = folder / f"incidents{suffix}.csv"
    citations_csv = folder / f"incident_sources{suffix}.csv"
    start, days = (f"{month}-01", 28) if month else ("2014-09-23", 4200)
    ids = f"range({first} + 1, {first} + {incidents} + 1)"
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    con.execute(f"""
        copy (
            with base as (
                select
                    i,
                    date '{start}' + (hash(i, 'd') % {days})::int as day,
                    (hash(i, 'k') % 40)::int as killed,
                    hash(i, 'e') % 1000 as e
                from {ids} as t(i)
            )
            select
                'BM' || i as incident_code,
                (1000000 + i)::varchar as airwars_id,
                case when e = 0 then '1970-01-01' else day::varchar end as incident_date,
                null as incident_date_end,
                'date' as date_type,
                'Syria' as country,
                {_list(GOVERNORATES)}[(1 + hash(i, 'g') % {len(GOVERNORATES)})::bigint]
                    as governorate,
                null as region,
                'Village ' || (i % 5000) as location,
                round(32.5 + (hash(i, 'y') % 4500) / 1000.0, 5)::varchar as latitude,
                round(36.0 + (hash(i, 'x') % 5500) / 1000.0, 5)::varchar as longitude,
                'village' as geolocation_accuracy,
                {_list(BELLIGERENTS)}[(1 + hash(i, 'b') % {len(BELLIGERENTS)})::bigint]
                    as belligerents,
                'Airstrike' as strike_type,
                'Likely strike' as strike_status,
                'Fair' as grading,
                'Yes' as civilian_harm_reported,
                case when e % 5 = 1 then null else killed::varchar end as civilians_killed_min,
                case when e % 5 = 1 then null when e = 7 then (killed - 1)::varchar
                     else (killed + hash(i, 'm') % 5)::varchar end as civilians_killed_max,
                (killed // 3)::varchar as children_killed_min,
                (killed // 3 + 1)::varchar as children_killed_max,
                (killed // 4)::varchar as women_killed_min,
                (killed // 4 + 1)::varchar as women_killed_max,
                null as men_killed_min, null as men_killed_max,
                (killed * 2)::varchar as civilians_injured_min,
                (killed * 2 + 3)::varchar as civilians_injured_max,
                '{citations_per_incident}' as source_count,
                (day + 30)::varchar as published_date,
                (day + 60)::varchar as last_modified,
                'https://airwars.org/civilian-casualties/bm' || i || '/' as url
            from base
        ) to '{incidents_csv}' (header, delimiter ',', quote '"')
    """)
    con.execute(f"""
        copy (
            select
                'BM' || i as incident_code,
                o::varchar as source_order,
                {_list(OUTLETS)}[(1 + hash(i, o) % {len(OUTLETS)})::bigint] as source_name,
                {_list(PLATFORMS)}[(1 + hash(i, o, 'p') % {len(PLATFORMS)})::bigint] as platform,
                case when hash(i, o, 's') % 10 = 0
                    then (1 + hash(i, o) % 28) || ' '
                        || {_list(MONTHS_AR)}[(1 + hash(i, 'mo') % 12)::bigint] || ' 2017'
                end as source_date,
                'https://x.com/example/status/' || i || o as url,
                null as archive_url
            from {ids} as t(i), range(1, {citations_per_incident} + 1) as c(o)
        ) to '{citations_csv}' (header, delimiter ',', quote '"')
    """)
    con.close()
    return incidents_csv, citations_csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("incidents", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--citations-per-incident", type=int, default=6)
    parser.add_argument("--first", type=int, default=0, help="number incidents after this one")
    parser.add_argument("--month", help="YYYY-MM: date every incident within this month")
    args = parser.parse_args()
    files = generate(
        args.incidents, args.out_dir, args.citations_per_incident, args.first, args.month
    )
    for path in files:
        print(f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
