"""Airwars incident exports dropped as CSV files: `airwars/incidents*.csv` and
`airwars/incident_sources*.csv` in the landing folder. Data published by Airwars (airwars.org)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.landing import LoadResult, ensure_raw_table, land_csv_files

SOURCE = "airwars"
RAW_TABLES = ("airwars_incidents", "airwars_incident_sources")

INCIDENT_COLUMNS = (
    "incident_code", "airwars_id", "incident_date", "incident_date_end", "date_type", "country",
    "governorate", "region", "location", "latitude", "longitude", "geolocation_accuracy",
    "belligerents", "strike_type", "strike_status", "grading", "civilian_harm_reported",
    "civilians_killed_min", "civilians_killed_max", "children_killed_min", "children_killed_max",
    "women_killed_min", "women_killed_max", "men_killed_min", "men_killed_max",
    "civilians_injured_min", "civilians_injured_max", "source_count", "published_date",
    "last_modified", "url",
)  # fmt: skip

CITATION_COLUMNS = (
    "incident_code", "source_order", "source_name", "platform", "source_date", "url", "archive_url",
)  # fmt: skip

# (file pattern, raw table, columns); incident_sources*.csv must not match incidents*.csv.
FEEDS = (
    ("incidents*.csv", "airwars_incidents", INCIDENT_COLUMNS),
    ("incident_sources*.csv", "airwars_incident_sources", CITATION_COLUMNS),
)


def landing_files(landing_dir: Path) -> list[Path]:
    return [path for path, _, _ in _feed_files(landing_dir)]


def _feed_files(landing_dir: Path) -> list[tuple[Path, str, tuple[str, ...]]]:
    """The files of the Airwars drop folder, oldest name first, with their raw table."""
    folder = landing_dir / SOURCE
    found = []
    for pattern, table, columns in FEEDS:
        found += [(path, table, columns) for path in sorted(folder.glob(pattern))]
    return found


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    for _, table, columns in FEEDS:
        ensure_raw_table(con, table, columns)


def land(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[LoadResult]:
    ensure_raw_tables(con)
    return land_csv_files(con, SOURCE, landing_dir, _feed_files(landing_dir))
