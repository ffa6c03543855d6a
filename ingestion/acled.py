"""ACLED events over the ACLED API, one event month at a time.

Authentication (ACLED's account-based access since 2025): `POST {CIVCAS_ACLED_BASE_URL}/oauth/token`
with the account's e-mail and password (`grant_type=password`, `client_id=acled`) returns a bearer
token; `GET {CIVCAS_ACLED_BASE_URL}/api/acled/read?_format=json&country=Syria|Iraq
&event_date=2017-03-01|2017-03-31&event_date_where=BETWEEN&limit=5000&page=N` returns
`{status, success, count, data: [event, ...]}`; pages are numbered from 1 and the last page is the
first one holding fewer than `limit` events.
Withdrawn events: `GET {CIVCAS_ACLED_BASE_URL}/api/deleted/read?_format=json&deleted_timestamp=T
&deleted_timestamp_where=>&limit=5000&page=N` returns the events ACLED deleted after Unix time T
(`event_id_cnty`, `deleted_timestamp`), paged alike. Every run that fetches ACLED asks for the
deletions after the newest one landed (`land_deletions`); dbt withdraws those events.
Data: ACLED (acleddata.com), under ACLED's terms of use.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import requests

from ingestion import http
from ingestion.http import (
    ApiAuthError,
    ApiError,
    CachedPage,
    MonthlyApiTables,
    PageCache,
    RetryPolicy,
    get_json_page,
    land_fetched_month,
    prepare_cache,
)

SOURCE = "acled"
# The credit `civcas export` ships with the data (ACLED's terms of use require it).
ATTRIBUTION = (
    "Armed Conflict Location & Event Data (ACLED), https://acleddata.com, used under ACLED's"
    " terms of use; redistribution of ACLED data is subject to those terms."
)
# The events as received, and the rows of them that a later fetch of their month replaced; the
# deletions feed likewise.
DELETIONS_TABLE = "acled_deletions"
RAW_TABLES = (
    "acled_events",
    "acled_events_replaced",
    DELETIONS_TABLE,
    f"{DELETIONS_TABLE}_replaced",
)
DELETION_COLUMNS = ("event_id_cnty", "deleted_timestamp")
DEFAULT_BASE_URL = "https://acleddata.com"
DEFAULT_PAGE_SIZE = 5000
COUNTRY_NAMES = {"SYR": "Syria", "IRQ": "Iraq"}
CREDENTIALS_HINT = (
    "set ACLED_EMAIL and ACLED_PASSWORD to the e-mail and password of an ACLED account with API"
    " access (or ACLED_ACCESS_TOKEN to a valid bearer token)"
)

# The fields of an ACLED event as the API returns them (all strings), kept as text in
# raw.acled_events.
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip


@dataclass(frozen=True)
class Config:
    email: str
    password: str
    access_token: str
    base_url: str
    page_size: int
    countries: tuple[str, ...]

    def __repr__(self) -> str:  # never print credentials
        return f"acled.Config(base_url={self.base_url!r})"


def config_from_env() -> Config | None:
    """None when no credentials are set: the source is then skipped."""
    email = (os.environ.get("ACLED_EMAIL") or os.environ.get("ACLED_USERNAME") or "").strip()
    password = os.environ.get("ACLED_PASSWORD", "")
    token = os.environ.get("ACLED_ACCESS_TOKEN", "").strip()
    if not token and not (email and password):
        return None
    return Config(
        email=email,
        password=password,
        access_token=token,
        base_url=(os.environ.get("CIVCAS_ACLED_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip(
            "/"
        ),
        page_size=int(os.environ.get("CIVCAS_ACLED_PAGE_SIZE", "") or DEFAULT_PAGE_SIZE),
        countries=("SYR", "IRQ"),
    )


def skip_message() -> str:
    return (
        f"{SOURCE}: skipped: ACLED_EMAIL and ACLED_PASSWORD are not set (see docs/api_sources.md)"
    )


def scope_of(config: Config, month: str) -> str:
    """What one fetch replaces: a month (ACLED has no releases)."""
    return f"{SOURCE}:{month[:7]}"


def _query(config: Config, month: str) -> dict[str, str]:
    from ingestion.ucdp import month_bounds

    start, end = month_bounds(month)
    return {
        "endpoint": f"{config.base_url}/api/acled/read",
        "month": month[:7],
        "_format": "json",
        "country": "|".join(COUNTRY_NAMES[iso3] for iso3 in config.countries),
        "event_date": f"{start}|{end}",
        "event_date_where": "BETWEEN",
        "limit": str(config.page_size),
    }


def access_token(session: requests.Session, config: Config, policy: RetryPolicy, log) -> str:
    if config.access_token:
        return config.access_token
    page = get_json_page(
        session, f"{config.base_url}/oauth/token", params={}, headers={}, what="acled sign-in",
        credentials_hint=CREDENTIALS_HINT, policy=policy, log=log, method="POST",
        form={"username": config.email, "password": config.password, "grant_type": "password",
              "client_id": "acled", "scope": "authenticated"},
        refused_status=(400, 401, 403), secrets=(config.password,),
    )  # fmt: skip
    token = page.document.get("access_token") if isinstance(page.document, dict) else None
    if not token:
        raise ApiAuthError(f"acled sign-in: the answer holds no access_token; {CREDENTIALS_HINT}")
    return token


def _check_page(document: object, what: str, limit: int) -> int:
    if not isinstance(document, dict):
        raise ApiError(f"{what}: the page is not a JSON object")
    status = document.get("status", 200)
    if status in (401, 403) or document.get("success") is False and status in (401, 403):
        raise ApiAuthError(f"{what}: the API answered status {status}; {CREDENTIALS_HINT}")
    if status != 200 or document.get("success") is False:
        raise ApiError(
            f"{what}: the API answered status {status}: {str(document.get('error'))[:200]}"
        )
    data = document.get("data")
    if not isinstance(data, list):
        raise ApiError(f"{what}: the page lacks its data list")
    if "count" in document and document["count"] != len(data):
        raise ApiError(f"{what}: count says {document['count']} but data holds {len(data)} events")
    if len(data) > limit:
        raise ApiError(f"{what}: {len(data)} events on a page of at most {limit}")
    if any(not isinstance(event, dict) or not event.get("event_id_cnty") for event in data):
        raise ApiError(f"{what}: an event without event_id_cnty")
    return len(data)


def _check_new_events(cache: PageCache, document: dict, what: str, seen_ids: set[str]) -> None:
    """An API that ignores `page` answers every page with the first one: stop at the repeat."""
    ids = {event["event_id_cnty"] for event in document["data"]}
    repeated = ids & seen_ids
    if repeated:
        cache.drop()
        raise ApiError(
            f"{what}: {len(repeated)} of its events were on an earlier page (e.g."
            f" {min(repeated)}): the API seems to ignore `page`; nothing of this month was landed"
        )
    seen_ids |= ids


def fetch_month(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    config: Config,
    month: str,
    cache_root: Path,
    *,
    log: Callable[[str], None],
    policy: RetryPolicy | None = None,
) -> tuple[PageCache, list[CachedPage]]:
    query = _query(config, month)
    cache = PageCache(cache_root, SOURCE, month[:7], query)
    return cache, _fetch_pages(
        con, session, config, query, cache, f"{SOURCE} {month[:7]}", log=log, policy=policy
    )


def _fetch_pages(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    config: Config,
    query: dict[str, str],
    cache: PageCache,
    label: str,
    *,
    log: Callable[[str], None],
    policy: RetryPolicy | None = None,
) -> list[CachedPage]:
    """Every page of one query, fetched or resumed from the page cache."""
    policy = policy or RetryPolicy.from_env()
    prepare_cache(con, cache, log=log)
    params = {key: value for key, value in query.items() if key not in ("endpoint", "month")}
    token = None
    pages, resumed, number = [], 0, 1
    seen_ids: set[str] = set()
    while True:
        what = f"{label} page {number}"
        if cache.has(number):
            document = cache.read(number)
            resumed += 1
        else:
            token = token or access_token(session, config, policy, log)
            fetched = get_json_page(
                session, query["endpoint"], params={**params, "page": str(number)},
                headers={"Authorization": f"Bearer {token}"}, what=what,
                credentials_hint=CREDENTIALS_HINT, policy=policy, log=log,
            )  # fmt: skip
            document = fetched.document
            _check_page(document, what, config.page_size)
            cache.write(number, fetched.body)
        rows = _check_page(document, what, config.page_size)
        _check_new_events(cache, document, what, seen_ids)
        pages.append(CachedPage(
            number=number, path=cache.page_path(number), rows=rows,
            request_params={**query, "page": number, "count": rows},
        ))  # fmt: skip
        if rows < config.page_size:
            break
        if number >= policy.max_pages:
            cache.drop()
            raise ApiError(
                f"{what}: still full after {number} pages, the most allowed"
                " (CIVCAS_API_MAX_PAGES); nothing of this query was landed"
            )
        number += 1
    if resumed:
        log(f"{label}: resumed, {resumed} page(s) taken from the page cache {cache.folder}")
    return pages


def newest_deletion(con: duckdb.DuckDBPyConnection) -> int:
    """The newest readable `deleted_timestamp` landed (0 when none): the next fetch asks for
    the deletions after it."""
    return con.execute(
        f"select coalesce(max(try_cast(deleted_timestamp as bigint)), 0) from raw.{DELETIONS_TABLE}"
    ).fetchone()[0]


def land_deletions(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    config: Config,
    cache_root: Path,
    *,
    log: Callable[[str], None] = print,
    policy: RetryPolicy | None = None,
) -> tuple[list, int]:
    """Fetch the deletions ACLED made after the newest one landed and land them in one
    transaction, as a fetch of scope `acled:deleted>T` (returns loads and rows replaced: a
    fetch after the same T replaces one that a failed run left unpublished, never a published
    one, which moved T on)."""
    ensure_raw_tables(con)
    since = newest_deletion(con)
    query = {
        "endpoint": f"{config.base_url}/api/deleted/read",
        "_format": "json",
        "deleted_timestamp": str(since),
        "deleted_timestamp_where": ">",
        "limit": str(config.page_size),
    }
    cache = PageCache(cache_root, SOURCE, f"deleted-{since}", query)
    label = f"{SOURCE} deletions after {since}"
    pages = _fetch_pages(con, session, config, query, cache, label, log=log, policy=policy)
    return land_fetched_month(
        con, source=SOURCE, table=DELETIONS_TABLE, columns=DELETION_COLUMNS, records_key="data",
        scope=f"{SOURCE}:deleted>{since}", cache=cache, pages=pages,
    )  # fmt: skip


_EVENTS = MonthlyApiTables(SOURCE, RAW_TABLES[0], COLUMNS, "data", fetch_month, scope_of)
land_month = _EVENTS.land_month


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    _EVENTS.ensure_raw_tables(con)
    http.ensure_raw_tables(con, DELETIONS_TABLE, DELETION_COLUMNS)
