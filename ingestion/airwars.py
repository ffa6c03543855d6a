"""Airwars incident exports dropped as CSV files: `airwars/incidents*.csv` and
`airwars/incident_sources*.csv` in the landing folder. Data published by Airwars (airwars.org)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.landing import (
    CsvFeed,
    LoadResult,
    csv_feed_files,
    ensure_feed_tables,
    land_csv_feeds,
)

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

# incident_sources*.csv must not match incidents*.csv.
FEEDS = (
    CsvFeed("incidents*.csv", "airwars_incidents", INCIDENT_COLUMNS),
    CsvFeed("incident_sources*.csv", "airwars_incident_sources", CITATION_COLUMNS),
)


def landing_files(landing_dir: Path) -> list[Path]:
    return [path for path, _ in csv_feed_files(landing_dir, SOURCE, FEEDS)[0]]


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_feed_tables(con, FEEDS)


def land(con: duckdb.DuckDBPyConnection, landing_dir: Path) -> list[LoadResult]:
    return land_csv_feeds(con, landing_dir, SOURCE, FEEDS)
