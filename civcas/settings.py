"""Where things are and how DuckDB is opened: the one home of both, overridable by environment."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "civcas.duckdb"
DEFAULT_LANDING_DIR = REPO_ROOT / "sample_data" / "landing"


def _dbt_build_target() -> dict:
    """dbt's build target in dbt_project/profiles.yml: the one home of dbt's threads and DuckDB
    settings, and of DuckDB's memory cap, which civcas's own connections take too."""
    profiles = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    return profiles["civcas"]["outputs"]["build"]


_DBT_BUILD_TARGET = _dbt_build_target()

# Memory is bounded so that a 1M-incident build stays well under 2 GB on a 2-core machine
# (docs/benchmarks.md). Landing keeps insertion order: `_row_number` follows the file.
DUCKDB_THREADS = 2
DUCKDB_MEMORY_LIMIT = _DBT_BUILD_TARGET["settings"]["memory_limit"]
DUCKDB_CONFIG = {
    "threads": DUCKDB_THREADS,
    "memory_limit": DUCKDB_MEMORY_LIMIT,
    "preserve_insertion_order": True,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
# Validation reads one suite's columns at a time; DuckDB itself needs little beyond that.
VALIDATION_DUCKDB_CONFIG = {**DUCKDB_CONFIG, "memory_limit": "512MB"}
# Great Expectations takes about 2 s and 180 MiB to import. While dbt builds, the run imports it
# in the background for the validation that follows when the build holds fewer landed rows than
# this: at 1M incidents (7M landed rows) dbt's process and the run's use all but about 50 MiB of
# the 1.5 GiB budget (with GX too, a run peaked at 1,597 MiB); at 100k (700k rows), 1,085 MiB.
VALIDATION_WARM_UP_MAX_LANDED_ROWS = 1_000_000
# dbt builds one model at a time: two at once share dbt's one DuckDB memory cap, and at 1M incidents
# linking beside the citation models ran out of it (each query still uses DUCKDB_THREADS cores;
# dbt's per-node work is Python under one GIL: on the bundled data a second thread saved dbt alone
# 1.2 s, a whole run about 0.5 s, as the run imports GX beside dbt; docs/architecture.md).
# The Airwars triage models lower dbt's DuckDB cap while they run (var triage_memory_limit): safe
# only with one model at a time.
DBT_THREADS = _DBT_BUILD_TARGET["threads"]
# dbt models never rely on row order (preserve_insertion_order false in the profile): it lowers
# dbt's peak memory at 1M incidents.
DBT_DUCKDB_SETTINGS = dict(_DBT_BUILD_TARGET["settings"])


# dbt_project/profiles.yml reads the build file dbt writes from this variable (in memory without).
# A run gives the file's name only and civcas-dbt starts dbt in the folder named by
# BUILD_DIR_ENV: every run's profile is then the same, and dbt reuses its parse of the project
# (partial parsing starts over whenever the profile changes).
BUILD_DB_ENV = "CIVCAS_BUILD_DB"

# How long a replaced release stays on disk for `civcas sql --as-of` (docs/architecture.md,
# "History and retention"): days after the publish that replaced it. 0 keeps only the current one.
KEEP_RELEASES_DAYS_ENV = "CIVCAS_KEEP_RELEASES_DAYS"
DEFAULT_KEEP_RELEASES_DAYS = 35.0
BUILD_DIR_ENV = "CIVCAS_BUILD_DIR"

# Whether `civcas run` records its run in the persistent Dagster instance (`keep`, the default:
# `make dev` shows it, the landing sensor sees it in flight) or in an ephemeral one that is gone
# when the run ends (`none`: for one-off builds such as CI or tests, where nobody looks at the run
# history; it also spares the instance's SQLite writes, one per event). What the run publishes is
# the same either way.
RUN_HISTORY_ENV = "CIVCAS_RUN_HISTORY"
RUN_HISTORY_CHOICES = ("keep", "none")


def dbt_executable() -> Path:
    """dbt installed beside this interpreter (the project's virtualenv), found without PATH."""
    return Path(sys.executable).parent / "dbt"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


# The lake (civcas/lake.py): a PostgreSQL catalog as a libpq connection string, its password only
# from libpq's own PGPASSWORD (or ~/.pgpass), never in the string (it would reach logs); the data
# in a folder or an `s3://bucket/prefix/`, the S3 keys from AWS_ACCESS_KEY_ID /
# AWS_SECRET_ACCESS_KEY, an S3-compatible endpoint from CIVCAS_LAKE_S3_ENDPOINT.
LAKE_CATALOG_ENV = "CIVCAS_LAKE_CATALOG"
LAKE_DATA_ENV = "CIVCAS_LAKE_DATA"
LAKE_S3_ENDPOINT_ENV = "CIVCAS_LAKE_S3_ENDPOINT"
# How long the lake keeps every publish (`civcas sql --as-of` reaches back this far): each
# publish stores the warehouse again, so this also bounds the lake's storage
# (docs/architecture.md).
LAKE_KEEP_DAYS = 35  # CIVCAS_LAKE_KEEP_DAYS


@dataclass(frozen=True)
class Lake:
    catalog: str
    data_path: str
    s3_endpoint: str = ""
    s3_region: str = ""
    s3_key_id: str = field(default="", repr=False)
    s3_secret: str = field(default="", repr=False)
    keep_days: int = LAKE_KEEP_DAYS


def lake_from_env(environ=os.environ) -> Lake | None:
    """The lake the environment names, or None (the warehouse is then the single file)."""
    catalog = environ.get(LAKE_CATALOG_ENV, "").strip()
    if not catalog:
        return None
    if "password" in catalog.lower():
        raise SettingsError(
            f"{LAKE_CATALOG_ENV} holds a password: give it in PGPASSWORD (or ~/.pgpass)"
            " instead, so that it never reaches a log"
        )
    data = environ.get(LAKE_DATA_ENV, "").strip()
    if not data:
        raise SettingsError(f"{LAKE_CATALOG_ENV} is set but {LAKE_DATA_ENV} is not")
    if not data.startswith("s3://"):
        data = os.path.abspath(data)
    return Lake(
        catalog=catalog,
        data_path=data.rstrip("/") + "/",
        s3_endpoint=environ.get(LAKE_S3_ENDPOINT_ENV, "").strip(),
        s3_region=environ.get("AWS_REGION", "").strip() or "us-east-1",
        s3_key_id=environ.get("AWS_ACCESS_KEY_ID", ""),
        s3_secret=environ.get("AWS_SECRET_ACCESS_KEY", ""),
        keep_days=int(environ.get("CIVCAS_LAKE_KEEP_DAYS", "").strip() or LAKE_KEEP_DAYS),
    )


@dataclass(frozen=True)
class Settings:
    warehouse: Path
    landing_dir: Path
    keep_releases_days: float = DEFAULT_KEEP_RELEASES_DAYS
    # When set, analysts read the lake and publishing writes it; `warehouse` is then the local
    # working place of runs (builds, reports), its file never published.
    lake: Lake | None = None
    keep_run_history: bool = True

    @property
    def builds_dir(self) -> Path:
        # Builds live beside the published file so that publishing is a same-filesystem rename.
        return self.warehouse.parent / ".builds"

    @property
    def releases_dir(self) -> Path:
        """Every release kept (`<utc>-<run_id>/<name>`); the published path links to the newest."""
        return self.warehouse.parent / ".published"

    @property
    def publish_log(self) -> Path:
        """One JSON line per publish: run id, UTC time, release, row counts (civcas.publish_log)."""
        return self.releases_dir / "publishes.jsonl"

    @property
    def data_docs_dir(self) -> Path:
        return self.warehouse.parent / "data_docs"

    @property
    def report_dir(self) -> Path:
        return self.warehouse.parent / "report"

    @property
    def api_pages_dir(self) -> Path:
        return self.warehouse.parent / ".api_pages"


def load_settings(warehouse: str | Path = "", landing_dir: str | Path = "") -> Settings:
    """Explicit paths win; then CIVCAS_WAREHOUSE / CIVCAS_LANDING_DIR; then the repository's.
    The lake, when CIVCAS_LAKE_CATALOG names one."""
    warehouse = Path(warehouse or os.environ.get("CIVCAS_WAREHOUSE") or DEFAULT_WAREHOUSE)
    landing = Path(landing_dir or os.environ.get("CIVCAS_LANDING_DIR") or DEFAULT_LANDING_DIR)
    keep_days = os.environ.get(KEEP_RELEASES_DAYS_ENV, "").strip()
    run_history = os.environ.get(RUN_HISTORY_ENV, "").strip() or RUN_HISTORY_CHOICES[0]
    if run_history not in RUN_HISTORY_CHOICES:
        raise SettingsError(
            f"{RUN_HISTORY_ENV} is {run_history!r}: give one of {', '.join(RUN_HISTORY_CHOICES)}"
        )
    # The published path is a link to the current release: made absolute, never resolved.
    return Settings(
        warehouse=Path(os.path.abspath(warehouse)),
        landing_dir=landing.resolve(),
        keep_releases_days=max(0.0, float(keep_days)) if keep_days else DEFAULT_KEEP_RELEASES_DAYS,
        lake=lake_from_env(),
        keep_run_history=run_history == "keep",
    )
