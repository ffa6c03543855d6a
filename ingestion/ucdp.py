"""UCDP Georeferenced Event Dataset (GED) over the UCDP API, one event month at a time.

`GET {CIVCAS_UCDP_BASE_URL}/gedevents/{CIVCAS_UCDP_VERSION}?pagesize=1000&page=N&Country=652,645
&StartDate=2017-03-01&EndDate=2017-03-31` with the token in the `x-ucdp-access-token` header. Each
answer is an envelope `{TotalCount, TotalPages, PreviousPageUrl, NextPageUrl, Result: [...]}`;
pages are numbered from 0. Data: Uppsala Conflict Data Program (ucdp.uu.se), CC BY 4.0.
"""

from __future__ import annotations

import calendar
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import requests

from ingestion.http import (
    ApiError,
    CachedPage,
    MonthlyApiTables,
    PageCache,
    RetryPolicy,
    get_json_page,
    prepare_cache,
)

SOURCE = "ucdp"
# The credit `civcas export` ships with the data (UCDP's terms: CC BY 4.0, cite the GED).
ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, https://ucdp.uu.se,"
    " licensed CC BY 4.0. Cite: Sundberg, Ralph and Erik Melander (2013) Introducing the UCDP"
    " Georeferenced Event Dataset. Journal of Peace Research 50(4); Davies, Shawn, Therese"
    " Pettersson and Magnus Oberg (2023) Organized violence 1989-2022. Journal of Peace Research"
    " 60(4)."
)
# The events as received, and the rows of them that a later fetch of their month replaced.
RAW_TABLES = ("ucdp_ged_events", "ucdp_ged_events_replaced")
TOKEN_VARIABLE = "UCDP_ACCESS_TOKEN"
DEFAULT_BASE_URL = "https://ucdpapi.pcr.uu.se/api"
DEFAULT_VERSION = "25.1"
# Gleditsch & Ward state numbers, the UCDP API's country codes.
COUNTRY_CODES = {"SYR": "652", "IRQ": "645"}
MAX_PAGE_SIZE = 1000

# The GedDb fields of the API, in the API's order (raw.ucdp_ged_events keeps every one as text).
COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip


@dataclass(frozen=True)
class Config:
    token: str
    base_url: str
    version: str
    page_size: int
    countries: tuple[str, ...]  # ISO3

    def __repr__(self) -> str:  # never print the token
        return f"ucdp.Config(base_url={self.base_url!r}, version={self.version!r})"

    @property
    def credentials_hint(self) -> str:
        return f"set {TOKEN_VARIABLE} to a valid UCDP API token"


def config_from_env() -> Config | None:
    """None when no token is set: the source is then skipped."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return None
    page_size = int(os.environ.get("CIVCAS_UCDP_PAGE_SIZE", "") or MAX_PAGE_SIZE)
    return Config(
        token=token,
        base_url=(os.environ.get("CIVCAS_UCDP_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip(
            "/"
        ),
        version=os.environ.get("CIVCAS_UCDP_VERSION", "").strip() or DEFAULT_VERSION,
        page_size=max(1, min(page_size, MAX_PAGE_SIZE)),
        countries=("SYR", "IRQ"),
    )


def skip_message() -> str:
    return f"{SOURCE}: skipped: {TOKEN_VARIABLE} is not set (see docs/api_sources.md)"


def month_bounds(month: str) -> tuple[str, str]:
    """'2017-03' (or a partition key '2017-03-01') -> ('2017-03-01', '2017-03-31')."""
    year, number = (int(part) for part in month[:7].split("-"))
    last = calendar.monthrange(year, number)[1]
    return f"{year:04d}-{number:02d}-01", f"{year:04d}-{number:02d}-{last:02d}"


def scope_of(config: Config, month: str) -> str:
    """What one fetch replaces: a month of one release."""
    return f"{SOURCE}:{config.version}:{month[:7]}"


def _query(config: Config, month: str) -> dict[str, str]:
    start, end = month_bounds(month)
    return {
        "endpoint": f"{config.base_url}/gedevents/{config.version}",
        "version": config.version,
        "month": month[:7],
        "Country": ",".join(COUNTRY_CODES[iso3] for iso3 in config.countries),
        "StartDate": start,
        "EndDate": end,
        "pagesize": str(config.page_size),
    }


def _check_envelope(document: object, what: str, page_size: int) -> tuple[int, int, int]:
    """(TotalCount, TotalPages, events on this page), or ApiError naming what is wrong."""
    if not isinstance(document, dict):
        raise ApiError(f"{what}: the page is not a JSON object")
    missing = [key for key in ("TotalCount", "TotalPages", "Result") if key not in document]
    if missing:
        raise ApiError(f"{what}: the page lacks {', '.join(missing)}")
    total, pages, result = document["TotalCount"], document["TotalPages"], document["Result"]
    if not isinstance(total, int) or not isinstance(pages, int) or not isinstance(result, list):
        raise ApiError(f"{what}: TotalCount/TotalPages must be numbers and Result a list")
    if len(result) > page_size:
        raise ApiError(f"{what}: {len(result)} events on a page of at most {page_size}")
    if any(not isinstance(event, dict) or event.get("id") is None for event in result):
        raise ApiError(f"{what}: an event without an id")
    return total, pages, len(result)


def _check_page_count(
    cache: PageCache, label: str, total: int, total_pages: int, page_size: int, max_pages: int
) -> None:
    """A lying or absurd envelope must not drive the request loop."""
    expected = math.ceil(total / page_size)
    problem = None
    if total_pages != expected:
        problem = (
            f"TotalPages says {total_pages} but TotalCount {total} at {page_size} per page makes"
            f" {expected}"
        )
    elif expected > max_pages:
        problem = f"{expected} pages is more than the {max_pages} allowed (CIVCAS_API_MAX_PAGES)"
    if problem:
        cache.drop()
        raise ApiError(f"{label} page 1: {problem}; nothing of this month was landed")


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
    """Every page of one month, from the page cache where present, else from the API.

    Pages reach the cache only once validated, so a crashed run resumes at the first missing page.
    """
    policy = policy or RetryPolicy.from_env()
    query = _query(config, month)
    cache = PageCache(cache_root, SOURCE, f"{config.version}/{month[:7]}", query)
    headers = {"x-ucdp-access-token": config.token}
    label = f"{SOURCE} {config.version} {month[:7]}"
    url = query["endpoint"]
    params = {key: query[key] for key in ("Country", "StartDate", "EndDate", "pagesize")}

    def page(number: int, total_pages: int | None) -> tuple[dict, bool]:
        of = f" of {total_pages}" if total_pages else ""
        what = f"{label} page {number + 1}{of} (page={number})"
        if cache.has(number):
            return cache.read(number), True
        fetched = get_json_page(
            session,
            url,
            params={**params, "page": str(number)},
            headers=headers,
            what=what,
            credentials_hint=config.credentials_hint,
            policy=policy,
            log=log,
        )
        _check_envelope(fetched.document, what, config.page_size)
        cache.write(number, fetched.body)
        return fetched.document, False

    prepare_cache(con, cache, log=log)
    first, resumed = page(0, None)
    total, total_pages, _ = _check_envelope(first, f"{label} page 1", config.page_size)
    _check_page_count(cache, label, total, total_pages, config.page_size, policy.max_pages)
    pages = []
    for number in range(max(total_pages, 1)):
        document = first
        if number > 0:
            document, from_cache = page(number, total_pages)
            resumed += from_cache
        what = f"{label} page {number + 1} of {max(total_pages, 1)}"
        page_total, page_pages, rows = _check_envelope(document, what, config.page_size)
        if (page_total, page_pages) != (total, total_pages):
            cache.drop()
            raise ApiError(
                f"{what}: TotalCount/TotalPages changed during the fetch ({total}/{total_pages}"
                f" on page 1, {page_total}/{page_pages} here); the cached pages were dropped,"
                " run the month again"
            )
        pages.append(CachedPage(
            number=number, path=cache.page_path(number), rows=rows,
            request_params={
                **query, "page": number, "total_count": total, "total_pages": total_pages
            },
        ))  # fmt: skip
    if resumed:
        log(f"{label}: resumed, {resumed} page(s) taken from the page cache {cache.folder}")
    landed = sum(page.rows for page in pages)
    if landed != total:
        cache.drop()
        raise ApiError(
            f"{label}: the {len(pages)} pages hold {landed} events but TotalCount says {total};"
            " nothing was landed and the cached pages were dropped"
        )
    return cache, pages


ensure_raw_tables, land_month = MonthlyApiTables(
    SOURCE, RAW_TABLES[0], COLUMNS, "Result", fetch_month, scope_of
).functions()
land_deletions = None  # UCDP publishes no feed of withdrawn events
